package dev.tokenguard.rules;

import dev.tokenguard.InvalidRequestException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Normalises a raw request path before rules are matched, so that spellings of one resource cannot slip past a
 * rule written for another: percent-encoded unreserved characters are decoded ({@code %61} becomes
 * {@code a}), other escapes are kept with upper-case hex, matrix parameters ({@code ;jsessionid=...}) are
 * removed, empty segments ({@code //}) collapse, and {@code .} and {@code ..} segments are resolved (RFC 3986
 * §5.2.4), including their encoded forms.
 *
 * <p>Rejected with {@link InvalidRequestException}: an encoded {@code /}, {@code \} or NUL, a raw backslash or
 * control character, a malformed escape, and {@code ..} climbing above the root. Containers differ in how they
 * treat those, so a rule could not be matched reliably.
 */
public final class PathNormalizer {
  private PathNormalizer() {}

  /** Returns the normalised form of {@code rawPath}, always starting with {@code /}. */
  public static String normalise(String rawPath) {
    return rawPath != null && alreadyNormal(rawPath) ? rawPath : normaliseFully(rawPath);
  }

  /**
   * Whether {@code path} is plain ASCII already in normal form (nearly every request): starts with {@code /}, no
   * escape, matrix parameter, query, backslash or control character, no empty, {@code .} or {@code ..} segment, no
   * trailing slash. {@link #normaliseFully} would return it unchanged.
   */
  static boolean alreadyNormal(String path) {
    int n = path.length();
    if (n == 0 || path.charAt(0) != '/') {
      return false;
    }
    if (n > 1 && path.charAt(n - 1) == '/') {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = path.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '%' || c == ';' || c == '\\' || c == '?') {
        return false;
      }
      char before = path.charAt(i - 1);
      if (c == '/' && before == '/') {
        return false;
      }
      if (c == '.' && before == '/' && (i + 1 == n || path.charAt(i + 1) == '/'
          || path.charAt(i + 1) == '.' && (i + 2 == n || path.charAt(i + 2) == '/'))) {
        return false;
      }
    }
    return true;
  }

  static String normaliseFully(String rawPath) {
    String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
    int q = path.indexOf('?');
    if (q >= 0) {
      path = path.substring(0, q);
    }
    Deque<String> out = new ArrayDeque<>();
    for (String rawSegment : path.split("/", -1)) {
      int semi = rawSegment.indexOf(';');
      String segment = decodeUnreserved(semi >= 0 ? rawSegment.substring(0, semi) : rawSegment);
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (out.isEmpty()) {
          throw new InvalidRequestException("the path climbs above the root with '..'");
        }
        out.removeLast();
        continue;
      }
      out.addLast(segment);
    }
    return "/" + String.join("/", out);
  }

  private static String decodeUnreserved(String segment) {
    StringBuilder sb = new StringBuilder(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\') {
        throw new InvalidRequestException("the path contains a backslash or a control character");
      }
      if (c != '%') {
        sb.append(c);
        continue;
      }
      if (i + 2 >= segment.length() || hex(segment.charAt(i + 1)) < 0 || hex(segment.charAt(i + 2)) < 0) {
        throw new InvalidRequestException("the path contains a malformed percent-escape");
      }
      int value = hex(segment.charAt(i + 1)) * 16 + hex(segment.charAt(i + 2));
      if (value == '/' || value == '\\' || value == 0) {
        throw new InvalidRequestException("the path contains an encoded '/', '\\' or NUL");
      }
      if (isUnreserved(value)) {
        sb.append((char) value);
      } else {
        sb.append('%').append(segment.substring(i + 1, i + 3).toUpperCase(Locale.ROOT));
      }
      i += 2;
    }
    return sb.toString();
  }

  private static boolean isUnreserved(int c) {
    return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~';
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
}
