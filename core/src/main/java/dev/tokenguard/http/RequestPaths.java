package dev.tokenguard.http;

import dev.tokenguard.InvalidRequestException;
import dev.tokenguard.internal.PathSyntax;

/**
 * The path a request is judged on, and the firewall in front of it. Rules and public paths are matched against
 * the path the host will route, never against a form TokenGuard derives on its own, so that a spelling can
 * not be judged as one resource and served as another.
 *
 * <p>{@link #judge} first refuses, with {@link InvalidRequestException} (400 {@code invalid_request}), every raw
 * request path that hosts could read in different ways (as Spring Security's {@code StrictHttpFirewall} does):
 * <ul>
 *   <li>a path that does not start with {@code /};</li>
 *   <li>empty segments ({@code //}) and {@code .} or {@code ..} segments; a single trailing {@code /} is fine;</li>
 *   <li>{@code ;} (matrix parameters, {@code ;jsessionid=}), {@code \}, control characters, space, non-ASCII and
 *       every other character that RFC 3986 does not allow unescaped in a path;</li>
 *   <li>percent-escapes of {@code /}, {@code \}, {@code %}, {@code .}, {@code ;}, NUL and other control
 *       characters, malformed escapes, and escapes that do not decode as UTF-8 (overlong forms included).</li>
 * </ul>
 * What passes decodes in exactly one way. The decoded path is what hosts route on: servlet containers, Spring
 * and Vert.x decode every escape ({@code %3A} is {@code :}, {@code %C3%A9} is {@code é}) before matching, so
 * rules are written decoded and match reserved and non-ASCII characters as hosts see them.
 *
 * <p>An adapter whose host removes a prefix before routing (the servlet context path) also passes that prefix,
 * which the raw path must start with literally, and the host's own routed path ({@code getServletPath() +
 * getPathInfo()}), which must be the end of the decoded raw path; otherwise the request is refused: TokenGuard
 * judges what the host routes, or nothing.
 */
public final class RequestPaths {
  private RequestPaths() {}

  /**
   * Returns the path a request is judged on.
   *
   * @param rawPath the request target's path as received: not decoded, context path included, no query
   * @param contextPath the prefix the host cut before routing, as it reports it ({@code ""} when none)
   * @param routedPath the decoded path within the application as the host routes it, or {@code null} when the
   *     host routes on the whole decoded path
   * @throws InvalidRequestException when the raw path is ambiguous, does not start with the context path
   *     literally, or the host's routed path is not the end of the decoded raw path
   */
  public static String judge(String rawPath, String contextPath, String routedPath) {
    String decoded = decode(rawPath);
    if (contextPath != null && !contextPath.isEmpty() && !(rawPath.startsWith(contextPath)
        && (rawPath.length() == contextPath.length() || rawPath.charAt(contextPath.length()) == '/'))) {
      throw new InvalidRequestException("the path spells the application's context path another way");
    }
    if (routedPath == null) {
      return decoded;
    }
    String routed = routedPath.isEmpty() ? "/" : routedPath;
    if (routed.charAt(0) != '/' || !decoded.endsWith(routed)) {
      throw new InvalidRequestException("the path is routed as another path than the one it spells");
    }
    return routed;
  }

  /**
   * Checks a raw path and returns it percent-decoded (UTF-8). Linear in the path length; a path without
   * escapes is returned as it is.
   *
   * @throws InvalidRequestException when the path is ambiguous (see the class description)
   */
  public static String decode(String rawPath) {
    try {
      return PathSyntax.decode(rawPath);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage());
    }
  }

  /**
   * Percent-encodes a decoded path (what {@link #judge} returns) for a request to another server: every
   * character other than unreserved ones, sub-delimiters, {@code :}, {@code @} and {@code /} is escaped as UTF-8,
   * so that {@link #decode} of the result gives the path back and a server that does not decode sees the same
   * segments.
   */
  public static String encode(String decodedPath) {
    return PathSyntax.encode(decodedPath);
  }
}
