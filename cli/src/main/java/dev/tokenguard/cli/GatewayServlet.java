package dev.tokenguard.cli;

import dev.tokenguard.devissuer.DevIssuer;
import dev.tokenguard.rules.PathPattern;
import dev.tokenguard.servlet.TokenGuardFilter;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The gateway's one servlet, mapped to {@code /*} behind {@link TokenGuardFilter}: it routes on the path TokenGuard
 * judged ({@link TokenGuardFilter#PATH_ATTRIBUTE}) with the same patterns that make the gateway's own endpoints
 * public, so every spelling TokenGuard treats as {@code /metrics}, {@code /health}, the forward-auth path or
 * {@code /dev/**} is answered here and none of them is ever proxied. Everything else goes to the target (the upstream proxy or the sample API).
 */
final class GatewayServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  static final String METRICS = "/metrics";
  static final String HEALTH = "/health";
  static final String DEV = "/dev";
  /** The forward-authentication endpoint's default path. */
  static final String FORWARD_AUTH = "/_tokenguard/auth";
  private static final PathPattern METRICS_PATH = PathPattern.parse(METRICS);
  private static final PathPattern HEALTH_PATH = PathPattern.parse(HEALTH);
  private static final PathPattern DEV_PATHS = PathPattern.parse(DEV + "/**");

  private final transient AdminEndpoints admin;
  private final transient DevIssuer devIssuer;
  private final HttpServlet forwardAuth;
  private final transient PathPattern forwardAuthPath;
  private final HttpServlet target;

  /**
   * @param admin {@code /metrics} and {@code /health}, or {@code null} when they are on the admin port
   * @param forwardAuth the forward-authentication endpoint, or {@code null}
   * @param forwardAuthPath where it answers ({@code --forward-auth}), or {@code null}
   */
  GatewayServlet(AdminEndpoints admin, DevIssuer devIssuer, HttpServlet forwardAuth, String forwardAuthPath,
      HttpServlet target) {
    this.admin = admin;
    this.devIssuer = devIssuer;
    this.forwardAuth = forwardAuth;
    this.forwardAuthPath = forwardAuthPath == null ? null : PathPattern.parse(forwardAuthPath);
    this.target = target;
  }

  @Override
  public void init(ServletConfig config) throws ServletException {
    super.init(config);
    target.init(config);
    if (forwardAuth != null) {
      forwardAuth.init(config);
    }
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws ServletException, IOException {
    String path = judgedPath(req);
    if (admin != null && (METRICS_PATH.matches(path) || HEALTH_PATH.matches(path))) {
      admin.answer(METRICS_PATH.matches(path), req, res);
    } else if (forwardAuthPath != null && forwardAuthPath.matches(path)) {
      forwardAuth.service(req, res);
    } else if (devIssuer != null && DEV_PATHS.matches(path)) {
      DevIssuer.Answer answer = devIssuer.answer(req.getMethod(), path.substring(DEV.length()),
          req.getInputStream().readNBytes(DevIssuer.MAX_BODY));
      res.setStatus(answer.status());
      res.setContentType("application/json");
      res.getOutputStream().write(answer.json().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } else {
      target.service(req, res);
    }
  }

  /** The path TokenGuard judged; every request reaching this servlet passed the filter, which sets it. */
  static String judgedPath(HttpServletRequest req) {
    Object path = req.getAttribute(TokenGuardFilter.PATH_ATTRIBUTE);
    if (!(path instanceof String p)) {
      throw new IllegalStateException("request not judged by TokenGuard");
    }
    return p;
  }

  @Override
  public void destroy() {
    target.destroy();
  }
}
