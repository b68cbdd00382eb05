package dev.tokenguard.internal;

import java.util.HexFormat;

/** Shortens values taken from a request or token before they appear in an error description or a log line. */
public final class Echo {
  /** Longest echoed value. */
  public static final int MAX = 80;

  private Echo() {}

  /** {@code value} as a string, cut to {@value #MAX} characters with {@code ...} appended when longer. */
  public static String of(Object value) {
    String s = String.valueOf(value);
    return s.length() <= MAX ? s : s.substring(0, MAX) + "...";
  }

  /** As {@link #of}, with control characters shown as {@code ?}, so a value cannot forge log lines. */
  public static String printable(Object value) {
    String s = of(value);
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        if (b == null) {
          b = new StringBuilder(s);
        }
        b.setCharAt(i, '?');
      }
    }
    return b == null ? s : b.toString();
  }

  /**
   * {@code sha256:} and the first 8 hex digits of the token's SHA-256: enough to tell tokens apart in logs and to find
   * one a user reports, never enough to use it.
   */
  public static String fingerprint(String token) {
    return "sha256:" + HexFormat.of().formatHex(Sha256.of(token), 0, 4);
  }
}
