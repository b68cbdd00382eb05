package dev.tokenguard.observe;

import dev.tokenguard.RejectionReason;
import java.time.Duration;

/**
 * Told what TokenGuard does, for metrics and audit: every method has an empty default, so an implementation
 * overrides only what it needs. Register with {@link dev.tokenguard.TokenGuard.Builder#listener}; the Micrometer
 * binding ({@link TokenGuardMetrics}) is one such listener.
 *
 * <p>Methods are called on request threads and background refresh threads, synchronously, so they must be
 * fast and thread-safe. An exception thrown by a listener is logged once and otherwise ignored: it never
 * changes a decision. No event carries a token; issuers are configured issuers only (never the {@code iss} of a
 * rejected token, which an attacker chooses).
 */
public interface TokenGuardListener {

  /**
   * The TokenGuard this listener was registered with is built; called once, before any other event. Lets a
   * listener read state that events do not carry (cached keys, the shared tier's availability: for gauges).
   */
  default void started(GuardStatus status) {}

  /**
   * A request with a token, or without one on a protected path, was decided (public paths are not reported).
   *
   * @param issuer the configured issuer the token belongs to, or {@code null} when it was refused before its
   *     issuer was trusted
   * @param reason {@code null} when allowed, else why it was refused
   */
  default void requestDecided(String issuer, RejectionReason reason) {}

  /** The verified-token cache was asked: {@code hit} when the token was verified before. */
  default void tokenCacheLookup(boolean hit) {}

  /**
   * A JWKS fetch (with discovery when the JWKS URL is not configured) ended.
   *
   * @param issuer the configured issuer
   * @param latency how long the fetch took
   * @param keyCount usable keys in the fetched set; 0 when the fetch failed
   * @param failure {@code null} on success, else what went wrong
   */
  default void jwksFetched(String issuer, Duration latency, int keyCount, String failure) {}

  /**
   * A token named a key the cached set lacks, but the refetch was skipped because one happened within
   * {@code jwks.min-refetch-interval} (the guard against kid flooding).
   */
  default void jwksRefetchSkipped(String issuer) {}

  /**
   * The user lookup answered one request.
   *
   * @param provider the {@code user-lookup.provider}
   * @param result where the answer came from
   */
  default void userLookup(String provider, LookupResult result) {}

  /**
   * One HTTP exchange with the provider's user API or token endpoint ended (retries are separate calls).
   *
   * @param status the HTTP status, or 0 when no answer came (timeout, connection refused)
   * @param latency how long the exchange took
   */
  default void userApiCall(String provider, int status, Duration latency) {}

  /**
   * A user API call will be retried after {@code wait}.
   *
   * @param status the status that caused it (429, 5xx), or 0 for no answer
   */
  default void userApiRetry(String provider, int status, Duration wait) {}

  /**
   * The circuit breaker over a provider's API changed state.
   *
   * @param state {@code open} (calls fail at once), {@code half-open} (one probe goes out) or {@code closed}
   */
  default void userApiBreaker(String provider, String state) {}

  /**
   * An opaque token was looked up in the introspection cache of its issuer.
   *
   * @param hit whether an answer (active or inactive) was cached, or another request's call was under way
   */
  default void introspectionLookup(String issuer, boolean hit) {}

  /**
   * One call to an issuer's introspection endpoint ended.
   *
   * @param result {@code active}, {@code inactive} or {@code error}
   * @param latency how long the call took
   */
  default void introspectionCall(String issuer, String result, Duration latency) {}

  /**
   * A proof of possession was checked for a token of {@code issuer}: a DPoP proof, or the client certificate of a
   * certificate-bound token.
   *
   * @param binding {@code dpop} or {@code mtls}
   * @param refused {@code null} when it passed, else the check that refused it ({@code htu}, {@code iat}, {@code replay},
   *     {@code jkt}, {@code certificate}, ...)
   */
  default void proofChecked(String issuer, String binding, String refused) {}

  /** Where a user lookup's answer came from. */
  enum LookupResult {
    /** The cache (a profile, or a remembered "no such user"). */
    HIT,
    /** A call to the user API. */
    MISS,
    /** The shared tier ({@code cache.redis.uri}): another node's call, no call from this one. */
    SHARED,
    /** The user API failed; a cached profile past its TTL was served (within {@code stale-if-error}). */
    STALE,
    /** The user API failed and nothing was cached: 503, or no profile with {@code on-failure=fail-open}. */
    FAILED;

    /** The lower-case name used as a metric tag. */
    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
