package dev.tokenguard.cli;

import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.http.IdentityHeaders;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.ee10.proxy.ProxyServlet;

/**
 * Forwards accepted requests to {@code --upstream} with the caller's identity headers
 * ({@link IdentityHeaders}); the same headers sent by the client are always removed first.
 */
final class IdentityProxyServlet extends ProxyServlet.Transparent {
  private static final long serialVersionUID = 1L;

  @Override
  protected void copyRequestHeaders(HttpServletRequest clientRequest, Request proxyRequest) {
    super.copyRequestHeaders(clientRequest, proxyRequest);
    proxyRequest.headers(h -> {
      IdentityHeaders.NAMES.forEach(h::remove);
      if (clientRequest.getUserPrincipal() instanceof TokenPrincipal p) {
        IdentityHeaders.of(p).forEach(h::put);
      }
    });
  }
}
