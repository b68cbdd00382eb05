package dev.tokenguard.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Instant;

/** Bridges a {@link Clock} to Caffeine's {@link Ticker}, so a test's fake clock also drives every cache. */
public final class Tickers {
  private Tickers() {}

  /** The system ticker for the system clock, else a ticker reading {@code clock}. */
  public static Ticker of(Clock clock) {
    if (clock.equals(Clock.systemUTC()) || clock.equals(Clock.systemDefaultZone())) {
      return Ticker.systemTicker();
    }
    return () -> {
      Instant now = clock.instant();
      return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
    };
  }
}
