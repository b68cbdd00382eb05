package dev.tokenguard;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses configuration durations: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d} or ISO-8601. */
final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses {@code value} for {@code key}.
   *
   * @throws TokenGuardConfigException naming the key when the value is not a non-negative duration
   */
  public static Duration parse(String key, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    Matcher m = SHORT.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms": return Duration.ofMillis(n);
        case "s": return Duration.ofSeconds(n);
        case "m": return Duration.ofMinutes(n);
        case "h": return Duration.ofHours(n);
        default: return Duration.ofDays(n);
      }
    }
    if (v.startsWith("p")) {
      try {
        Duration d = Duration.parse(value.trim());
        if (!d.isNegative()) {
          return d;
        }
      } catch (DateTimeParseException e) {
        // fall through to the common message
      }
    }
    throw new TokenGuardConfigException(key,
        "expected a non-negative duration such as 500ms, 30s, 5m, 1h, 2d or PT30S, but was '" + value + "'");
  }

  /**
   * The default of a window that must stay shorter than a TTL the user may have shortened (a refresh head start,
   * a refetch interval): {@code preferred}, or {@code ttl / divisor} when that is shorter. So setting only the TTL
   * never fails because of the other key's default, while an explicit contradictory pair still does.
   */
  public static Duration scaledDefault(Duration preferred, Duration ttl, int divisor) {
    Duration scaled = ttl.dividedBy(divisor);
    return scaled.compareTo(preferred) < 0 ? scaled : preferred;
  }

  /** Formats a duration the way it is configured ({@code 30s}, {@code 5m}, {@code 250ms}). */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000L == 0 && ms != 0) return ms / 86_400_000L + "d";
    if (ms % 3_600_000L == 0 && ms != 0) return ms / 3_600_000L + "h";
    if (ms % 60_000L == 0 && ms != 0) return ms / 60_000L + "m";
    if (ms % 1000L == 0) return ms / 1000L + "s";
    return ms + "ms";
  }
}
