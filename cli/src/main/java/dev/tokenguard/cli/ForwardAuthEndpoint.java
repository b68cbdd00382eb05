package dev.tokenguard.cli;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.http.Decision;
import dev.tokenguard.http.IdentityHeaders;
import dev.tokenguard.servlet.OutcomeWriter;
import dev.tokenguard.servlet.ServletRequestView;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;

/**
 * The forward-authentication endpoint ({@code serve --forward-auth}): a proxy (nginx {@code auth_request}, Caddy
 * {@code forward_auth}, Traefik ForwardAuth) asks it about each request before routing it. The decision is core's
 * ({@link TokenGuard#checkForwarded}); this writes it: 200 with every identity header for the proxy to copy to the
 * application (empty ones on a public path), or the outcome (401/403 with {@code WWW-Authenticate}, 503 with
 * {@code Retry-After}, 400) for the proxy to return.
 */
final class ForwardAuthEndpoint {
  private final TokenGuard guard;
  private final IdentityHeaders identity;

  ForwardAuthEndpoint(TokenGuard guard, IdentityHeaders identity) {
    this.guard = guard;
    this.identity = identity;
  }

  void answer(HttpServletRequest req, HttpServletResponse res) throws IOException {
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
