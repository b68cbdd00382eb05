package dev.tokenguard.quarkus.devui;

import dev.tokenguard.Explanation;
import dev.tokenguard.HealthReport;
import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.http.BearerTokenResolver;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What TokenGuard's Dev UI card asks the running application (dev mode only): the effective configuration with
 * secrets masked, the health of each issuer's keys and of the user API (with the cached profiles), why a pasted token
 * passes or fails ({@link TokenGuard#explain}), and a token minted by the Dev Services issuer.
 */
public class TokenGuardJsonRpcService {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Inject
  TokenGuard guard;

  /** The effective configuration, secrets masked. */
  public Map<String, String> getConfiguration() {
    return guard.config().describe();
  }

  /** Each health check (keys of an issuer, the user API): name, up, details as text. */
  @Blocking
  public List<Map<String, Object>> getHealth() {
    List<Map<String, Object>> checks = new ArrayList<>();
    for (HealthReport.Check check : guard.health().checks()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("name", check.name());
      c.put("up", check.up());
      Map<String, String> details = new TreeMap<>();
      check.details().forEach((k, v) -> details.put(k, String.valueOf(v)));
      c.put("details", details);
      checks.add(c);
    }
    return checks;
  }

  /** Why {@code token} passes or fails: every step, then the caller or the refusal. */
  @Blocking
  public Map<String, Object> explain(String token) {
    Explanation e = guard.explain(BearerTokenResolver.pasted(token));
    Map<String, Object> out = new LinkedHashMap<>();
    List<Map<String, Object>> steps = new ArrayList<>();
    for (Explanation.Step s : e.steps()) {
      steps.add(Map.of("name", s.name(), "passed", s.passed(), "detail", s.detail() == null ? "" : s.detail()));
    }
    out.put("steps", steps);
    out.put("valid", e.valid());
    if (e.valid()) {
      TokenPrincipal p = e.principal();
      out.put("caller", Map.of("name", p.getName(), "issuer", p.issuer(), "permissions", List.copyOf(p.permissions()),
          "roles", List.copyOf(guard.roles(p))));
    } else {
      out.put("refusal", "HTTP " + e.failure().httpStatus() + " " + e.failure().errorCode() + ": " + e.failure().description());
    }
    return out;
  }

  /**
   * A token from the Dev Services issuer for the JSON object {@code claims}; the issuer must be the one Dev Services
   * started (on 127.0.0.1), no other is asked.
   */
  @Blocking
  public String mint(String claims) throws IOException, InterruptedException {
    String issuer = guard.config().issuers().get(0);
    if (!issuer.startsWith("http://127.0.0.1:")) {
      throw new IllegalStateException("minting needs the Dev Services issuer; the configured issuer is " + issuer);
    }
    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(issuer + "/token"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(claims == null || claims.isBlank() ? "{}" : claims)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IllegalStateException("the dev issuer answered " + answer.statusCode() + ": " + answer.body());
    }
    return answer.body();
  }
}
