package dev.tokenguard;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The optional shared cache tier ({@code cache.redis.*}): off unless {@code cache.redis.uri} is set. Nodes
 * sharing a Redis server (and prefix) share user profiles, "no such user" answers and management-API tokens,
 * make one identity-provider call per user for the whole fleet (a short Redis lock), and hear each other's
 * revocations.
 *
 * @param uri the Redis server, {@code redis://[user:password@]host:port[/db]} or {@code rediss://...} (TLS)
 * @param prefix put before every key and channel name, so several applications can share one server
 * @param timeout connect and read timeout of one Redis command
 * @param lockWait how long a node waits for another node's call for the same user before making its own
 * @param outageBackoff after a Redis failure, Redis is not asked again for this long (per-node caching meanwhile)
 * @param revocationTtl how long a revocation is enforced (at least the longest token lifetime)
 */
public record SharedCacheSettings(URI uri, String prefix, Duration timeout, Duration lockWait, Duration outageBackoff,
    Duration revocationTtl) {
  /** {@code cache.redis.uri}; setting it turns the shared tier on. */
  public static final ConfigKey<URI> REDIS_URI = ConfigKey.of("cache.redis.uri", ConfigKey.Kind.TEXT, null, null,
      "Redis server shared by all nodes (redis:// or rediss://); setting it turns the shared tier on. Off by default.",
      SharedCacheSettings::redisUri, (k, v) -> v).asSecret();
  /** {@code cache.redis.prefix}. */
  public static final ConfigKey<String> PREFIX = ConfigKey.of("cache.redis.prefix", ConfigKey.Kind.TEXT, "tokenguard:", "tokenguard:",
      "Prefix of every Redis key and channel; nodes of one application share it.", (k, t) -> t, (k, v) -> {
        if (v.isEmpty() || v.length() > 64 || v.chars().anyMatch(c -> c <= ' ' || c == '*' || c > '~')) {
          throw new TokenGuardConfigException(k, "expected 1 to 64 printable characters without spaces or '*', but was '" + v + "'");
        }
        return v;
      });
  /** {@code cache.redis.timeout}. */
  public static final ConfigKey<Duration> TIMEOUT = ConfigKey.duration("cache.redis.timeout", Duration.ofMillis(250),
      Duration.ofMillis(1), Duration.ofSeconds(10), "Connect and read timeout of one Redis command.");
  /** {@code cache.redis.lock-wait}. */
  public static final ConfigKey<Duration> LOCK_WAIT = ConfigKey.duration("cache.redis.lock-wait", Duration.ofSeconds(2),
      Duration.ZERO, Duration.ofSeconds(30), "How long a node waits for another node's user-API call for the same user before calling itself.");
  /** {@code cache.redis.outage-backoff}. */
  public static final ConfigKey<Duration> OUTAGE_BACKOFF = ConfigKey.duration("cache.redis.outage-backoff", Duration.ofSeconds(5),
      Duration.ZERO, Duration.ofMinutes(10), "After a Redis failure, nodes cache on their own for this long before asking Redis again.");
  /** {@code cache.redis.revocation-ttl}. */
  public static final ConfigKey<Duration> REVOCATION_TTL = ConfigKey.duration("cache.redis.revocation-ttl", Duration.ofDays(1),
      Duration.ofSeconds(1), Duration.ofDays(30), "How long a published revocation is enforced; at least your longest token lifetime.");

  /** Every {@code cache.redis.*} key. */
  public static final List<ConfigKey<?>> KEYS = List.of(REDIS_URI, PREFIX, TIMEOUT, LOCK_WAIT, OUTAGE_BACKOFF, REVOCATION_TTL);

  /** The settings from the {@code cache.redis.*} values of {@code values}, or {@code null} when no URI is set. */
  static SharedCacheSettings of(KeyValues values) {
    URI uri = values.get(REDIS_URI);
    return uri == null ? null : new SharedCacheSettings(uri, values.get(PREFIX), values.get(TIMEOUT), values.get(LOCK_WAIT),
        values.get(OUTAGE_BACKOFF), values.get(REVOCATION_TTL));
  }

  /** Masks the password in the URI. */
  @Override
  public String toString() {
    String shown = uri.getUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getRawUserInfo() + "@", "******@");
    return "SharedCacheSettings{uri=" + shown + ", prefix=" + prefix + ", timeout=" + Durations.format(timeout)
        + ", lock-wait=" + Durations.format(lockWait) + ", outage-backoff=" + Durations.format(outageBackoff)
        + ", revocation-ttl=" + Durations.format(revocationTtl) + "}";
  }

  private static URI redisUri(String key, String value) {
    URI u;
    try {
      u = URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new TokenGuardConfigException(key, "expected redis://host:port or rediss://host:port, but it is not a URI");
    }
    if (!"redis".equals(u.getScheme()) && !"rediss".equals(u.getScheme()) || u.getHost() == null) {
      throw new TokenGuardConfigException(key, "expected redis://host:port or rediss://host:port");
    }
    return u;
  }
}
