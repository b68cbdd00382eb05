package dev.tokenguard.shared;

import dev.tokenguard.SharedCacheSettings;
import dev.tokenguard.TokenGuardConfigException;
import dev.tokenguard.internal.Sha256;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The shared tier as TokenGuard uses it: keys under {@code cache.redis.prefix}, and never a failed request
 * because of the store. A failing command is answered as "not there" / "not taken"; the first failure logs one
 * WARNING, and for {@code cache.redis.outage-backoff} the store is not asked at all (each node caches on its own,
 * as without the tier); the first success after that logs one INFO. Thread-safe.
 */
public final class SharedTier implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SharedTier.class.getName());
  /** How often a node waiting for another node's call looks for its answer. */
  private static final Duration POLL = Duration.ofMillis(20);

  private final SharedCache store;
  private final SharedCacheSettings settings;
  private final String owner = UUID.randomUUID().toString();
  private final AtomicBoolean down = new AtomicBoolean();
  private volatile long askAgainAtNanos;

  /**
   * @param store the shared store
   * @param settings prefix and timings
   */
  public SharedTier(SharedCache store, SharedCacheSettings settings) {
    this.store = store;
    this.settings = settings;
  }

  /**
   * The Redis tier {@code settings} describes.
   *
   * @throws TokenGuardConfigException naming {@code cache.redis.uri} when Jedis is not on the class path
   */
  public static SharedTier redis(SharedCacheSettings settings) {
    try {
      Class.forName("redis.clients.jedis.UnifiedJedis", false, SharedTier.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new TokenGuardConfigException("cache.redis.uri",
          "needs the Redis client redis.clients:jedis on the class path (add it as a dependency)");
    }
    return new SharedTier(new RedisSharedCache(settings), settings);
  }

  /** The settings. */
  public SharedCacheSettings settings() {
    return settings;
  }

  /** Whether the store answered the last time it was asked (false during an outage backoff). */
  public boolean available() {
    return !down.get();
  }

  /** The value under {@code key}, or {@code null} when absent or the store is unavailable. */
  public String get(String key) {
    return guarded(() -> store.get(settings.prefix() + key), null);
  }

  /** Stores {@code value} for {@code ttl}; does nothing while the store is unavailable. */
  public void put(String key, String value, Duration ttl) {
    guarded(() -> {
      store.put(settings.prefix() + key, value, ttl);
      return null;
    }, null);
  }

  /** A call a node makes when the fleet has no answer yet (it shares what it got itself). */
  public interface Call<T, X extends Exception> {
    T get() throws X;
  }

  /**
   * What the fleet knows under {@code key}, fetched by one node at a time: {@code shared} reads the entry (or
   * {@code null} when absent or too old); on a miss this node takes {@code lock:<key>} for at most {@code lockTtl}
   * and makes {@code call}, which shares its answer; a node that finds the lock taken waits up to
   * {@code cache.redis.lock-wait} for the entry and makes the call itself if it does not come (or the store leaves).
   */
  public <T, X extends Exception> T once(String key, Duration lockTtl, Supplier<T> shared, Call<T, X> call) throws X {
    T found = shared.get();
    if (found != null) {
      return found;
    }
    String lock = "lock:" + key;
    if (tryLock(lock, lockTtl)) {
      try {
        found = shared.get(); // the previous holder may have shared it since this node looked
        return found != null ? found : call.get();
      } finally {
        unlock(lock);
      }
    }
    long deadline = System.nanoTime() + settings.lockWait().toNanos();
    while (System.nanoTime() - deadline < 0 && available()) {
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      found = shared.get();
      if (found != null) {
        return found;
      }
    }
    return call.get(); // the other node's call did not arrive in time (or the store left)
  }

  /**
   * Marks {@code key} as used for {@code ttl}, fleet-wide: {@code TRUE} when no node had marked it, {@code FALSE} when one
   * had, {@code null} when the store is unavailable (then only this node's own memory can tell).
   */
  public Boolean claim(String key, Duration ttl) {
    return guarded(() -> store.putIfAbsent(settings.prefix() + key, owner, ttl), null);
  }

  /** Removes {@code key}. */
  public void remove(String key) {
    guarded(() -> {
      store.remove(settings.prefix() + key);
      return null;
    }, null);
  }

  /** Takes this node's lock {@code key} for at most {@code ttl}; {@code false} when another node holds it or the store is unavailable. */
  public boolean tryLock(String key, Duration ttl) {
    return guarded(() -> store.putIfAbsent(settings.prefix() + key, owner, ttl), false);
  }

  /** Releases this node's lock {@code key} (another node's lock is left alone). */
  public void unlock(String key) {
    guarded(() -> {
      store.removeIfEquals(settings.prefix() + key, owner);
      return null;
    }, null);
  }

  /** Removes {@code key} while it still holds {@code value}. */
  public void removeIfEquals(String key, String value) {
    guarded(() -> {
      store.removeIfEquals(settings.prefix() + key, value);
      return null;
    }, null);
  }

  /** The values of every key starting with {@code keyPrefix}; empty while the store is unavailable. */
  public List<String> valuesWithPrefix(String keyPrefix) {
    return guarded(() -> store.valuesWithPrefix(settings.prefix() + keyPrefix), List.of());
  }

  /** Broadcasts {@code message} on {@code channel}; {@code false} when the store is unavailable. */
  public boolean publish(String channel, String message) {
    return guarded(() -> {
      store.publish(settings.prefix() + channel, message);
      return true;
    }, false);
  }

  /** Subscribes to {@code channel} (see {@link SharedCache#subscribe}). */
  public void subscribe(String channel, Runnable onConnected, Consumer<String> onMessage) {
    store.subscribe(settings.prefix() + channel, onConnected, onMessage);
  }

  /**
   * A key for {@code parts} that does not show them (subjects and client ids stay out of key listings): the
   * base64url SHA-256 of the parts joined by NUL ({@link Sha256#ofParts}: different strings, lone surrogates
   * included, give different keys).
   */
  public static String hashed(String... parts) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256.ofParts(parts));
  }

  private <T> T guarded(Supplier<T> command, T fallback) {
    if (down.get() && System.nanoTime() - askAgainAtNanos < 0) {
      return fallback;
    }
    try {
      T result = command.get();
      if (down.compareAndSet(true, false)) {
        LOG.log(System.Logger.Level.INFO, "shared cache at {0} answers again; nodes share profiles and calls again",
            settings.uri().getHost() + ":" + settings.uri().getPort());
      }
      return result;
    } catch (RuntimeException | LinkageError e) { // LinkageError: a Redis client of another version must not fail requests either
      askAgainAtNanos = System.nanoTime() + settings.outageBackoff().toNanos();
      if (down.compareAndSet(false, true)) {
        LOG.log(System.Logger.Level.WARNING, "shared cache at {0} failed ({1}: {2}); each node caches on its own and "
            + "asks it again in {3} ms", settings.uri().getHost() + ":" + settings.uri().getPort(),
            e.getClass().getSimpleName(), e.getMessage(), settings.outageBackoff().toMillis());
      }
      return fallback;
    }
  }

  @Override
  public void close() {
    store.close();
  }
}
