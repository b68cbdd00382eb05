package dev.tokenguard.lookup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.RejectionReason;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.TokenServiceException;
import dev.tokenguard.UserLookup;
import dev.tokenguard.UserLookupSettings;
import dev.tokenguard.UserProfile;
import dev.tokenguard.internal.Echo;
import dev.tokenguard.internal.Listeners;
import dev.tokenguard.internal.Tickers;
import dev.tokenguard.observe.HealthReport;
import dev.tokenguard.observe.TokenGuardListener.LookupResult;
import dev.tokenguard.shared.SharedTier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
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
public final class CachingUserLookup implements UserLookup {
  private static final System.Logger LOG = System.getLogger(CachingUserLookup.class.getName());

  private final HttpUserLookup engine;
  private final UserLookupSettings settings;
  private final Clock clock;
  private final Executor executor;
  private final Cache<String, Entry> profiles;
  private final Cache<String, UserLookupException> failures;
  private final ConcurrentMap<String, CompletableFuture<Entry>> inFlight = new ConcurrentHashMap<>();
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
    this.profiles = Caffeine.newBuilder()
        .ticker(Tickers.of(clock))
        .maximumSize(100_000)
        .expireAfter(Expiry.<String, Entry>creating((k, e) -> e.profile() == null ? notFoundLife : profileLife))
        .build();
    this.failures = Caffeine.newBuilder()
        .ticker(Tickers.of(clock))
        .maximumSize(100_000)
        .expireAfterWrite(settings.failureBackoff())
        .build();
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
      Duration age = Duration.between(cached.fetchedAt(), now);
      if (cached.profile() == null) {
        listeners.userLookup(engine.provider(), LookupResult.HIT);
        throw gone(subject);
      }
      if (age.compareTo(settings.cacheTtl()) < 0) {
        if (age.compareTo(settings.cacheTtl().minus(settings.refreshAhead())) >= 0) {
          refreshInBackground(key, principal.issuer(), subject, token);
        }
        listeners.userLookup(engine.provider(), LookupResult.HIT);
        return accepted(cached.profile(), subject);
      }
    }
    UserLookupException failure = failures.getIfPresent(key);
    if (failure == null) {
      try {
        Entry fresh = fetchShared(key, principal.issuer(), subject, token, false);
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
    failures.invalidate(key);
    if (shared != null) {
      shared.forget(issuer, subject);
    }
  }

  @Override
  public HealthReport.Check health() {
    return api.health();
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
    if (inFlight.containsKey(key) || failures.getIfPresent(key) != null) {
      return;
    }
    executor.execute(() -> {
      try {
        fetchShared(key, issuer, subject, token, true);
      } catch (UserLookupException e) {
        LOG.log(System.Logger.Level.WARNING, "background user lookup at {0} failed: {1}", engine.provider(), e.getMessage());
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "background user lookup at {0} failed: {1}", engine.provider(), e.getMessage());
      }
    });
  }

  /**
   * Joins the call in flight for this user or makes it (through the shared tier when configured: one call per
   * user for the fleet); caches what it finds.
   */
  private Entry fetchShared(String key, String issuer, String subject, String token, boolean refreshing) throws UserLookupException {
    CompletableFuture<Entry> mine = new CompletableFuture<>();
    CompletableFuture<Entry> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      return join(running);
    }
    try {
      // a call for this user may have ended between the caller's cache check and this slot: use its answer
      UserLookupException recent = failures.getIfPresent(key);
      if (recent != null) {
        throw recent;
      }
      Entry known = profiles.getIfPresent(key);
      if (!refreshing && known != null && Duration.between(known.fetchedAt(), clock.instant()).compareTo(settings.cacheTtl()) < 0) {
        mine.complete(known);
        return known;
      }
      Entry entry = shared == null ? fetch(subject, token) : shared.fetch(issuer, subject, refreshing, () -> fetch(subject, token));
      profiles.put(key, entry);
      mine.complete(entry);
      return entry;
    } catch (UserLookupException e) {
      failures.put(key, e); // before the slot is released, so no caller starts another retry cycle meanwhile
      mine.completeExceptionally(e);
      throw e;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
    }
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

  private static Entry join(CompletableFuture<Entry> running) throws UserLookupException {
    try {
      return running.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserLookupException("unknown", 0, null, "interrupted while waiting for a user lookup", null, null, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UserLookupException u) {
        throw u;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(cause);
    }
  }
}
