package dev.tokenguard.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one refresh policy of TokenGuard's caches of remote answers (the JWKS cache and the user-lookup cache): each
 * keeps its own values, and asks this class when and how to load them.
 *
 * <ul>
 *   <li><b>Windows</b>: a value loaded at {@code t} is fresh until {@code t + ttl}; from {@code t + ttl - refreshAhead}
 *       it is due, and one background load starts while it is still used ({@link #isDue}); callers keep a stale
 *       value for {@code stale-if-error} past its TTL while loads fail.</li>
 *   <li><b>Single flight</b>: at most one load per key runs at a time; every caller who needs the value now joins it
 *       ({@link #load}); a background load never queues twice ({@link #refreshInBackground}), and a caller who
 *       needs the value while that load still waits in the executor's queue runs it on its own thread instead of
 *       waiting for the queue (so a busy or task-dropping executor never holds a request).</li>
 *   <li><b>Gap</b>: after an attempt, no new one starts for {@code gap}: counted from the start of every attempt
 *       ({@link Gap#EVERY_ATTEMPT}: the JWKS rate limit, {@code jwks.min-refetch-interval}) or from the end of a
 *       failed one ({@link Gap#AFTER_FAILURE}: the user lookup's {@code failure-backoff}).</li>
 * </ul>
 * Thread-safe; checking whether a load may start takes no lock.
 *
 * @param <K> the key (an issuer, an issuer and subject)
 * @param <V> what a load answers
 */
public final class Refresher<K, V> {
  /** When the gap between attempts counts. */
  public enum Gap {
    /** From the start of every attempt, successful or not: a rate limit. */
    EVERY_ATTEMPT,
    /** From the end of a failed attempt: a backoff; a success allows the next attempt at once. */
    AFTER_FAILURE
  }

  /**
   * The gap forbids an attempt now and no load runs: {@link #lastFailure()} is why the last attempt failed, or
   * {@code null} when it succeeded (a rate limit after a success).
   */
  public static final class Backoff extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Exception lastFailure;

    Backoff(Exception lastFailure) {
      super("no attempt allowed now", null, false, false);
      this.lastFailure = lastFailure;
    }

    /** Why the last attempt failed, or {@code null}. */
    public Exception lastFailure() {
      return lastFailure;
    }
  }

  /** A load: calls the remote side. */
  @FunctionalInterface
  public interface Load<V> {
    V load() throws Exception;
  }

  /**
   * The last attempt for a key.
   *
   * @param startedAt when it started
   * @param endedAt when it ended, or {@code null} while it runs
   * @param failure why it failed, or {@code null} when it succeeded; while it runs, the failure of the one before
   */
  public record Attempt(Instant startedAt, Instant endedAt, Exception failure) {}

  private final Clock clock;
  private final Executor executor;
  private final Duration gap;
  private final Gap gapRule;
  private final Class<? extends Exception> failureType;
  private final Cache<K, Attempt> attempts;
  private final ConcurrentMap<K, Flight<V>> inFlight = new ConcurrentHashMap<>();

  /**
   * One load of one key, run once: by the thread that claimed it, or, when it was queued for the executor, by the
   * executor or the first caller who needs the value, whichever comes first ({@code started}).
   */
  private static final class Flight<V> {
    final CompletableFuture<V> result = new CompletableFuture<>();
    final AtomicBoolean started = new AtomicBoolean(true); // set free only once the attempt is recorded
    final Load<V> load;
    volatile Attempt before; // the record this attempt replaced
    volatile Instant startedAt;

    Flight(Load<V> load) {
      this.load = load;
    }
  }

  /** How often a caller waiting for a queued load looks whether it may run it itself. */
  private static final long POLL_MILLIS = 20;

  /**
   * @param clock the clock of every window
   * @param executor runs background loads
   * @param gap the least time between two attempts (see {@code gapRule})
   * @param gapRule when the gap counts
   * @param failureType the failures that count as a failed attempt (others pass to the callers and are not
   *     remembered: an attempt that threw one counts as not made, the record before it restored)
   * @param maximumKeys how many keys' attempts are remembered at most; with {@link Gap#AFTER_FAILURE} an attempt is
   *     also forgotten once its gap has passed
   */
  public Refresher(Clock clock, Executor executor, Duration gap, Gap gapRule, Class<? extends Exception> failureType,
      long maximumKeys) {
    this.clock = clock;
    this.executor = executor;
    this.gap = gap;
    this.gapRule = gapRule;
    this.failureType = failureType;
    Caffeine<Object, Object> b = Caches.builder(clock).maximumSize(maximumKeys);
    this.attempts = gapRule == Gap.AFTER_FAILURE ? b.expireAfterWrite(gap).build() : b.build();
  }

  /** Whether a value loaded at {@code loadedAt} is due for a background refresh at {@code now}. */
  public static boolean isDue(Instant loadedAt, Duration ttl, Duration refreshAhead, Instant now) {
    return !now.isBefore(loadedAt.plus(ttl).minus(refreshAhead));
  }

  /** Whether a value loaded at {@code loadedAt} is still fresh at {@code now}. */
  public static boolean isFresh(Instant loadedAt, Duration ttl, Instant now) {
    return now.isBefore(loadedAt.plus(ttl));
  }

  /** The last attempt for {@code key}, or {@code null} (with {@link Gap#AFTER_FAILURE}: none within the gap). */
  public Attempt lastAttempt(K key) {
    return attempts.getIfPresent(key);
  }

  /**
   * The failure of the last attempt for {@code key} while the gap after it lasts (with {@link Gap#EVERY_ATTEMPT}:
   * while it is the last attempt), or {@code null}.
   */
  public Exception recentFailure(K key) {
    Attempt a = attempts.getIfPresent(key);
    return a == null ? null : a.failure();
  }

  /** Whether the gap allows an attempt for {@code key} at {@code now} (a load in flight is not looked at). */
  public boolean gapAllows(K key, Instant now) {
    Attempt a = attempts.getIfPresent(key);
    if (a == null) {
      return true;
    }
    if (gapRule == Gap.EVERY_ATTEMPT) {
      return !now.isBefore(a.startedAt().plus(gap));
    }
    return a.failure() == null || a.endedAt() == null || !now.isBefore(a.endedAt().plus(gap));
  }

  /** When the gap allows the next attempt for {@code key}, or {@code null} when it allows one now. */
  public Instant nextAttemptAllowedAt(K key) {
    Attempt a = attempts.getIfPresent(key);
    if (a == null || gapAllows(key, clock.instant())) {
      return null;
    }
    return gapRule == Gap.EVERY_ATTEMPT ? a.startedAt().plus(gap) : a.endedAt().plus(gap);
  }

  /** Forgets the attempts of {@code key} (the gap no longer holds back the next one). */
  public void forget(K key) {
    attempts.invalidate(key);
  }

  /**
   * Starts one background load of {@code key} unless one is in flight or the gap forbids it. Until the executor
   * runs it, a caller of {@link #load} runs it instead.
   *
   * @param onFailure told when the load fails on the executor (after the failure is recorded)
   */
  public void refreshInBackground(K key, Load<V> load, Consumer<Exception> onFailure) {
    if (inFlight.containsKey(key) || !gapAllows(key, clock.instant())) {
      return;
    }
    Flight<V> mine = new Flight<>(load);
    if (inFlight.putIfAbsent(key, mine) != null || record(key, mine) != null) {
      return;
    }
    mine.started.set(false); // from now on the executor or a caller who needs the value runs it
    try {
      executor.execute(() -> {
        if (mine.started.compareAndSet(false, true)) {
          try {
            run(key, mine);
          } catch (Exception e) {
            onFailure.accept(e);
          }
        }
      });
    } catch (RuntimeException e) { // rejected (shut down): as if never attempted
      if (mine.started.compareAndSet(false, true)) {
        abandon(key, mine, e);
      }
    }
  }

  /**
   * The value now: joins the load in flight for {@code key} (running it here if it still waits in the executor's
   * queue), or starts one on this thread when the gap allows.
   *
   * @param recheck asked after this caller holds the key's slot and before an attempt is recorded: a value that
   *     arrived since the caller looked (another thread's load), or {@code null} to load
   * @param joinTimeout how long to wait for a load another thread runs; {@code null} to wait until it ends
   * @return the loaded (or rechecked) value
   * @throws Backoff when no load runs and the gap forbids one now (the same to every caller who joined)
   * @throws Exception what the load threw (also to every caller who joined it), or a
   *     {@link java.util.concurrent.TimeoutException} when the join timed out
   */
  public V load(K key, Supplier<V> recheck, Load<V> load, Duration joinTimeout) throws Exception {
    Flight<V> running = inFlight.get(key);
    if (running == null && !gapAllows(key, clock.instant())) {
      // The common answer while unknown key ids arrive in a flood: what taking the slot below would answer, without
      // taking it (no flight, no map writes that the flood's threads would contend on).
      V known = recheck.get();
      if (known != null) {
        return known;
      }
      Attempt last = attempts.getIfPresent(key);
      throw new Backoff(last == null ? null : last.failure());
    }
    if (running == null) {
      Flight<V> mine = new Flight<>(load);
      running = inFlight.putIfAbsent(key, mine);
      if (running == null) {
        V known;
        try {
          known = recheck.get();
        } catch (RuntimeException | Error e) {
          inFlight.remove(key, mine);
          mine.result.completeExceptionally(e);
          throw e;
        }
        if (known != null) {
          inFlight.remove(key, mine);
          mine.result.complete(known);
          return known;
        }
        Backoff backoff = record(key, mine);
        if (backoff != null) {
          throw backoff;
        }
        return run(key, mine);
      }
    }
    return join(key, running, joinTimeout);
  }

  /**
   * Records the start of {@code mine}'s attempt when the gap allows one and returns {@code null}; else gives the slot
   * up and returns the {@link Backoff} (carrying the last attempt's failure) that every caller who joined gets too.
   */
  private Backoff record(K key, Flight<V> mine) {
    Attempt before = attempts.getIfPresent(key);
    if (!gapAllows(key, clock.instant())) {
      Backoff backoff = new Backoff(before == null ? null : before.failure());
      inFlight.remove(key, mine);
      mine.result.completeExceptionally(backoff);
      return backoff;
    }
    Attempt started = new Attempt(clock.instant(), null, before == null ? null : before.failure());
    mine.before = before;
    mine.startedAt = started.startedAt();
    attempts.put(key, started); // the last attempt's failure stays known until this one ends
    return null;
  }

  /** Waits for {@code flight}, running it here if it is still queued; {@code timeout} null: no limit. */
  private V join(K key, Flight<V> flight, Duration timeout) throws Exception {
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    while (true) {
      if (flight.started.compareAndSet(false, true)) {
        return run(key, flight); // queued for the executor: run it here instead of waiting for the queue
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException("waited " + timeout + " for a load in flight");
      }
      try {
        return flight.result.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)), TimeUnit.NANOSECONDS);
      } catch (TimeoutException stillRunning) {
        // look again whether it was ever started
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Exception ex) {
          throw ex;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw e;
      }
    }
  }

  private V run(K key, Flight<V> flight) throws Exception {
    V value;
    try {
      value = flight.load.load();
    } catch (Exception e) {
      if (!failureType.isInstance(e)) {
        abandon(key, flight, e); // not a failure of the remote side: as if no attempt was made
        throw e;
      }
      release(key, flight, new Attempt(flight.startedAt, clock.instant(), e));
      flight.result.completeExceptionally(e);
      throw e;
    } catch (Error e) {
      abandon(key, flight, e);
      throw e;
    }
    release(key, flight, new Attempt(flight.startedAt, clock.instant(), null));
    flight.result.complete(value);
    return value;
  }

  /** Records how the attempt ended before the slot is given up, so that no caller starts another one meanwhile. */
  private void release(K key, Flight<V> flight, Attempt ended) {
    if (gapRule == Gap.AFTER_FAILURE && ended.failure() == null) {
      attempts.invalidate(key);
    } else {
      attempts.put(key, ended);
    }
    inFlight.remove(key, flight);
  }

  /** Gives the slot up as if the attempt was never made (the record before it restored) and fails its joiners. */
  private void abandon(K key, Flight<V> flight, Throwable why) {
    if (flight.before == null) {
      attempts.invalidate(key);
    } else {
      attempts.put(key, flight.before);
    }
    inFlight.remove(key, flight);
    flight.result.completeExceptionally(why);
  }
}
