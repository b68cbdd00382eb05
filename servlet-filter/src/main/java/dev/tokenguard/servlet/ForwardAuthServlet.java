package dev.tokenguard.servlet;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.http.Decision;
import dev.tokenguard.http.IdentityHeaders;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;

/**
 * A forward-authentication endpoint: a proxy (nginx {@code auth_request}, Caddy {@code forward_auth}, Traefik
 * ForwardAuth) asks it about each request before routing it. The decision is core's ({@link TokenGuard#checkForwarded}:
 * the original method and URI from the proxy's headers); this writes it: 200 with every identity header for the proxy
 * to copy to the application (empty ones on a public path), or the outcome (401/403 with {@code WWW-Authenticate},
 * 503 with {@code Retry-After}, 400) for the proxy to return. Any method; register it programmatically at the path the
 * proxy calls, outside {@link TokenGuardFilter} (it judges the request it is asked about, not its own). What
 * {@code tokenguard serve --forward-auth} runs.
 */
public final class ForwardAuthServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private final transient TokenGuard guard;
  private final transient IdentityHeaders identity;

  /**
   * @param guard decides
   * @param identity the identity headers answered (and refused from clients)
   */
  public ForwardAuthServlet(TokenGuard guard, IdentityHeaders identity) {
    this.guard = guard;
    this.identity = identity;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    Decision d = guard.checkForwarded(new ServletRequestView(req), Collections.list(req.getHeaderNames()), identity);
    if (d instanceof Decision.Deny deny) {
      OutcomeWriter.write(deny.response(), res);
      return;
    }
    res.setStatus(200);
    res.setHeader("Cache-Control", "no-store");
    identity.answer(d.principal().orElse(null)).forEach(res::setHeader);
    res.setContentLength(0);
  }
}
