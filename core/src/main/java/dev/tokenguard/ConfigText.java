package dev.tokenguard;

import dev.tokenguard.net.UrlPolicy;
import dev.tokenguard.rules.PathPattern;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How configuration text becomes values, the same for every key of {@link TokenGuardConfig},
 * {@link UserLookupSettings} and {@link SharedCacheSettings}: each reader throws {@link TokenGuardConfigException}
 * naming the key and saying what was expected and what was found.
 */
final class ConfigText {
  private ConfigText() {}

  /** {@code ${env:NAME}} or {@code ${sys:name}} resolved; any other value as it is; {@code null} stays null. */
  static String resolvePlaceholders(String key, String value) {
    if (value == null) {
      return null;
    }
    String v = value.trim();
    if (!(v.startsWith("${") && v.endsWith("}"))) {
      return value;
    }
    String ref = v.substring(2, v.length() - 1);
    String resolved;
    if (ref.startsWith("env:")) {
      resolved = System.getenv(ref.substring(4));
    } else if (ref.startsWith("sys:")) {
      resolved = System.getProperty(ref.substring(4));
    } else {
      throw new TokenGuardConfigException(key, "expected ${env:NAME} or ${sys:name}, but was '" + v + "'");
    }
    if (resolved == null) {
      throw new TokenGuardConfigException(key, "refers to " + v + ", which is not set");
    }
    return resolved;
  }

  /** {@code true} or {@code false}, in any case. */
  static boolean flag(String key, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("true") || v.equals("false")) {
      return v.equals("true");
    }
    throw new TokenGuardConfigException(key, "expected true or false, but was '" + value + "'");
  }

  /** A whole number between {@code min} and {@code max}. */
  static long whole(String key, String value, long min, long max) {
    try {
      return range(key, Long.parseLong(value.trim()), min, max);
    } catch (NumberFormatException e) {
      throw new TokenGuardConfigException(key, "expected a whole number, but was '" + value + "'");
    }
  }

  /** {@code v} when it lies between {@code min} and {@code max}. */
  static long range(String key, long v, long min, long max) {
    if (v < min || v > max) {
      throw new TokenGuardConfigException(key, "must be between " + min + " and " + max + ", but was " + v);
    }
    return v;
  }

  /** A duration ({@link Durations#parse}) between {@code min} and {@code max}. */
  static Duration duration(String key, String value, Duration min, Duration max) {
    return within(key, Durations.parse(key, value), min, max);
  }

  /**
   * {@code d} when it lies between {@code min} and {@code max} ({@code null}: no upper bound); the message says the
   * range as a person would: "must not be negative", "must be positive", "must be at most 10m", or "must be between
   * 1ms and 10s".
   */
  static Duration within(String key, Duration d, Duration min, Duration max) {
    Objects.requireNonNull(d, key);
    boolean below = d.compareTo(min) < 0;
    boolean above = max != null && d.compareTo(max) > 0;
    if (!below && !above) {
      return d;
    }
    String range;
    if (max == null) {
      range = min.isZero() ? "must not be negative" : min.equals(Duration.ofMillis(1)) ? "must be positive"
          : "must be at least " + Durations.format(min);
    } else if (min.isZero()) {
      range = d.isNegative() ? "must not be negative" : "must be at most " + Durations.format(max);
    } else {
      range = "must be between " + Durations.format(min) + " and " + Durations.format(max);
    }
    throw new TokenGuardConfigException(key, range + ", but was " + (d.isNegative() ? d.toString() : Durations.format(d)));
  }

  /** One of {@code choices}, compared as written ("expected a, b or c, but was 'x'"). */
  static String choice(String key, String value, List<String> choices) {
    if (choices.contains(value)) {
      return value;
    }
    String expected = choices.size() == 1 ? choices.get(0)
        : String.join(", ", choices.subList(0, choices.size() - 1)) + " or " + choices.get(choices.size() - 1);
    throw new TokenGuardConfigException(key, "expected " + expected + ", but was '" + value + "'");
  }

  /** A URL TokenGuard may fetch from ({@link UrlPolicy}: https, or http on loopback). */
  static String url(String key, String value) {
    String problem = UrlPolicy.problemWith(value);
    if (problem != null) {
      throw new TokenGuardConfigException(key, problem);
    }
    return value;
  }

  /** A private key in PEM (PKCS#8, {@code -----BEGIN PRIVATE KEY-----}), RSA or EC ({@link Pem#privateKey}). */
  static java.security.PrivateKey privateKey(String key, String value) {
    try {
      return Pem.privateKey(value);
    } catch (IllegalArgumentException e) {
      throw new TokenGuardConfigException(key, e.getMessage());
    }
  }

  /** A path pattern ({@code /orders/**}). */
  static PathPattern pattern(String key, String value) {
    try {
      return PathPattern.parse(value.trim());
    } catch (IllegalArgumentException e) {
      throw new TokenGuardConfigException(key, e.getMessage());
    }
  }

  /** " (did you mean k?)" for the known key closest to {@code key} (at most 3 edits away), else "". */
  static String suggestion(String key, Collection<String> known) {
    String best = null;
    int bestDistance = 4;
    for (String k : known) {
      int d = distance(key, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best == null ? "" : " (did you mean " + best + "?)";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
