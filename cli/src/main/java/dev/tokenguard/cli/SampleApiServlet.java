package dev.tokenguard.cli;

import dev.tokenguard.TokenPrincipal;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The built-in sample API of {@code tokenguard serve} (when there is no {@code --upstream}):
 * {@code GET /public/health}, {@code GET /api/me} (the caller) and any other {@code /api/**} (path and subject).
 */
final class SampleApiServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String path = GatewayServlet.judgedPath(req);
    TokenPrincipal caller = req.getUserPrincipal() instanceof TokenPrincipal p ? p : null;
    if (path.equals("/public/health")) {
      json(res, 200, "{\"status\":\"UP\"}");
    } else if (path.equals("/api/me") && caller != null) {
      json(res, 200, Jsons.write(Jsons.principal(caller)));
    } else if (path.startsWith("/api/")) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("path", path);
      out.put("method", req.getMethod());
      out.put("subject", caller == null ? null : caller.subject());
      json(res, 200, Jsons.write(out));
    } else {
      json(res, 404, "{\"error\":\"not_found\",\"path\":\"" + path.replace("\"", "") + "\"}");
    }
  }

  private static void json(HttpServletResponse res, int status, String body) throws IOException {
    res.setStatus(status);
    res.setContentType("application/json");
    res.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
  }
}
