package dev.tokenguard.internal;

import java.util.Locale;

/** {@code typ} header values, as the configuration stores them and validation compares them. */
public final class TokenTypes {
  private TokenTypes() {}

  /**
   * Normalises a {@code typ} value as RFC 7515 §4.1.9 compares media types: case-insensitive, with an optional
   * {@code application/} prefix.
   */
  public static String normalise(String typ) {
    String t = typ.toLowerCase(Locale.ROOT);
    return t.startsWith("application/") ? t.substring("application/".length()) : t;
  }
}
