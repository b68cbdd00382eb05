package dev.tokenguard.http;

import java.util.List;

/**
 * What TokenGuard needs to know about an HTTP request, implemented by each adapter over its own request type.
 * Values are raw: the path is not decoded, headers and parameters are as received.
 */
public interface HttpRequestView {

  /** The HTTP method, such as {@code GET}. */
  String method();

  /**
   * The request path within the application, not percent-decoded, without the query string (for a servlet:
   * the request URI without the context path).
   */
  String path();

  /** Every value of the named header (case-insensitive name), in order; empty when absent. */
  List<String> headers(String name);

  /** Every value of the named query-string parameter, decoded; empty when absent. */
  List<String> queryParameters(String name);
}
