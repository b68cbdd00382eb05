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

  @Override
  public List<String> queryParameters(String name) {
    return QueryStrings.values(request.query(), name);
  }
}
