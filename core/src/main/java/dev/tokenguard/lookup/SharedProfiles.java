package dev.tokenguard.lookup;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenguard.UserLookupSettings;
import dev.tokenguard.UserProfile;
import dev.tokenguard.internal.Echo;
import dev.tokenguard.internal.JsonObjects;
import dev.tokenguard.shared.SharedTier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * User-lookup answers in the shared tier, so that a fleet asks the identity provider once per user:
 * {@code profile:<hash of issuer and subject>} holds {@code {"v":1,"fetchedAt":<ms>,"profile":{...}|null}} (null:
 * "no such user") for {@code cache-ttl + stale-if-error} (profiles: served stale by any node while the user API
 * fails) or {@code not-found-ttl}; a node that misses
 * takes {@code lock:profile:<hash>} before calling, the others wait up to {@code cache.redis.lock-wait} for the
 * entry and call themselves if it does not come. An entry of another format version is ignored (a rolling
 * upgrade never breaks a request), and so is a profile whose id is not the subject asked for (never served).
 */
final class SharedProfiles {
  static final int VERSION = 1;
  private static final System.Logger LOG = System.getLogger(SharedProfiles.class.getName());

  private final SharedTier tier;
  private final UserLookupSettings settings;
  private final Clock clock;
  private final Duration lockTtl;
  private final AtomicBoolean mismatchWarned = new AtomicBoolean();

  /** The provider call a node makes when it must. */
  interface Call {
    CachingUserLookup.Entry fetch() throws UserLookupException;
  }

  SharedProfiles(SharedTier tier, UserLookupSettings settings, Clock clock) {
    this.tier = tier;
    this.settings = settings;
    this.clock = clock;
    // the lock outlives the slowest call it guards (all retries) but not much more, in case its holder dies
    this.lockTtl = settings.timeout().multipliedBy(settings.maxRetries() + 1L).plus(Duration.ofSeconds(1));
  }

  /**
   * A fresh shared answer for (issuer, subject), or the result of {@code call} made by this node or by the node
   * holding the lock; what this node fetched is shared.
   *
   * @param refreshing a refresh-ahead: a shared profile counts as fresh only before {@code cache-ttl - refresh-ahead}
   */
  CachingUserLookup.Entry fetch(String issuer, String subject, boolean refreshing, Call call) throws UserLookupException {
    String key = key(issuer, subject);
    Duration freshFor = refreshing ? settings.cacheTtl().minus(settings.refreshAhead()) : settings.cacheTtl();
    return tier.once(key, lockTtl, () -> fresh(read(key, subject), freshFor), () -> share(key, call.fetch()));
  }

  /**
   * The shared profile of (issuer, subject) while it may still be served when the user API fails (within
   * {@code cache-ttl + stale-if-error}), or {@code null}: a node that never saw the user gets what another node
   * fetched, as it would get its own stale copy.
   */
  CachingUserLookup.Entry stale(String issuer, String subject) {
    CachingUserLookup.Entry e = read(key(issuer, subject), subject);
    return e == null || e.profile() == null ? null
        : Duration.between(e.fetchedAt(), clock.instant()).compareTo(settings.cacheTtl().plus(settings.staleIfError())) < 0 ? e : null;
  }

  /** Drops the shared entry of (issuer, subject). */
  void forget(String issuer, String subject) {
    tier.remove(key(issuer, subject));
  }

  private static String key(String issuer, String subject) {
    return "profile:" + SharedTier.hashed(issuer, subject);
  }

  /**
   * The shared entry under {@code key}, or {@code null} when absent, unreadable, or holding the profile of another
   * user than {@code subject}: the check {@link CachingUserLookup} makes on every profile the user API returns is
   * made on every read from the shared tier too, since any writer of the store could have put it there. A mismatch
   * is a miss (this node then asks the user API and overwrites it); the first one on this node is logged as WARNING,
   * the rest at DEBUG (a node waiting for another's call reads the entry every 20 ms).
   */
  private CachingUserLookup.Entry read(String key, String subject) {
    CachingUserLookup.Entry e = decode(tier.get(key));
    if (e == null || e.profile() == null || subject.equals(e.profile().id())) {
      return e;
    }
    System.Logger.Level level = mismatchWarned.compareAndSet(false, true) ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG;
    LOG.log(level, "shared cache entry {0} holds the profile of ''{1}'', not of the token''s subject ''{2}''; ignored, "
        + "not served (further ones on this node are logged at DEBUG)", tier.settings().prefix() + key,
        Echo.printable(e.profile().id()), Echo.printable(subject));
    return null;
  }

  private CachingUserLookup.Entry share(String key, CachingUserLookup.Entry answer) {
    Duration ttl = answer.profile() == null ? settings.notFoundTtl() : settings.cacheTtl().plus(settings.staleIfError());
    tier.put(key, encode(answer), ttl);
    return answer;
  }

  /** The entry when it is still fresh (profiles: {@code freshFor}, "no such user": {@code not-found-ttl}), else {@code null}. */
  private CachingUserLookup.Entry fresh(CachingUserLookup.Entry a, Duration freshFor) {
    if (a == null) {
      return null;
    }
    Duration ttl = a.profile() == null ? settings.notFoundTtl() : freshFor;
    return Duration.between(a.fetchedAt(), clock.instant()).compareTo(ttl) < 0 ? a : null;
  }

  static String encode(CachingUserLookup.Entry a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", VERSION);
    m.put("fetchedAt", a.fetchedAt().toEpochMilli());
    UserProfile p = a.profile();
    if (p == null) {
      m.put("profile", null);
    } else {
      m.put("profile", p.toMap(true));
    }
    return JSONObjectUtils.toJSONString(m);
  }

  /** The answer, or {@code null} when absent, unreadable or of another version. */
  @SuppressWarnings("unchecked")
  static CachingUserLookup.Entry decode(String json) {
    if (json == null) {
      return null;
    }
    try {
      Map<String, Object> m = JsonObjects.parse(json);
      if (!(m.get("v") instanceof Long v) || v != VERSION || !(m.get("fetchedAt") instanceof Long at)) {
        return null;
      }
      Instant fetchedAt = Instant.ofEpochMilli(at);
      if (!(m.get("profile") instanceof Map<?, ?> raw)) {
        return new CachingUserLookup.Entry(null, fetchedAt, true);
      }
      Map<String, Object> u = (Map<String, Object>) raw;
      String lastLogin = (String) u.get("lastLogin");
      return new CachingUserLookup.Entry(new UserProfile((String) u.get("provider"), (String) u.get("id"), (String) u.get("email"),
          (Boolean) u.get("emailVerified"), (String) u.get("name"), (String) u.get("givenName"), (String) u.get("familyName"),
          (String) u.get("picture"), strings(u.get("roles")), strings(u.get("permissions")), Boolean.TRUE.equals(u.get("blocked")),
          (String) u.get("status"), lastLogin == null ? null : Instant.parse(lastLogin), map(u.get("metadata")),
          map(u.get("userMetadata")), map(u.get("raw"))), fetchedAt, true);
    } catch (java.text.ParseException | RuntimeException e) {
      return null; // another writer's format: treat as absent
    }
  }

  private static Set<String> strings(Object o) {
    Set<String> out = new LinkedHashSet<>();
    if (o instanceof List<?> l) {
      for (Object x : l) {
        if (x instanceof String s) {
          out.add(s);
        }
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
