package dev.tokenguard.lookup;

import java.time.Duration;

/** Waits between retries; tests pass one that records the waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
  /** The real one. */
  Sleeper THREAD_SLEEP = d -> Thread.sleep(d.toMillis());

  /** Waits {@code duration}. */
  void sleep(Duration duration) throws InterruptedException;
}
