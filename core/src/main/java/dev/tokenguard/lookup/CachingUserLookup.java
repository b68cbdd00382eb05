package dev.tokenguard.lookup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.tokenguard.HealthReport;
import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.RejectionReason;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.TokenServiceException;
import dev.tokenguard.UserLookup;
import dev.tokenguard.UserLookupSettings;
import dev.tokenguard.UserProfile;
import dev.tokenguard.internal.Echo;
import dev.tokenguard.internal.Refresher;
import dev.tokenguard.internal.Caches;
import dev.tokenguard.observe.Listeners;
import dev.tokenguard.observe.TokenGuardListener.LookupResult;
import dev.tokenguard.shared.SharedTier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The lookup policy around the {@link HttpUserLookup} engine:
 *
 * <ul>
 *   <li>profiles are cached by (issuer, subject) for {@code user-lookup.cache-ttl}; from
 *       {@code cache-ttl - refresh-ahead} one background refresh runs while the cached profile is used;</li>
 *   <li>a "no such user" answer is remembered for {@code not-found-ttl} and answered 401;</li>
 *   <li>concurrent misses for one user share one call;</li>
 *   <li>when the user API fails, a cached profile is served for up to {@code stale-if-error} past its TTL;
 *       otherwise {@code on-failure} decides: 503 ({@code fail-closed}) or no profile ({@code fail-open}); the
 *       same user is not asked for again for {@code failure-backoff};</li>
 *   <li>the profile's id must equal the token's subject, and {@code reject-blocked} turns a blocked,
 *       suspended or disabled user into 401 {@code invalid_token}.</li>
 * </ul>
 * Our own credential problems (401/403 from a management API) are failures of the user API, never a 401 for
 * the caller. Thread-safe; a cache hit takes no lock.
 */
final class CachingUserLookup implements UserLookup {
  private static final System.Logger LOG = System.getLogger(CachingUserLookup.class.getName());

  private final HttpUserLookup engine;
  private final UserLookupSettings settings;
  private final Clock clock;
  private final Executor executor;
  private final Cache<String, Entry> profiles;
  private final Refresher<String, Entry> refresher;
  private final Listeners listeners;
  private final ApiClient api;
  private final SharedProfiles shared;

  /**
   * A cached answer: a profile, or {@code null} for "no such user", when the provider gave it, and whether it came
   * from the shared tier (another node's call).
   */
  record Entry(UserProfile profile, Instant fetchedAt, boolean shared) {}

  CachingUserLookup(HttpUserLookup engine, UserLookupSettings settings, Clock clock, Executor executor,
      Listeners listeners, ApiClient api, SharedTier tier) {
    this.shared = tier == null ? null : new SharedProfiles(tier, settings, clock);
    this.listeners = listeners;
    this.api = api;
    this.engine = engine;
    this.settings = settings;
    this.clock = clock;
    this.executor = executor;
    Duration profileLife = settings.cacheTtl().plus(settings.staleIfError());
    Duration notFoundLife = settings.notFoundTtl();
    this.profiles = Caches.builder(clock)
        .maximumSize(100_000)
        .expireAfter(Expiry.<String, Entry>creating((k, e) -> e.profile() == null ? notFoundLife : profileLife))
        .build();
    this.refresher = new Refresher<>(clock, executor, settings.failureBackoff(), Refresher.Gap.AFTER_FAILURE,
        UserLookupException.class, 100_000);
  }

  @Override
  public UserProfile lookUp(TokenPrincipal principal, String token) {
    String subject = principal.subject();
    if (subject == null) {
      throw new InvalidTokenException(RejectionReason.MISSING_CLAIM, "the token has no subject (sub), which the user lookup needs");
    }
    String key = principal.issuer() + '\u0000' + subject;
    Instant now = clock.instant();
    Entry cached = profiles.getIfPresent(key);
    if (cached != null) {
      if (cached.profile() == null) {
        listeners.userLookup(engine.provider(), LookupResult.HIT);
        throw gone(subject);
      }
      if (Refresher.isFresh(cached.fetchedAt(), settings.cacheTtl(), now)) {
        if (Refresher.isDue(cached.fetchedAt(), settings.cacheTtl(), settings.refreshAhead(), now)) {
          refreshInBackground(key, principal.issuer(), subject, token);
        }
        listeners.userLookup(engine.provider(), LookupResult.HIT);
        return accepted(cached.profile(), subject);
      }
    }
    UserLookupException failure = refresher.recentFailure(key) instanceof UserLookupException u ? u : null;
    if (failure == null) {
      try {
        Entry fresh = fetchShared(key, principal.issuer(), subject, token);
        listeners.userLookup(engine.provider(), fresh.shared() ? LookupResult.SHARED : LookupResult.MISS);
        if (fresh.profile() == null) {
          throw gone(subject);
        }
        return accepted(fresh.profile(), subject);
      } catch (UserLookupException e) {
        failure = e;
        LOG.log(System.Logger.Level.WARNING, "user lookup at {0} failed: {1}", engine.provider(), e.getMessage());
      }
    }
    if (cached == null && shared != null) {
      cached = shared.stale(principal.issuer(), subject); // another node's copy, within stale-if-error
    }
    if (cached != null) {
      listeners.userLookup(engine.provider(), LookupResult.STALE);
      return accepted(cached.profile(), subject); // stale, within stale-if-error: Caffeine still holds it
    }
    listeners.userLookup(engine.provider(), LookupResult.FAILED);
    if (settings.onFailure() == UserLookupSettings.OnFailure.FAIL_OPEN) {
      return null;
    }
    Duration retryAfter = failure.retryAfter() != null ? failure.retryAfter() : settings.failureBackoff();
    // the client learns that the user API failed and how; the provider's own words stay in the logs
    throw new TokenServiceException("the user API of " + engine.provider() + " is unavailable"
        + (failure.status() > 0 ? " (HTTP " + failure.status() + ")" : " (no answer)"), retryAfter, failure);
  }

  @Override
  public void forget(String issuer, String subject) {
    String key = issuer + '\u0000' + subject;
    profiles.invalidate(key);
    refresher.forget(key);
    if (shared != null) {
      shared.forget(issuer, subject);
    }
  }

  @Override
  public HealthReport.Check health() {
    HealthReport.Check check = api.health();
    Map<String, Object> details = new java.util.LinkedHashMap<>(check.details());
    details.put("cachedProfiles", profiles.estimatedSize()); // approximate: Caffeine's estimate
    return new HealthReport.Check(check.name(), check.up(), details);
  }

  private UserProfile accepted(UserProfile profile, String subject) {
    if (settings.rejectBlocked() && profile.blocked()) {
      throw new InvalidTokenException(RejectionReason.BLOCKED_USER, "the user '" + Echo.of(subject) + "' is blocked at the identity provider"
          + (profile.status() == null ? "" : " (status " + Echo.of(profile.status()) + ")"));
    }
    return profile;
  }

  private static InvalidTokenException gone(String subject) {
    return new InvalidTokenException(RejectionReason.UNKNOWN_USER, "the user '" + Echo.of(subject) + "' does not exist at the identity provider");
  }

  private void refreshInBackground(String key, String issuer, String subject, String token) {
    refresher.refreshInBackground(key, () -> fetchAndStore(key, issuer, subject, token, true), e -> LOG.log(
        System.Logger.Level.WARNING, "background user lookup at {0} failed: {1}", engine.provider(), e.getMessage()));
  }

  /**
   * Joins the call in flight for this user or makes it (through the shared tier when configured: one call per
   * user for the fleet); within {@code failure-backoff} after a failed call, that failure again.
   */
  private Entry fetchShared(String key, String issuer, String subject, String token) throws UserLookupException {
    try {
      return refresher.load(key, () -> freshEntry(key), () -> fetchAndStore(key, issuer, subject, token, false), null);
    } catch (Refresher.Backoff b) { // a call for this user failed just before this one: that failure again
      if (b.lastFailure() instanceof UserLookupException u) {
        throw u;
      }
      if (b.lastFailure() instanceof RuntimeException r) {
        throw r;
      }
      throw new UserLookupException(engine.provider(), 0, null, "the user lookup is backing off after a failure", null, null, b);
    } catch (UserLookupException | RuntimeException e) {
      throw e;
    } catch (InterruptedException e) {
      throw new UserLookupException("unknown", 0, null, "interrupted while waiting for a user lookup", null, null, e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The cached answer while it is fresh (another thread's call may have just stored it), else {@code null}. */
  private Entry freshEntry(String key) {
    Entry known = profiles.getIfPresent(key);
    return known != null && Refresher.isFresh(known.fetchedAt(), settings.cacheTtl(), clock.instant()) ? known : null;
  }

  /** One call (or the shared tier's answer), cached before the caller's slot is released. */
  private Entry fetchAndStore(String key, String issuer, String subject, String token, boolean refreshing)
      throws UserLookupException {
    Entry entry = shared == null ? fetch(subject, token) : shared.fetch(issuer, subject, refreshing, () -> fetch(subject, token));
    profiles.put(key, entry);
    return entry;
  }

  private Entry fetch(String subject, String token) throws UserLookupException {
    HttpUserLookup.Result result = engine.fetch(subject, token);
    Instant now = clock.instant();
    if (result instanceof HttpUserLookup.Found found) {
      UserProfile profile = found.profile();
      if (!subject.equals(profile.id())) {
        throw new InvalidTokenException(RejectionReason.UNKNOWN_USER, "the user API of " + engine.provider() + " answered with the profile of '"
            + Echo.of(profile.id()) + "' for the subject '" + Echo.of(subject) + "'");
      }
      return new Entry(profile, now, false);
    }
    return new Entry(null, now, false);
  }
}
