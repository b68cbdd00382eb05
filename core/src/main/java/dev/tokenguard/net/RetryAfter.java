package dev.tokenguard.net;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** When a server that answered 429 or 503 says to come back: what every outbound call of TokenGuard honours. */
public final class RetryAfter {
  private RetryAfter() {}

  /**
   * {@code Retry-After} (seconds or HTTP date), else {@code x-ratelimit-reset} (epoch seconds), else {@code null};
   * never negative.
   */
  public static Duration of(HttpHeaders headers, Instant now) {
    String retryAfter = headers.firstValue("Retry-After").orElse(null);
    if (retryAfter != null) {
      try {
        return Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.trim())));
      } catch (NumberFormatException e) {
        try {
          ZonedDateTime at = ZonedDateTime.parse(retryAfter.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
          Duration d = Duration.between(now, at.toInstant());
          return d.isNegative() ? Duration.ZERO : d;
        } catch (RuntimeException ignored) {
          // unreadable: fall through
        }
      }
    }
    String reset = headers.firstValue("x-ratelimit-reset").orElse(null);
    if (reset != null) {
      try {
        return Duration.ofSeconds(Math.max(0, Long.parseLong(reset.trim()) - now.getEpochSecond()));
      } catch (NumberFormatException ignored) {
        // unreadable
      }
    }
    return null;
  }
}
