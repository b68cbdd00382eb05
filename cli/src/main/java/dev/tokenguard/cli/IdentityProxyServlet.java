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
 * ({@link IdentityHeaders#sameHeader}: case, {@code _} for {@code -}), are always removed first, and so are
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

  /** Whether a client header names one the gateway sets or strips, in any spelling of it. */
  static boolean reserved(String name) {
    return IdentityHeaders.NAMES.stream().anyMatch(n -> IdentityHeaders.sameHeader(name, n))
        || METHOD_OVERRIDE_HEADERS.stream().anyMatch(n -> IdentityHeaders.sameHeader(name, n));
  }

  @Override
  protected void copyRequestHeaders(HttpServletRequest clientRequest, Request proxyRequest) {
    super.copyRequestHeaders(clientRequest, proxyRequest);
    proxyRequest.headers(h -> {
      // every spelling an upstream could read as one of these: X_Auth_Subject is X-Auth-Subject to CGI, WSGI, Rack, PHP
      List<String> spoofed = h.stream().map(HttpField::getName).filter(IdentityProxyServlet::reserved).distinct().toList();
      spoofed.forEach(h::remove);
      if (clientRequest.getUserPrincipal() instanceof TokenPrincipal p) {
        IdentityHeaders.of(p).forEach(h::put);
      }
    });
  }
}
