package dev.tokenguard.servlet;

import dev.tokenguard.http.HttpRequestView;
import dev.tokenguard.http.QueryStrings;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;

/**
 * A servlet request as core sees it: the raw request URI, the path the container routes on (servlet path plus
 * path info, decoded, the context path removed by the container itself), headers, query parameters. Shared by
 * every servlet-based adapter (the filter, Spring, the CLI). Spring Security's own matchers read the same
 * servlet path and path info.
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
  public String rawPath() {
    return request.getRequestURI();
  }

  @Override
  public String contextPath() {
    String context = request.getContextPath();
    return context == null ? "" : context;
  }

  @Override
  public String routedPath() {
    String servletPath = request.getServletPath();
    String pathInfo = request.getPathInfo();
    return pathInfo == null ? servletPath : servletPath + pathInfo;
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
