package dev.tokenguard.cli;

import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.http.IdentityHeaders;
import dev.tokenguard.http.RequestPaths;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.ee10.proxy.ProxyServlet;
import org.eclipse.jetty.http.HttpField;

/**
 * Forwards accepted requests to {@code --upstream} with the caller's identity headers
 * ({@link IdentityHeaders}); the same headers sent by the client, in any spelling an upstream reads as the same
 * ({@link IdentityHeaders#reserved}: case, {@code _} for {@code -}), are always removed first, and so are
 * method-override headers ({@link IdentityHeaders#METHOD_OVERRIDES}). The request goes to exactly the path
 * TokenGuard judged, re-encoded ({@link RequestPaths#encode}), with the client's query string.
 */
final class IdentityProxyServlet extends ProxyServlet.Transparent {
  private static final long serialVersionUID = 1L;
  private final transient IdentityHeaders identity;
  private final boolean forwardAuthorization;

  /**
   * @param identity the identity headers to set (and the client's to remove)
   * @param forwardAuthorization whether the client's {@code Authorization} header goes on ({@code upstream.forward-authorization})
   */
  IdentityProxyServlet(IdentityHeaders identity, boolean forwardAuthorization) {
    this.identity = identity;
    this.forwardAuthorization = forwardAuthorization;
  }

  @Override
  protected String rewriteTarget(HttpServletRequest clientRequest) {
    String upstream = getServletConfig().getInitParameter("proxyTo");
    String base = upstream.endsWith("/") ? upstream.substring(0, upstream.length() - 1) : upstream;
    String query = clientRequest.getQueryString();
    return base + RequestPaths.encode(GatewayServlet.judgedPath(clientRequest)) + (query == null ? "" : "?" + query);
  }

  @Override
  protected void copyRequestHeaders(HttpServletRequest clientRequest, Request proxyRequest) {
    super.copyRequestHeaders(clientRequest, proxyRequest);
    proxyRequest.headers(h -> {
      // every spelling an upstream could read as one of these: X_Auth_Subject is X-Auth-Subject to CGI, WSGI, Rack, PHP
      List<String> spoofed = h.stream().map(HttpField::getName).filter(identity::reserved).distinct().toList();
      spoofed.forEach(h::remove);
      if (!forwardAuthorization) {
        h.remove(org.eclipse.jetty.http.HttpHeader.AUTHORIZATION);
      }
      // every identity header set, empty on a public path: the application never reads a value the client chose
      identity.upstream(clientRequest.getUserPrincipal() instanceof TokenPrincipal p ? p : null).forEach(h::put);
    });
  }
}
