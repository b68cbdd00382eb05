package dev.tokenguard.observe;

import dev.tokenguard.RejectionReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * TokenGuard's meters in a Micrometer {@link MeterRegistry} (Micrometer is an optional dependency: this class is
 * the only one that needs it). Register it as a listener:
 *
 * <pre>{@code
 * TokenGuard guard = TokenGuard.builder(config).listener(new TokenGuardMetrics(registry)).build();
 * }</pre>
 *
 * or, where the registry comes later (a framework binding {@link MeterBinder}s), register
 * {@code new TokenGuardMetrics()} and let the framework call {@link #bindTo}; events before that are not
 * counted. The Spring adapter and the Quarkus extension do this when Micrometer is present. Meters (Prometheus names
 * replace dots with underscores and add {@code _total}/{@code _seconds}):
 * <ul>
 *   <li>{@code tokenguard.validations} (counter; {@code outcome} allowed|rejected, {@code reason} none or a
 *       {@link RejectionReason#tag()}, {@code issuer} a configured issuer or {@code none})</li>
 *   <li>{@code tokenguard.token_cache.requests} (counter; {@code result} hit|miss)</li>
 *   <li>{@code tokenguard.jwks.fetches} (timer; {@code issuer}, {@code result} success|failure)</li>
 *   <li>{@code tokenguard.jwks.refetches.skipped} (counter; {@code issuer}): unknown-kid refetches refused by
 *       {@code jwks.min-refetch-interval}</li>
 *   <li>{@code tokenguard.jwks.keys} (gauge; {@code issuer}): usable keys cached</li>
 *   <li>{@code tokenguard.jwks.age} (gauge, seconds; {@code issuer}): age of the served key set, NaN before the
 *       first fetch</li>
 *   <li>{@code tokenguard.jwks.stale} (gauge; {@code issuer}): 1 while keys past {@code jwks.cache-ttl} are served
 *       because refreshes fail, else 0</li>
 *   <li>{@code tokenguard.user_lookup.requests} (counter; {@code provider}, {@code result} hit|miss|shared|stale|failed)</li>
 *   <li>{@code tokenguard.user_api.calls} (timer; {@code provider}, {@code status} the HTTP status or
 *       {@code none} when no answer came)</li>
 *   <li>{@code tokenguard.user_api.retries} (counter; {@code provider}, {@code status})</li>
 *   <li>{@code tokenguard.user_api.breaker} (counter; {@code provider}, {@code state} open|half-open|closed): changes of
 *       the circuit breaker over a provider's API</li>
 *   <li>{@code tokenguard.shared_cache.available} (gauge, with {@code cache.redis.uri}): 1 while Redis answers, 0 while
 *       nodes cache on their own after a failure</li>
 * </ul>
 * Tag values are bounded: issuers and providers come from the configuration, never from a token.
 */
public final class TokenGuardMetrics implements TokenGuardListener, MeterBinder {
  private static final System.Logger LOG = System.getLogger(TokenGuardMetrics.class.getName());
  private static final String NONE = "none";
  private static final RejectionReason[] REASONS = RejectionReason.values();

  private volatile GuardStatus guard;
  private volatile Meters meters;

  /** Meters go to the registry given to {@link #bindTo} later. */
  public TokenGuardMetrics() {}

  /** @param registry where the meters go */
  public TokenGuardMetrics(MeterRegistry registry) {
    bindTo(registry);
  }

  /** Binds to {@code registry}; a second registry is refused with a warning (bind a composite instead). */
  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    if (meters != null) {
      if (meters.registry != registry) {
        LOG.log(System.Logger.Level.WARNING, "TokenGuard metrics are already bound to {0}; not binding to {1}",
            meters.registry, registry);
      }
      return;
    }
    Meters m = new Meters(registry);
    if (guard != null) {
      m.gauges(guard);
    }
    meters = m;
  }

  /** Registers the gauges of every configured issuer once a registry is bound. */
  @Override
  public synchronized void started(GuardStatus started) {
    guard = started;
    if (meters != null) {
      meters.gauges(started);
    }
  }

  @Override
  public void requestDecided(String issuer, RejectionReason reason) {
    Meters m = meters;
    if (m != null) {
      m.validationCounters(issuer == null ? NONE : issuer)[reason == null ? 0 : 1 + reason.ordinal()].increment();
    }
  }

  @Override
  public void tokenCacheLookup(boolean hit) {
    Meters m = meters;
    if (m != null) {
      (hit ? m.cacheHits : m.cacheMisses).increment();
    }
  }

  @Override
  public void jwksFetched(String issuer, Duration latency, int keyCount, String failure) {
    Meters m = meters;
    if (m != null) {
      String result = failure == null ? "success" : "failure";
      m.meter("jwks.fetches|" + issuer + '|' + result, k -> Timer.builder("tokenguard.jwks.fetches")
          .tags("issuer", issuer, "result", result).description("JWKS fetches (with discovery)").register(m.registry), Timer.class)
          .record(latency);
    }
  }

  @Override
  public void jwksRefetchSkipped(String issuer) {
    Meters m = meters;
    if (m != null) {
      m.meter("jwks.skipped|" + issuer, k -> Counter.builder("tokenguard.jwks.refetches.skipped").tag("issuer", issuer)
          .description("Unknown-kid refetches refused by jwks.min-refetch-interval").register(m.registry), Counter.class)
          .increment();
    }
  }

  @Override
  public void userLookup(String provider, LookupResult result) {
    Meters m = meters;
    if (m != null) {
      m.meter("lookup|" + provider + '|' + result, k -> Counter.builder("tokenguard.user_lookup.requests")
          .tags("provider", provider, "result", result.tag()).description("User lookups by where the answer came from")
          .register(m.registry), Counter.class).increment();
    }
  }

  @Override
  public void introspectionLookup(String issuer, boolean hit) {
    Meters m = meters;
    if (m != null) {
      String result = hit ? "hit" : "miss";
      m.meter("introspection|" + issuer + '|' + result, k -> Counter.builder("tokenguard.introspection.requests")
          .tags("issuer", issuer, "result", result).description("Opaque tokens looked up in the introspection cache")
          .register(m.registry), Counter.class).increment();
    }
  }

  @Override
  public void introspectionCall(String issuer, String result, Duration latency) {
    Meters m = meters;
    if (m != null) {
      m.meter("introspect|" + issuer + '|' + result, k -> Timer.builder("tokenguard.introspection.calls")
          .tags("issuer", issuer, "result", result).description("Calls to the introspection endpoint")
          .register(m.registry), Timer.class).record(latency);
    }
  }

  @Override
  public void proofChecked(String issuer, String binding, String refused) {
    Meters m = meters;
    if (m != null) {
      String result = refused == null ? "accepted" : refused;
      m.meter("proof|" + issuer + '|' + binding + '|' + result, k -> Counter.builder("tokenguard.proofs")
          .tags("issuer", issuer, "binding", binding, "result", result)
          .description("Proofs of possession checked (DPoP proofs, client certificates), by the check that refused them").register(m.registry),
          Counter.class).increment();
    }
  }

  @Override
  public void userApiCall(String provider, int status, Duration latency) {
    Meters m = meters;
    if (m != null) {
      String s = status == 0 ? NONE : Integer.toString(status);
      m.meter("api|" + provider + '|' + s, k -> Timer.builder("tokenguard.user_api.calls").tags("provider", provider, "status", s)
          .description("HTTP exchanges with the user API and token endpoint").register(m.registry), Timer.class).record(latency);
    }
  }

  @Override
  public void userApiRetry(String provider, int status, Duration wait) {
    Meters m = meters;
    if (m != null) {
      String s = status == 0 ? NONE : Integer.toString(status);
      m.meter("retry|" + provider + '|' + s, k -> Counter.builder("tokenguard.user_api.retries").tags("provider", provider, "status", s)
          .description("User API calls retried, by the status that caused it").register(m.registry), Counter.class).increment();
    }
  }

  @Override
  public void userApiBreaker(String provider, String state) {
    Meters m = meters;
    if (m != null) {
      m.meter("breaker|" + provider + '|' + state, k -> Counter.builder("tokenguard.user_api.breaker").tags("provider", provider, "state", state)
          .description("Changes of the circuit breaker over a provider's API, by the state entered").register(m.registry), Counter.class).increment();
    }
  }

  /** The meters of one registry. */
  private static final class Meters {
    final MeterRegistry registry;
    /** Per issuer tag: index 0 allowed, 1 + reason ordinal rejected. */
    final Map<String, Counter[]> validations = new ConcurrentHashMap<>();
    final Map<String, Object> others = new ConcurrentHashMap<>();
    final Counter cacheHits;
    final Counter cacheMisses;

    Meters(MeterRegistry registry) {
      this.registry = registry;
      this.cacheHits = Counter.builder("tokenguard.token_cache.requests").tag("result", "hit")
          .description("Verified-token cache lookups").register(registry);
      this.cacheMisses = Counter.builder("tokenguard.token_cache.requests").tag("result", "miss")
          .description("Verified-token cache lookups").register(registry);
    }

    void gauges(GuardStatus guard) {
      for (String issuer : guard.issuers()) {
        Gauge.builder("tokenguard.jwks.keys", guard, g -> g.keySet(issuer).keyCount())
            .tag("issuer", issuer).description("Usable signing keys cached").register(registry);
        Gauge.builder("tokenguard.jwks.age", guard, g -> ageSeconds(g.keySet(issuer), g.now()))
            .tag("issuer", issuer).baseUnit("seconds").description("Age of the served key set").register(registry);
        Gauge.builder("tokenguard.jwks.stale", guard, g -> stale(g.keySet(issuer), g.now()))
            .tag("issuer", issuer).description("1 while keys past jwks.cache-ttl are served because refreshes fail")
            .register(registry);
        validationCounters(issuer);
      }
      validationCounters(NONE);
      if (guard.sharedTierConfigured()) {
        Gauge.builder("tokenguard.shared_cache.available", guard, g -> g.sharedTierAvailable() ? 1 : 0)
            .description("1 while the shared Redis tier answers, 0 during an outage backoff (nodes cache on their own)")
            .register(registry);
      }
    }

    Counter[] validationCounters(String issuer) {
      Counter[] known = validations.get(issuer);
      return known != null ? known : validations.computeIfAbsent(issuer, i -> {
        Counter[] c = new Counter[REASONS.length + 1];
        c[0] = Counter.builder("tokenguard.validations").tags("outcome", "allowed", "reason", NONE, "issuer", i)
            .description("Requests with a token (or missing one) decided").register(registry);
        for (RejectionReason r : REASONS) {
          c[1 + r.ordinal()] = Counter.builder("tokenguard.validations").tags("outcome", "rejected", "reason", r.tag(), "issuer", i)
              .description("Requests with a token (or missing one) decided").register(registry);
        }
        return c;
      });
    }

    <M> M meter(String key, Function<String, M> create, Class<M> type) {
      Object known = others.get(key);
      return type.cast(known != null ? known : others.computeIfAbsent(key, create));
    }
  }

  private static double ageSeconds(GuardStatus.KeySet s, Instant now) {
    return s.fetchedAt() == null ? Double.NaN : Duration.between(s.fetchedAt(), now).toMillis() / 1000.0;
  }

  private static double stale(GuardStatus.KeySet s, Instant now) {
    return s.freshUntil() != null && !now.isBefore(s.freshUntil()) ? 1 : 0;
  }
}
