package dev.tokenguard.spring;

import dev.tokenguard.http.HttpRequestView;
import dev.tokenguard.http.QueryStrings;
import dev.tokenguard.http.RequestPaths;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * A WebFlux request as core sees it: the raw path as received, the context path WebFlux cut
 * ({@code spring.webflux.base-path}) and the path within the application it routes on (decoded by core's strict
 * decoder, which refuses what the firewall refuses), headers, query
 * parameters from the raw query (read by core, as for servlets).
 */
final class ServerRequestView implements HttpRequestView {
  private final ServerHttpRequest request;

  ServerRequestView(ServerHttpRequest request) {
    this.request = request;
  }

  @Override
  public String method() {
    return request.getMethod().name();
  }

  @Override
  public String rawPath() {
    return request.getPath().value();
  }

  @Override
  public String contextPath() {
    return request.getPath().contextPath().value();
  }

  @Override
  public String routedPath() {
    String context = contextPath();
    return context.isEmpty() ? null : RequestPaths.decode(request.getPath().pathWithinApplication().value());
  }

  /**
   * Only methods whose binary signature Spring 6 and 7 share ({@code HttpHeaders} stopped being a {@code Map} in 7,
   * so {@code get} changed): {@code getFirst(String)} for the usual absent header, {@code forEach} for all values.
   */
  @Override
  public List<String> headers(String name) {
    HttpHeaders headers = request.getHeaders();
    if (headers.getFirst(name) == null) {
      return List.of();
    }
    List<String> values = new ArrayList<>(1);
    headers.forEach((n, v) -> {
      if (n.equalsIgnoreCase(name)) {
        values.addAll(v);
      }
    });
    return values;
  }

  /** From the request URI, as WebFlux reports it (after a {@code ForwardedHeaderTransformer}, when the application has one). */
  @Override
  public String origin() {
    java.net.URI uri = request.getURI();
    return uri.getScheme() == null || uri.getHost() == null ? null
        : dev.tokenguard.BindingSettings.origin(uri.getScheme(), uri.getHost(), uri.getPort());
  }

  @Override
  public java.security.cert.X509Certificate clientCertificate() {
    org.springframework.http.server.reactive.SslInfo ssl = request.getSslInfo();
    java.security.cert.X509Certificate[] chain = ssl == null ? null : ssl.getPeerCertificates();
    return chain == null || chain.length == 0 ? null : chain[0];
  }

  @Override
  public String remoteAddress() {
    java.net.InetSocketAddress peer = request.getRemoteAddress();
    return peer == null || peer.getAddress() == null ? null : peer.getAddress().getHostAddress();
  }

  @Override
  public List<String> queryParameters(String name) {
    return QueryStrings.values(request.getURI().getRawQuery(), name);
  }
}
