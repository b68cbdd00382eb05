package dev.tokenguard.servlet;

import dev.tokenguard.http.HttpRequestView;
import dev.tokenguard.http.QueryStrings;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;

/** A servlet request as core sees it: raw path within the application, headers, query parameters. */
final class ServletRequestView implements HttpRequestView {
  private final HttpServletRequest request;

  ServletRequestView(HttpServletRequest request) {
    this.request = request;
  }

  @Override
  public String method() {
    return request.getMethod();
  }

  @Override
  public String path() {
    String uri = request.getRequestURI();
    String context = request.getContextPath();
    return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
  }

  @Override
  public List<String> headers(String name) {
    return Collections.list(request.getHeaders(name));
  }

  @Override
  public List<String> queryParameters(String name) {
    return QueryStrings.values(request.getQueryString(), name);
  }
}
