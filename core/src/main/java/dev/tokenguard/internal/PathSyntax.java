package dev.tokenguard.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The strict path syntax behind the request firewall ({@code http.RequestPaths}) and path patterns
 * ({@code rules.PathPattern}): what a path may hold, its one decoding, and the encoding that gives it back.
 */
public final class PathSyntax {
  private static final byte[] RAW_ALLOWED = new byte[128];

  static {
    String allowed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,=:@/%";
    for (int i = 0; i < allowed.length(); i++) {
      RAW_ALLOWED[allowed.charAt(i)] = 1;
    }
  }

  private PathSyntax() {}

  /**
   * Checks a raw path and returns it percent-decoded (UTF-8). Linear in the path length; a path without
   * escapes is returned as it is.
   *
   * @throws IllegalArgumentException saying why, when the path is ambiguous (see {@code http.RequestPaths})
   */
  public static String decode(String rawPath) {
    if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
      throw new IllegalArgumentException("the path must start with '/'");
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
        throw new IllegalArgumentException(c == ';' ? "the path contains ';' (matrix parameters are not accepted)"
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
      throw new IllegalArgumentException("the path contains an empty segment ('//')");
    }
    if (length == 1 && path.charAt(from) == '.' || length == 2 && path.charAt(from) == '.' && path.charAt(from + 1) == '.') {
      throw new IllegalArgumentException("the path contains a '.' or '..' segment");
    }
  }

  private static void checkEscape(String path, int at) {
    int hi = at + 2 < path.length() ? hex(path.charAt(at + 1)) : -1;
    int lo = hi >= 0 ? hex(path.charAt(at + 2)) : -1;
    if (lo < 0) {
      throw new IllegalArgumentException("the path contains a malformed percent-escape");
    }
    int value = hi * 16 + lo;
    if (value < 0x20 || value == 0x7f || value == '/' || value == '\\' || value == '%' || value == '.' || value == ';') {
      throw new IllegalArgumentException("the path contains an encoded '/', '\\', '%', '.', ';' or control character");
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
      throw new IllegalArgumentException("the path's percent-escapes are not valid UTF-8");
    }
    for (int i = 0; i < decoded.length(); i++) {
      char c = decoded.charAt(i);
      if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
        throw new IllegalArgumentException("the path contains an encoded control character");
      }
    }
    return decoded;
  }

  /**
   * Percent-encodes a decoded path (what {@code RequestPaths.judge} returns) for a request to another server: every
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
