package dev.tokenguard.cli;

import dev.tokenguard.HealthReport;
import dev.tokenguard.TokenGuard;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's own endpoints: {@code GET /metrics} (TokenGuard's meters and the JVM's, Prometheus text format)
 * and {@code GET /health} ({@link TokenGuard#health()} as JSON; 200 when UP, 503 when DOWN; its checks only on the
 * admin port). Other methods get 405.
 */
final class AdminEndpoints {
  private final TokenGuard guard;
  private final PrometheusMeterRegistry registry;
  private final boolean details;

  /**
   * @param details whether {@code /health} names its checks (issuers, JWKS URLs, user APIs, the last failure): on the
   *     admin port; on the traffic port anyone can ask, and gets the status alone
   */
  AdminEndpoints(TokenGuard guard, PrometheusMeterRegistry registry, boolean details) {
    this.guard = guard;
    this.registry = registry;
    this.details = details;
  }

  void answer(boolean metrics, HttpServletRequest req, HttpServletResponse res) throws IOException {
    if (!req.getMethod().equals("GET") && !req.getMethod().equals("HEAD")) {
      res.setHeader("Allow", "GET, HEAD");
      write(res, 405, "application/json", "{\"error\":\"method_not_allowed\"}");
      return;
    }
    if (metrics) {
      write(res, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
      return;
    }
    HealthReport report = guard.health();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", report.up() ? "UP" : "DOWN");
    if (!details) {
      write(res, report.up() ? 200 : 503, "application/json", Jsons.write(body));
      return;
    }
    List<Map<String, Object>> checks = new ArrayList<>();
    for (HealthReport.Check check : report.checks()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("name", check.name());
      c.putAll(check.withStatus());
      checks.add(c);
    }
    body.put("checks", checks);
    write(res, report.up() ? 200 : 503, "application/json", Jsons.write(body));
  }

  private static void write(HttpServletResponse res, int status, String type, String body) throws IOException {
    res.setStatus(status);
    res.setContentType(type);
    res.setHeader("Cache-Control", "no-store");
    res.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
  }
}
