package dev.tokenguard.quarkus;

import dev.tokenguard.http.HttpRequestView;
import dev.tokenguard.http.QueryStrings;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * A Vert.x request as core sees it: the raw path (Vert.x and Quarkus REST route on its decoded form, root path
 * included, so no routed path is given), headers, raw query string.
 */
final class VertxRequestView implements HttpRequestView {
  private final HttpServerRequest request;

  VertxRequestView(HttpServerRequest request) {
    this.request = request;
  }

  @Override
  public String method() {
    return request.method().name();
  }

  @Override
  public String rawPath() {
    return request.path();
  }

  @Override
  public List<String> headers(String name) {
    return request.headers().getAll(name);
  }

  /** From the absolute URI Vert.x reports (after Quarkus' forwarded-header handling, when it is on). */
  @Override
  public String origin() {
    try {
      java.net.URI uri = new java.net.URI(request.absoluteURI());
      return uri.getScheme() == null || uri.getHost() == null ? null
          : dev.tokenguard.BindingSettings.origin(uri.getScheme(), uri.getHost(), uri.getPort());
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  /** The peer's certificate of the TLS session ({@code quarkus.http.ssl.client-auth}). */
  @Override
  public java.security.cert.X509Certificate clientCertificate() {
    javax.net.ssl.SSLSession session = request.sslSession();
    if (session == null) {
      return null;
    }
    try {
      java.security.cert.Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof java.security.cert.X509Certificate x ? x : null;
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      return null;
    }
  }

  @Override
  public String remoteAddress() {
    return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
  }

  @Override
  public List<String> queryParameters(String name) {
    return QueryStrings.values(request.query(), name);
  }
}
