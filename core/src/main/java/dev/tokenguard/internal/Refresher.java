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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
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
 *       ({@link #load}); a background load never queues twice ({@link #refreshInBackground}).</li>
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
   * @param failure why it failed, or {@code null} when it succeeded or runs
   */
  public record Attempt(Instant startedAt, Instant endedAt, Exception failure) {}

  private final Clock clock;
  private final Executor executor;
  private final Duration gap;
  private final Gap gapRule;
  private final Class<? extends Exception> failureType;
  private final Cache<K, Attempt> attempts;
  private final ConcurrentMap<K, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();

  /**
   * @param clock the clock of every window
   * @param executor runs background loads
   * @param gap the least time between two attempts (see {@code gapRule})
   * @param gapRule when the gap counts
   * @param failureType the failures that count as a failed attempt (others pass to the callers and are not
   *     remembered: an attempt that threw one counts as not made)
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
    Caffeine<Object, Object> b = Caffeine.newBuilder().ticker(Tickers.of(clock)).maximumSize(maximumKeys);
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
   * Starts one background load of {@code key} unless one is in flight or the gap forbids it.
   *
   * @param onFailure told when the load fails (after the failure is recorded)
   */
  public void refreshInBackground(K key, Load<V> load, Consumer<Exception> onFailure) {
    if (inFlight.containsKey(key) || !gapAllows(key, clock.instant())) {
      return;
    }
    CompletableFuture<V> mine = claim(key);
    if (mine == null) {
      return;
    }
    try {
      executor.execute(() -> {
        try {
          run(key, mine, load);
        } catch (Exception e) {
          onFailure.accept(e);
        }
      });
    } catch (RejectedExecutionException e) {
      release(key, mine, null, e); // shut down: nobody is left waiting for a refresh
    }
  }

  /**
   * The value now: joins the load in flight for {@code key}, or starts one on this thread when the gap allows.
   *
   * @param recheck asked after this caller holds the key's slot and before an attempt is recorded: a value that
   *     arrived since the caller looked (another thread's load), or {@code null} to load
   * @param joinTimeout how long to wait for a load in flight; {@code null} to wait until it ends
   * @return the loaded (or rechecked) value, or {@code null} when no load runs and the gap forbids one now
   * @throws Exception what the load threw (also to every caller who joined it), or a
   *     {@link java.util.concurrent.TimeoutException} when the join timed out
   */
  public V load(K key, Supplier<V> recheck, Load<V> load, Duration joinTimeout) throws Exception {
    CompletableFuture<V> running = inFlight.get(key);
    if (running == null) {
      CompletableFuture<V> mine = new CompletableFuture<>();
      running = inFlight.putIfAbsent(key, mine);
      if (running == null) {
        V known = recheck.get();
        if (known != null) {
          inFlight.remove(key, mine);
          mine.complete(known);
          return known;
        }
        if (!gapAllows(key, clock.instant())) {
          inFlight.remove(key, mine);
          mine.cancel(false);
          return null;
        }
        attempts.put(key, started(key));
        return run(key, mine, load);
      }
    }
    return await(running, joinTimeout);
  }

  /** Takes the key's slot and records the attempt's start, or returns {@code null} when another load holds it. */
  private CompletableFuture<V> claim(K key) {
    CompletableFuture<V> mine = new CompletableFuture<>();
    if (inFlight.putIfAbsent(key, mine) != null) {
      return null;
    }
    if (!gapAllows(key, clock.instant())) { // lost a race with an attempt that just ended
      inFlight.remove(key, mine);
      mine.cancel(false);
      return null;
    }
    attempts.put(key, started(key));
    return mine;
  }

  /** An attempt starting now; the last one's failure stays known until this one ends. */
  private Attempt started(K key) {
    Attempt previous = attempts.getIfPresent(key);
    return new Attempt(clock.instant(), null, previous == null ? null : previous.failure());
  }

  private V run(K key, CompletableFuture<V> mine, Load<V> load) throws Exception {
    Attempt begun = attempts.getIfPresent(key);
    Instant startedAt = begun == null ? clock.instant() : begun.startedAt();
    try {
      V value = load.load();
      release(key, mine, new Attempt(startedAt, clock.instant(), null), null);
      mine.complete(value);
      return value;
    } catch (Exception e) {
      release(key, mine, failureType.isInstance(e) ? new Attempt(startedAt, clock.instant(), e) : notMade(key, startedAt), e);
      throw e;
    } catch (Error e) {
      release(key, mine, null, e);
      throw e;
    }
  }

  /** What is remembered after an attempt that threw something other than a failure: the attempt before it. */
  private Attempt notMade(K key, Instant startedAt) {
    Attempt running = attempts.getIfPresent(key);
    if (gapRule == Gap.AFTER_FAILURE || running == null) {
      return new Attempt(startedAt, clock.instant(), null);
    }
    return new Attempt(startedAt, clock.instant(), running.failure());
  }

  /** Records how the attempt ended before the slot is given up, so no caller starts another one meanwhile. */
  private void release(K key, CompletableFuture<V> mine, Attempt ended, Throwable failure) {
    if (ended != null) {
      if (gapRule == Gap.AFTER_FAILURE && ended.failure() == null) {
        attempts.invalidate(key);
      } else {
        attempts.put(key, ended);
      }
    }
    inFlight.remove(key, mine);
    if (failure != null) {
      mine.completeExceptionally(failure);
    }
  }

  private V await(CompletableFuture<V> running, Duration timeout) throws Exception {
    try {
      return timeout == null ? running.get() : running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw e;
    } catch (java.util.concurrent.CancellationException e) {
      return null; // the holder found the gap closed: nothing was loaded
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw e;
    }
  }
}
