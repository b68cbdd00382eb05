package dev.tokenguard.cli;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The admin port ({@code --admin-port}): exactly {@code /metrics} and {@code /health}, 404 for anything else. No
 * token is asked for: the port is for the operator's network (loopback by default).
 */
final class AdminServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private final transient AdminEndpoints endpoints;

  AdminServlet(AdminEndpoints endpoints) {
    this.endpoints = endpoints;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String path = req.getRequestURI();
    if (path.equals(GatewayServlet.METRICS) || path.equals(GatewayServlet.HEALTH)) {
      endpoints.answer(path.equals(GatewayServlet.METRICS), req, res);
      return;
    }
    res.setStatus(404);
    res.setContentType("application/json");
    res.getOutputStream().write("{\"error\":\"not_found\"}".getBytes(StandardCharsets.UTF_8));
  }
}
