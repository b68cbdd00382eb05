package dev.tokenguard.internal;

/** Shortens values taken from a token before they appear in an error description. */
public final class Echo {
  /** Longest echoed value. */
  public static final int MAX = 80;

  private Echo() {}

  /** {@code value} as a string, cut to {@value #MAX} characters with {@code ...} appended when longer. */
  public static String of(Object value) {
    String s = String.valueOf(value);
    return s.length() <= MAX ? s : s.substring(0, MAX) + "...";
  }
}
