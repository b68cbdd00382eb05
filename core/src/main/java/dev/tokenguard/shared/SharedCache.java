package dev.tokenguard.shared;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A cache shared by every node of an application, the second tier behind each node's in-process cache: string
 * values with an expiry, a lock primitive and a broadcast channel. {@link RedisSharedCache} is the built-in one
 * ({@code cache.redis.uri}). Methods may throw any runtime exception when the store cannot be reached;
 * {@link SharedTier} turns that into per-node behaviour. Implementations are thread-safe.
 */
interface SharedCache extends AutoCloseable {

  /** The value under {@code key}, or {@code null}. */
  String get(String key);

  /** Stores {@code value} under {@code key} for {@code ttl}. */
  void put(String key, String value, Duration ttl);

  /** Removes {@code key}. */
  void remove(String key);

  /** Stores {@code value} only when {@code key} is absent; {@code true} when stored (a lock taken). */
  boolean putIfAbsent(String key, String value, Duration ttl);

  /** Removes {@code key} only while it still holds {@code value} (releasing one's own lock). */
  void removeIfEquals(String key, String value);

  /** The values of every key that starts with {@code keyPrefix} (small sets only: revocations). */
  List<String> valuesWithPrefix(String keyPrefix);

  /** Sends {@code message} to every subscriber of {@code channel}, on every node. */
  void publish(String channel, String message);

  /**
   * Delivers the messages of {@code channel} to {@code onMessage} on a thread of the implementation until
   * {@link #close()}, reconnecting by itself; {@code onConnected} runs on every (re)connection, before messages,
   * so a subscriber can catch up on what it missed.
   */
  void subscribe(String channel, Runnable onConnected, Consumer<String> onMessage);

  /** Releases connections and stops subscriptions. */
  @Override
  void close();
}
