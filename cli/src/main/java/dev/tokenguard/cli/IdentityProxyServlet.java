package dev.tokenguard.cli;

import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.http.IdentityHeaders;
import dev.tokenguard.http.RequestPaths;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.ee10.proxy.ProxyServlet;

/**
 * Forwards accepted requests to {@code --upstream} with the caller's identity headers
 * ({@link IdentityHeaders}); the same headers sent by the client are always removed first, and so are
 * method-override headers, which some frameworks honour ({@code X-HTTP-Method-Override: DELETE} on a
 * {@code POST} would run a handler that a method rule did not judge). The request goes to exactly the path
 * TokenGuard judged, re-encoded ({@link RequestPaths#encode}), with the client's query string.
 */
final class IdentityProxyServlet extends ProxyServlet.Transparent {
  private static final long serialVersionUID = 1L;
  static final List<String> METHOD_OVERRIDE_HEADERS = List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");

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
      IdentityHeaders.NAMES.forEach(h::remove);
      METHOD_OVERRIDE_HEADERS.forEach(h::remove);
      if (clientRequest.getUserPrincipal() instanceof TokenPrincipal p) {
        IdentityHeaders.of(p).forEach(h::put);
      }
    });
  }
}
