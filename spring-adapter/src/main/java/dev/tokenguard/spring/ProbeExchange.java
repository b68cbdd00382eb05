package dev.tokenguard.spring;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.RequestPath;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * A request that exists only to ask the application's reactive security chains whether they match it: {@code GET} of a
 * path no application routes, with no headers. Made of proxies, so that it binds to no constructor that differs between
 * Spring 6 and 7; any other question about it fails, which {@link ChainReport} reads as "it may match".
 */
final class ProbeExchange {
  private ProbeExchange() {}

  static ServerWebExchange create() {
    URI uri = URI.create("http://localhost/tokenguard-chain-probe-" + UUID.randomUUID());
    RequestPath path = RequestPath.parse(uri, "");
    HttpHeaders headers = new HttpHeaders();
    Map<String, Object> attributes = new HashMap<>();
    ServerHttpRequest request = (ServerHttpRequest) Proxy.newProxyInstance(ProbeExchange.class.getClassLoader(),
        new Class<?>[] {ServerHttpRequest.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getPath" -> path;
          case "getURI" -> uri;
          case "getMethod" -> HttpMethod.GET;
          case "getHeaders" -> headers;
          case "toString" -> "probe request " + uri;
          default -> throw new UnsupportedOperationException(method.getName());
        });
    return (ServerWebExchange) Proxy.newProxyInstance(ProbeExchange.class.getClassLoader(),
        new Class<?>[] {ServerWebExchange.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getRequest" -> request;
          case "getAttributes" -> attributes;
          case "getAttribute" -> attributes.get((String) args[0]);
          case "toString" -> "probe exchange " + uri;
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
