package dev.tokenguard.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * A circuit breaker for one remote service: after {@code failures} failed exchanges in a row it opens, and calls are
 * refused at once (no network) for {@code openFor}; then one probe may go out (half-open): its success closes the
 * breaker, its failure opens it again for another {@code openFor}. Thread-safe; a threshold of 0 never opens.
 */
public final class CircuitBreaker {
  /** Where the breaker is. */
  public enum State {
    CLOSED, OPEN, HALF_OPEN;

    /** As metrics and health name it: {@code closed}, {@code open}, {@code half-open}. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  private final int threshold;
  private final Duration openFor;
  private final Clock clock;
  private final Consumer<State> changed;
  private State state = State.CLOSED;
  private int failures;
  private Instant openUntil;
  private boolean probing;

  /**
   * @param threshold failed exchanges in a row that open it; 0 for never
   * @param openFor how long it stays open before a probe
   * @param changed told of every change of state (outside no lock: keep it fast)
   */
  public CircuitBreaker(int threshold, Duration openFor, Clock clock, Consumer<State> changed) {
    this.threshold = threshold;
    this.openFor = openFor;
    this.clock = clock;
    this.changed = changed;
  }

  /**
   * Asks to call now: {@code null} when the call may go out (when half-open, for the one probe), else how long until a
   * probe may go out (at least a millisecond).
   */
  public Duration refusal() {
    State entered = null;
    Duration wait = null;
    synchronized (this) {
      if (state == State.OPEN) {
        Instant now = clock.instant();
        if (now.isBefore(openUntil)) {
          return atLeastAMillisecond(Duration.between(now, openUntil));
        }
        state = entered = State.HALF_OPEN;
        probing = false;
      }
      if (state == State.HALF_OPEN) {
        wait = probing ? openFor : null; // another call is the probe and its outcome decides; else this one is it
        probing = true;
      }
    }
    tell(entered);
    return wait;
  }

  /** An exchange got a usable answer (whatever its status but an outage's). */
  public void succeeded() {
    State entered = null;
    synchronized (this) {
      failures = 0;
      probing = false;
      if (state != State.CLOSED) {
        state = entered = State.CLOSED;
      }
    }
    tell(entered);
  }

  /** An exchange failed: no answer, or an outage's status. */
  public void failed() {
    State entered = null;
    synchronized (this) {
      failures++;
      boolean probeFailed = state == State.HALF_OPEN;
      if (threshold > 0 && (probeFailed || state == State.CLOSED && failures >= threshold)) {
        state = entered = State.OPEN;
        openUntil = clock.instant().plus(openFor);
        probing = false;
      }
    }
    tell(entered);
  }

  /** The state now (an open breaker whose time is up is still reported open until someone asks to call). */
  public synchronized State state() {
    return state;
  }

  private void tell(State entered) {
    if (entered != null) {
      changed.accept(entered);
    }
  }

  private static Duration atLeastAMillisecond(Duration d) {
    return d.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : d;
  }
}
