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
  /** Default key prefix. */
  public static final String DEFAULT_PREFIX = "tokenguard:";
  /** Default command timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(250);
  /** Default wait for another node's call. */
  public static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(2);
  /** Default pause after a Redis failure. */
  public static final Duration DEFAULT_OUTAGE_BACKOFF = Duration.ofSeconds(5);
  /** Default enforcement of a revocation. */
  public static final Duration DEFAULT_REVOCATION_TTL = Duration.ofDays(1);

  /** Every {@code cache.redis.*} key. */
  public static final List<ConfigKey> KEYS = List.of(
      new ConfigKey("cache.redis.uri", null, true, "Redis server shared by all nodes (redis:// or rediss://); setting it turns the shared tier on. Off by default."),
      new ConfigKey("cache.redis.prefix", DEFAULT_PREFIX, false, "Prefix of every Redis key and channel; nodes of one application share it."),
      new ConfigKey("cache.redis.timeout", Durations.format(DEFAULT_TIMEOUT), false, "Connect and read timeout of one Redis command."),
      new ConfigKey("cache.redis.lock-wait", Durations.format(DEFAULT_LOCK_WAIT), false, "How long a node waits for another node's user-API call for the same user before calling itself."),
      new ConfigKey("cache.redis.outage-backoff", Durations.format(DEFAULT_OUTAGE_BACKOFF), false, "After a Redis failure, nodes cache on their own for this long before asking Redis again."),
      new ConfigKey("cache.redis.revocation-ttl", Durations.format(DEFAULT_REVOCATION_TTL), false, "How long a published revocation is enforced; at least your longest token lifetime."));

  /** Whether {@code key} is a {@code cache.redis.*} key. */
  static boolean knows(String key) {
    return KEYS.stream().anyMatch(k -> k.name().equals(key));
  }

  /** Masks the password in the URI. */
  @Override
  public String toString() {
    String shown = uri.getUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getRawUserInfo() + "@", "******@");
    return "SharedCacheSettings{uri=" + shown + ", prefix=" + prefix + ", timeout=" + Durations.format(timeout)
        + ", lock-wait=" + Durations.format(lockWait) + ", outage-backoff=" + Durations.format(outageBackoff)
        + ", revocation-ttl=" + Durations.format(revocationTtl) + "}";
  }

  /** Collects {@code cache.redis.*} values and checks them. */
  static final class Builder {
    private URI uri;
    private String prefix = DEFAULT_PREFIX;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration lockWait = DEFAULT_LOCK_WAIT;
    private Duration outageBackoff = DEFAULT_OUTAGE_BACKOFF;
    private Duration revocationTtl = DEFAULT_REVOCATION_TTL;

    void set(String key, String rawValue) {
      String value = rawValue.trim();
      switch (key) {
        case "cache.redis.uri" -> uri = value.isEmpty() ? null : redisUri(key, value);
        case "cache.redis.prefix" -> {
          if (value.isEmpty() || value.length() > 64 || value.chars().anyMatch(c -> c <= ' ' || c == '*' || c > '~')) {
            throw new TokenGuardConfigException(key, "expected 1 to 64 printable characters without spaces or '*', but was '" + value + "'");
          }
          prefix = value;
        }
        case "cache.redis.timeout" -> timeout = ConfigText.duration(key, value, Duration.ofMillis(1), Duration.ofSeconds(10));
        case "cache.redis.lock-wait" -> lockWait = ConfigText.duration(key, value, Duration.ZERO, Duration.ofSeconds(30));
        case "cache.redis.outage-backoff" -> outageBackoff = ConfigText.duration(key, value, Duration.ZERO, Duration.ofMinutes(10));
        case "cache.redis.revocation-ttl" -> revocationTtl = ConfigText.duration(key, value, Duration.ofSeconds(1), Duration.ofDays(30));
        default -> throw new IllegalArgumentException(key);
      }
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

    SharedCacheSettings build() {
      return uri == null ? null : new SharedCacheSettings(uri, prefix, timeout, lockWait, outageBackoff, revocationTtl);
    }
  }
}
