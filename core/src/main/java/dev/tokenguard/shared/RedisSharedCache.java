package dev.tokenguard.shared;

import dev.tokenguard.SharedCacheSettings;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.providers.PooledConnectionProvider;
import redis.clients.jedis.resps.ScanResult;

/**
 * {@link SharedCache} on a Redis server through Jedis: a small connection pool whose waits and commands are
 * bounded by {@code cache.redis.timeout} (a dead server costs a request at most that, and {@link SharedTier}
 * stops asking it for {@code cache.redis.outage-backoff}), and one extra connection per subscription, re-opened
 * every second while the server is away. Uses only calls that Jedis 6 (Spring Boot 3.5's), 7 (Spring Boot 4.0's) and 8
 * share, binary compatibly (tested with 6.0.0 and 7.0.0 by the Spring fleet tests, with 8.0.2 here).
 */
final class RedisSharedCache implements SharedCache {
  private static final System.Logger LOG = System.getLogger(RedisSharedCache.class.getName());
  private static final String UNLOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
  // SET NX PX as a script: SetParams' fluent methods are not binary compatible between Jedis 6 and 8
  private static final String SET_NX_PX = "return redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])";
  private static final Duration RESUBSCRIBE = Duration.ofSeconds(1);

  private final HostAndPort address;
  private final JedisClientConfig clientConfig;
  private final PooledConnectionProvider provider;
  private final UnifiedJedis client;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<Subscription> subscriptions = new ArrayList<>();

  /** Connects lazily: nothing is sent to Redis until the first command. */
  public RedisSharedCache(SharedCacheSettings settings) {
    URI uri = settings.uri();
    this.address = new HostAndPort(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 6379);
    int timeout = (int) Math.max(1, settings.timeout().toMillis());
    DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(timeout)
        .socketTimeoutMillis(timeout)
        .clientName("tokenguard")
        .ssl("rediss".equals(uri.getScheme()));
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      String user = colon < 0 ? null : decode(userInfo.substring(0, colon));
      String password = decode(colon < 0 ? userInfo : userInfo.substring(colon + 1));
      if (user != null && !user.isEmpty()) {
        b.user(user);
      }
      b.password(password);
    }
    String path = uri.getPath();
    if (path != null && path.length() > 1) {
      b.database(Integer.parseInt(path.substring(1)));
    }
    this.clientConfig = b.build();
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(32);
    pool.setMaxIdle(8);
    pool.setMinIdle(0);
    pool.setMaxWait(settings.timeout());
    pool.setTestOnBorrow(false);
    // UnifiedJedis over a pooled provider: the same API from Jedis 6 (Spring Boot 3.5's) to 8; one attempt per command
    this.provider = new PooledConnectionProvider(address, clientConfig, pool);
    this.client = new UnifiedJedis(provider, 1, settings.timeout());
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String get(String key) {
    return command(() -> client.get(key));
  }

  /**
   * Runs one command; when it fails, the idle pooled connections are dropped too (after a Redis restart they are
   * all dead, and each would otherwise fail one more command, each failure starting a new outage backoff).
   */
  private <T> T command(java.util.function.Supplier<T> c) {
    try {
      return c.get();
    } catch (RuntimeException e) {
      provider.getPool().clear();
      throw e;
    }
  }

  @Override
  public void put(String key, String value, Duration ttl) {
    command(() -> client.psetex(key, Math.max(1, ttl.toMillis()), value));
  }

  @Override
  public void remove(String key) {
    command(() -> client.del(key));
  }

  @Override
  public boolean putIfAbsent(String key, String value, Duration ttl) {
    Object answer = command(() -> client.eval(SET_NX_PX, List.of(key), List.of(value, Long.toString(Math.max(1, ttl.toMillis())))));
    return "OK".equals(answer);
  }

  @Override
  public void removeIfEquals(String key, String value) {
    command(() -> client.eval(UNLOCK, List.of(key), List.of(value)));
  }

  @Override
  public List<String> valuesWithPrefix(String keyPrefix) {
    List<String> values = new ArrayList<>();
    ScanParams params = new ScanParams().match(keyPrefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1") + "*").count(500);
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      String at = cursor;
      ScanResult<String> page = command(() -> client.scan(at, params));
      for (String key : page.getResult()) {
        String v = get(key);
        if (v != null) {
          values.add(v);
        }
      }
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return values;
  }

  @Override
  public void publish(String channel, String message) {
    command(() -> client.publish(channel, message));
  }

  @Override
  public synchronized void subscribe(String channel, Runnable onConnected, Consumer<String> onMessage) {
    Subscription s = new Subscription(channel, onConnected, onMessage);
    subscriptions.add(s);
    Thread t = new Thread(s, "tokenguard-redis-subscriber");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public synchronized void close() {
    if (closed.compareAndSet(false, true)) {
      for (Subscription s : subscriptions) {
        s.stop();
      }
      client.close();
    }
  }

  /** One channel on its own connection, re-opened while the server is away. */
  private final class Subscription implements Runnable {
    private final String channel;
    private final Runnable onConnected;
    private final Consumer<String> onMessage;
    private volatile Jedis connection;
    private volatile boolean lost;

    Subscription(String channel, Runnable onConnected, Consumer<String> onMessage) {
      this.channel = channel;
      this.onConnected = onConnected;
      this.onMessage = onMessage;
    }

    @Override
    public void run() {
      while (!closed.get()) {
        try (Jedis jedis = new Jedis(address, clientConfig)) {
          synchronized (this) { // either stop() sees this connection, or this thread sees closed
            if (closed.get()) {
              return;
            }
            connection = jedis;
          }
          jedis.subscribe(new JedisPubSub() {
            @Override
            public void onSubscribe(String ch, int count) {
              if (lost) {
                LOG.log(System.Logger.Level.INFO, "Redis subscription to {0} restored", channel);
                lost = false;
              }
              runQuietly(onConnected);
            }

            @Override
            public void onMessage(String ch, String message) {
              runQuietly(() -> onMessage.accept(message));
            }
          }, channel);
        } catch (RuntimeException e) {
          if (!closed.get() && !lost) {
            lost = true;
            LOG.log(System.Logger.Level.WARNING, "Redis subscription to {0} lost: {1}; retrying every {2} s",
                channel, e.getMessage(), RESUBSCRIBE.toSeconds());
          }
        }
        pause();
      }
    }

    private void runQuietly(Runnable r) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "handling a message of " + channel + " failed", e);
      }
    }

    private void pause() {
      try {
        Thread.sleep(RESUBSCRIBE.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    synchronized void stop() {
      Jedis c = connection;
      if (c != null) {
        try {
          c.close(); // ends the blocking subscribe
        } catch (RuntimeException ignored) {
          // closing anyway
        }
      }
    }
  }
}
