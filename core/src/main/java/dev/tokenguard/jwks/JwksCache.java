package dev.tokenguard.jwks;

import com.github.benmanes.caffeine.cache.Cache;
import dev.tokenguard.HealthReport;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenServiceException;
import dev.tokenguard.internal.Refresher;
import dev.tokenguard.internal.Caches;
import dev.tokenguard.net.DocumentFetcher;
import dev.tokenguard.net.IssuerDiscovery;
import dev.tokenguard.observe.Listeners;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The keys of every trusted issuer, fetched lazily and kept in a Caffeine cache with one entry per JWKS URL.
 *
 * <p>Per issuer, with {@code age} the time since the keys were fetched:
 * <ul>
 *   <li>{@code age < cache-ttl - refresh-ahead}: the cached keys are used, nothing else happens;</li>
 *   <li>later: the cached keys are still used, and one background refresh starts (off the request thread);</li>
 *   <li>a failing refresh keeps the last good keys until {@code cache-ttl + stale-if-error}, after which the
 *       entry expires and requests wait for a fetch; with nothing to serve the answer is
 *       {@link TokenServiceException} (503), never 401;</li>
 *   <li>an unknown {@code kid} causes at most one fetch per {@code min-refetch-interval}, shared by every
 *       thread asking (single flight); tokens whose kid is known never wait for it;</li>
 *   <li>nothing is fetched at start-up, so the application starts while the IdP is down and recovers on its
 *       own; after a failure the next attempt waits {@code min-refetch-interval}.</li>
 * </ul>
 * Reading the cache takes no lock and does no I/O.
 */
public final class JwksCache {
  private static final System.Logger LOG = System.getLogger(JwksCache.class.getName());

  private final TokenGuardConfig config;
  private final Clock clock;
  private final DocumentFetcher fetcher;
  private final IssuerDiscovery discovery;
  private final Executor executor;
  private final Consumer<Set<String>> onKeysRemoved;
  private final Listeners listeners;
  private final Cache<URI, KeySet> keySets;
  private final Map<String, IssuerState> issuers = new ConcurrentHashMap<>();
  private final Refresher<String, KeySet> refresher;

  /**
   * @param config the configuration (issuers, JWKS URLs, timings)
   * @param executor runs background refreshes
   * @param onKeysRemoved told the thumbprints of keys that disappeared from a refreshed set
   */
  public JwksCache(TokenGuardConfig config, Executor executor, Consumer<Set<String>> onKeysRemoved) {
    this(config, executor, onKeysRemoved, Listeners.NONE);
  }

  /**
   * @param config the configuration (issuers, JWKS URLs, timings)
   * @param executor runs background refreshes
   * @param onKeysRemoved told the thumbprints of keys that disappeared from a refreshed set
   * @param listeners told of every fetch and of refetches skipped by the rate limit
   */
  public JwksCache(TokenGuardConfig config, Executor executor, Consumer<Set<String>> onKeysRemoved, Listeners listeners) {
    this.config = config;
    this.listeners = listeners;
    this.clock = config.clock();
    this.fetcher = new DocumentFetcher(config.jwksTimeout());
    this.discovery = new IssuerDiscovery(fetcher);
    this.executor = executor;
    this.onKeysRemoved = onKeysRemoved;
    this.keySets = Caches.builder(clock)
        .expireAfterWrite(config.jwksCacheTtl().plus(config.jwksStaleIfError()))
        .maximumSize(Math.max(16, 4L * config.issuers().size()))
        .build();
    this.refresher = new Refresher<>(clock, executor, config.jwksMinRefetchInterval(), Refresher.Gap.EVERY_ATTEMPT,
        Exception.class, Math.max(16, 4L * config.issuers().size()));
    for (String issuer : config.issuers()) {
      issuers.put(issuer, new IssuerState(issuer, config.jwksUri(issuer)));
    }
  }

  /**
   * The keys to verify a token of {@code issuer} with, possibly starting a background refresh.
   *
   * @throws TokenServiceException when no keys are cached and none can be fetched now
   * @throws IllegalArgumentException when {@code issuer} is not configured
   */
  public KeySet keys(String issuer) {
    IssuerState st = state(issuer);
    KeySet ks = st.cached();
    Instant now = clock.instant();
    if (ks == null) {
      return st.fetchAndWait(now, null);
    }
    if (Refresher.isDue(ks.fetchedAt(), config.jwksCacheTtl(), config.jwksRefreshAhead(), now)) {
      refresher.refreshInBackground(issuer, st::fetchReported, failure -> { }); // fetchReported logs it
    }
    return ks;
  }

  /**
   * Called when a token names a key that {@code seen} does not hold: fetches once more unless a fetch
   * happened within {@code min-refetch-interval}, and returns the newest keys.
   *
   * @throws TokenServiceException when the last attempt failed and no newer keys can be had
   */
  public KeySet refetchForUnknownKey(String issuer, KeySet seen) {
    IssuerState st = state(issuer);
    return st.fetchAndWait(clock.instant(), seen);
  }

  /** The cached keys of {@code issuer} without any fetch, or {@code null}. For health checks and tests. */
  public KeySet peek(String issuer) {
    return state(issuer).cached();
  }

  /**
   * What is known about the keys of {@code issuer}, without any fetch.
   *
   * @param issuer a configured issuer
   * @param jwksUri the configured or discovered JWKS URL, or {@code null} before discovery
   * @param keyCount usable keys cached (0 when none)
   * @param fetchedAt when the cached keys were fetched, or {@code null}
   * @param freshUntil end of {@code jwks.cache-ttl} for them, or {@code null}
   * @param usableUntil end of {@code jwks.stale-if-error} for them, or {@code null}
   * @param lastAttempt when a fetch last started, or {@code null}
   * @param lastFailure why the last fetch failed, or {@code null} when it succeeded (or none ran)
   */
  public record Status(String issuer, URI jwksUri, int keyCount, Instant fetchedAt, Instant freshUntil, Instant usableUntil,
      Instant lastAttempt, String lastFailure) {
    /** Healthy: keys are cached and the last fetch succeeded. */
    public boolean healthy() {
      return keyCount > 0 && lastFailure == null;
    }

    /** This status as a health check named {@code jwks <issuer>}. */
    public HealthReport.Check check() {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("issuer", issuer);
      HealthReport.putIfSet(d, "jwksUri", jwksUri);
      d.put("keys", keyCount);
      HealthReport.putIfSet(d, "fetchedAt", fetchedAt);
      HealthReport.putIfSet(d, "freshUntil", freshUntil);
      HealthReport.putIfSet(d, "usableUntil", usableUntil);
      HealthReport.putIfSet(d, "lastAttempt", lastAttempt);
      HealthReport.putIfSet(d, "lastFailure", lastFailure);
      return new HealthReport.Check("jwks " + issuer, healthy(), d);
    }
  }

  /** The status of {@code issuer}'s keys, without any fetch. */
  public Status status(String issuer) {
    IssuerState st = state(issuer);
    KeySet ks = st.cached();
    Refresher.Attempt attempt = refresher.lastAttempt(issuer);
    Exception failure = attempt == null ? null : attempt.failure();
    Instant fetchedAt = ks == null ? null : ks.fetchedAt();
    Instant fresh = ks == null ? null : fetchedAt.plus(config.jwksCacheTtl());
    return new Status(issuer, st.knownUri(), ks == null ? 0 : ks.keys().size(), fetchedAt, fresh,
        fresh == null ? null : fresh.plus(config.jwksStaleIfError()), attempt == null ? null : attempt.startedAt(),
        failure == null ? null : failure.getMessage());
  }

  /**
   * For health checks: fetches {@code issuer}'s keys now when none are cached, the last fetch failed, or the
   * cached set is due for refresh, and the rate limit ({@code jwks.min-refetch-interval}) allows it; then
   * returns the status. Without traffic a health check is what notices a JWKS endpoint dying or coming back.
   * Never throws for a failed fetch (the status says it).
   */
  public Status probe(String issuer) {
    IssuerState st = state(issuer);
    Instant now = clock.instant();
    KeySet ks = st.cached();
    boolean due = ks == null || refresher.recentFailure(issuer) != null
        || Refresher.isDue(ks.fetchedAt(), config.jwksCacheTtl(), config.jwksRefreshAhead(), now);
    if (due && refresher.gapAllows(issuer, now)) {
      try {
        st.fetchAndWait(now, ks);
      } catch (TokenServiceException e) {
        // recorded as lastFailure; the status reports it
      }
    }
    return status(issuer);
  }

  private IssuerState state(String issuer) {
    IssuerState st = issuers.get(issuer);
    if (st == null) {
      throw new IllegalArgumentException("not a configured issuer: " + issuer);
    }
    return st;
  }

  /** Until jwks.min-refetch-interval allows the next fetch of {@code issuer}'s keys; at least a second. */
  private Duration retryAfter(String issuer, Instant now) {
    Instant next = refresher.nextAttemptAllowedAt(issuer);
    Duration left = next == null ? Duration.ZERO : Duration.between(now, next);
    return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
  }

  /** Fetch bookkeeping of one issuer. */
  private final class IssuerState {
    final String issuer;
    final URI configuredUri;
    volatile URI discoveredUri;

    IssuerState(String issuer, URI configuredUri) {
      this.issuer = issuer;
      this.configuredUri = configuredUri;
    }

    URI knownUri() {
      return configuredUri != null ? configuredUri : discoveredUri;
    }

    KeySet cached() {
      URI uri = knownUri();
      return uri == null ? null : keySets.getIfPresent(uri);
    }

    /**
     * Joins the fetch in flight, or starts one on this thread when the rate limit allows. Returns newer keys, or
     * {@code seen} when fetching is not allowed now and the last attempt succeeded.
     */
    KeySet fetchAndWait(Instant now, KeySet seen) {
      try {
        return refresher.load(issuer, () -> {
          KeySet current = cached();
          return current != null && current != seen ? current : null; // somebody refreshed since the caller looked
        }, this::fetchReported, config.jwksTimeout().multipliedBy(5));
      } catch (Refresher.Backoff b) {
        if (seen != null) {
          listeners.jwksRefetchSkipped(issuer);
        }
        return notNowAnswer(now, seen, b.lastFailure());
      } catch (Exception e) {
        throw unavailable(now, e);
      }
    }

    /** Within jwks.min-refetch-interval: the newest keys, unless the last attempt failed and none are newer. */
    private KeySet notNowAnswer(Instant now, KeySet seen, Exception failure) {
      KeySet current = cached();
      if (failure == null && current != null) {
        return current;
      }
      if (failure == null && seen != null) {
        return seen;
      }
      throw unavailable(now, failure);
    }

    /** 503: the client learns one fixed reason ({@link #clientReason}); the URL and exception stay in the message. */
    private TokenServiceException unavailable(Instant now, Exception cause) {
      String detail = cause == null ? "no keys fetched yet" : cause.getMessage();
      return new TokenServiceException("the signing keys could not be fetched: " + clientReason(cause),
          "the signing keys of issuer " + issuer + " could not be fetched: " + detail, retryAfter(issuer, now), cause);
    }

    /** One fetch, reported to the listeners and, when it fails, logged with what requests get meanwhile. */
    KeySet fetchReported() throws Exception {
      long start = System.nanoTime();
      try {
        KeySet fresh = fetch();
        listeners.jwksFetched(issuer, Duration.ofNanos(System.nanoTime() - start), fresh.keys().size(), null);
        return fresh;
      } catch (Exception e) {
        listeners.jwksFetched(issuer, Duration.ofNanos(System.nanoTime() - start), 0, String.valueOf(e.getMessage()));
        LOG.log(System.Logger.Level.WARNING, "JWKS fetch for issuer {0} failed: {1}; {2}", issuer, e.getMessage(),
            servingNow(clock.instant()));
        throw e;
      }
    }

    /** What requests get while fetches fail: the last good keys (stale once past the TTL) or 503. */
    private String servingNow(Instant now) {
      KeySet current = cached();
      if (current == null) {
        return "no keys to serve: tokens of this issuer get 503 until a fetch succeeds";
      }
      Instant fresh = current.fetchedAt().plus(config.jwksCacheTtl());
      Instant last = fresh.plus(config.jwksStaleIfError());
      return (now.isBefore(fresh) ? "still serving the keys fetched at " : "serving STALE keys fetched at ")
          + current.fetchedAt() + " until " + last + " (jwks.cache-ttl + jwks.stale-if-error)";
    }

    private KeySet fetch() throws Exception {
      URI uri = knownUri();
      if (uri == null) {
        uri = discovery.jwksUri(issuer);
        discoveredUri = uri;
      }
      String body = fetcher.get(uri);
      KeyHygiene.Result result;
      try {
        result = KeyHygiene.parse(body, clock.instant(), config.jdkSignatureEnginesOnly());
      } catch (java.text.ParseException e) {
        throw new DocumentFetcher.FetchException(DocumentFetcher.Problem.NOT_A_KEY_SET,
            "the JWKS at " + uri + " is unusable: " + e.getMessage(), 200, e);
      }
      for (String reason : result.dropped()) {
        LOG.log(System.Logger.Level.WARNING, "JWKS of issuer {0}: ignoring {1}", issuer, reason);
      }
      KeySet previous = keySets.getIfPresent(uri);
      keySets.put(uri, result.keySet());
      if (previous != null) {
        Set<String> removed = new HashSet<>(previous.thumbprints());
        removed.removeAll(result.keySet().thumbprints());
        if (!removed.isEmpty()) {
          onKeysRemoved.accept(Set.copyOf(removed));
        }
      }
      return result.keySet();
    }
  }

  /** Why keys could not be had, in a fixed sentence that names no URL, host, port or exception. */
  private static String clientReason(Exception cause) {
    if (cause == null) {
      return "none were fetched yet";
    }
    if (cause instanceof DocumentFetcher.FetchException f) {
      return f.clientReason();
    }
    if (cause instanceof TimeoutException) {
      return DocumentFetcher.Problem.NO_ANSWER_IN_TIME.sentence();
    }
    return DocumentFetcher.Problem.OTHER.sentence();
  }

  /** For diagnostics: the configured issuers. */
  public List<String> issuers() {
    return config.issuers();
  }
}
