package dev.tokenguard.rules;

import dev.tokenguard.InvalidRequestException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

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
  private static final byte[] RAW_ALLOWED = new byte[128];

  static {
    String allowed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,=:@/%";
    for (int i = 0; i < allowed.length(); i++) {
      RAW_ALLOWED[allowed.charAt(i)] = 1;
    }
  }

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
    if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
      throw new InvalidRequestException("the path must start with '/'");
    }
    int n = rawPath.length();
    boolean escaped = false;
    int segmentStart = 1;
    for (int i = 1; i <= n; i++) {
      char c = i < n ? rawPath.charAt(i) : '/';
      if (c == '/') {
        checkSegment(rawPath, segmentStart, i, i == n);
        segmentStart = i + 1;
        continue;
      }
      if (c >= 128 || RAW_ALLOWED[c] == 0) {
        throw new InvalidRequestException(c == ';' ? "the path contains ';' (matrix parameters are not accepted)"
            : "the path contains a character that must be percent-encoded");
      }
      if (c == '%') {
        checkEscape(rawPath, i);
        escaped = true;
        i += 2;
      }
    }
    return escaped ? decodeEscapes(rawPath) : rawPath;
  }

  private static void checkSegment(String path, int from, int to, boolean last) {
    int length = to - from;
    if (length == 0 && !last) {
      throw new InvalidRequestException("the path contains an empty segment ('//')");
    }
    if (length == 1 && path.charAt(from) == '.' || length == 2 && path.charAt(from) == '.' && path.charAt(from + 1) == '.') {
      throw new InvalidRequestException("the path contains a '.' or '..' segment");
    }
  }

  private static void checkEscape(String path, int at) {
    int hi = at + 2 < path.length() ? hex(path.charAt(at + 1)) : -1;
    int lo = hi >= 0 ? hex(path.charAt(at + 2)) : -1;
    if (lo < 0) {
      throw new InvalidRequestException("the path contains a malformed percent-escape");
    }
    int value = hi * 16 + lo;
    if (value < 0x20 || value == 0x7f || value == '/' || value == '\\' || value == '%' || value == '.' || value == ';') {
      throw new InvalidRequestException("the path contains an encoded '/', '\\', '%', '.', ';' or control character");
    }
  }

  private static String decodeEscapes(String path) {
    byte[] bytes = new byte[path.length()];
    int length = 0;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%') {
        bytes[length++] = (byte) (hex(path.charAt(i + 1)) * 16 + hex(path.charAt(i + 2)));
        i += 2;
      } else {
        bytes[length++] = (byte) c;
      }
    }
    String decoded;
    try {
      decoded = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidRequestException("the path's percent-escapes are not valid UTF-8");
    }
    for (int i = 0; i < decoded.length(); i++) {
      char c = decoded.charAt(i);
      if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
        throw new InvalidRequestException("the path contains an encoded control character");
      }
    }
    return decoded;
  }

  /**
   * Percent-encodes a decoded path (what {@link #judge} returns) for a request to another server: every
   * character other than unreserved ones, sub-delimiters, {@code :}, {@code @} and {@code /} is escaped as UTF-8,
   * so that {@link #decode} of the result gives the path back and a server that does not decode sees the same
   * segments.
   */
  public static String encode(String decodedPath) {
    StringBuilder out = null;
    for (int i = 0; i < decodedPath.length(); i++) {
      char c = decodedPath.charAt(i);
      if (c < 128 && RAW_ALLOWED[c] == 1 && c != '%') {
        if (out != null) {
          out.append(c);
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(decodedPath.length() + 16).append(decodedPath, 0, i);
      }
      int end = Character.isHighSurrogate(c) && i + 1 < decodedPath.length() ? i + 2 : i + 1;
      for (byte b : decodedPath.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
        out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
      }
      i = end - 1;
    }
    return out == null ? decodedPath : out.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
}
