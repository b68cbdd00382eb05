package dev.tokenguard.servlet;

import dev.tokenguard.http.HttpRequestView;
import dev.tokenguard.http.QueryStrings;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;

/**
 * A servlet request as core sees it: raw path within the application, headers, query parameters. Shared by every
 * servlet-based adapter (the filter, Spring, the CLI).
 */
public final class ServletRequestView implements HttpRequestView {
  private final HttpServletRequest request;

  /** @param request the request to describe */
  public ServletRequestView(HttpServletRequest request) {
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
