package dev.tokenguard.shared;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.RejectionReason;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.internal.Echo;
import dev.tokenguard.internal.JsonObjects;
import dev.tokenguard.internal.Caches;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Subjects and token ids that must be refused until a point in time, on this node and, with a shared tier,
 * on every node: a revocation is applied here, stored under {@code revoked:<hash>} for its remaining time (nodes
 * starting later or reconnecting load them all) and published on the {@code revocations} channel (running nodes
 * apply it as soon as Redis delivers it). Messages are {@code {"v":1,"issuer":...,"subject":...,"until":<ms>}} or
 * {@code {"v":1,"jti":...,"until":<ms>}}; an unreadable or other-version message is ignored. Checking a token
 * costs nothing while nothing was ever revoked. Thread-safe.
 */
public final class Revocations {
  private static final System.Logger LOG = System.getLogger(Revocations.class.getName());
  static final String CHANNEL = "revocations";
  static final String KEY_PREFIX = "revoked:";

  private final Clock clock;
  private final Duration ttl;
  private final SharedTier tier;
  private final BiConsumer<String, String> onSubjectRevoked;
  private final Cache<String, Instant> revoked;
  private volatile boolean any;

  /**
   * @param clock the configuration's clock
   * @param ttl how long a revocation is enforced
   * @param tier the shared tier, or {@code null} for this node only
   * @param onSubjectRevoked told (issuer, subject) of every revoked subject, to drop what is cached about it
   */
  public Revocations(Clock clock, Duration ttl, SharedTier tier, BiConsumer<String, String> onSubjectRevoked) {
    this.clock = clock;
    this.ttl = ttl;
    this.tier = tier;
    this.onSubjectRevoked = onSubjectRevoked;
    this.revoked = Caches.builder(clock)
        .maximumSize(1_000_000)
        .expireAfter(Expiry.<String, Instant>creating((k, until) -> {
          Duration left = Duration.between(clock.instant(), until);
          return left.isNegative() ? Duration.ZERO : left;
        }))
        .build();
    if (tier != null) {
      tier.subscribe(CHANNEL, this::catchUp, this::apply);
    }
  }

  /**
   * Refuses the tokens of {@code subject} at {@code issuer} on every node, for {@code cache.redis.revocation-ttl}.
   *
   * @return {@code true} when the fleet was told (published through the shared tier); {@code false} when only
   *     this node enforces it (no shared tier, or it is unavailable)
   */
  public boolean revokeSubject(String issuer, String subject) {
    Map<String, Object> m = message();
    m.put("issuer", issuer);
    m.put("subject", subject);
    return broadcast(m);
  }

  /** Refuses the token whose {@code jti} is {@code tokenId}; returns as {@link #revokeSubject} does. */
  public boolean revokeTokenId(String tokenId) {
    Map<String, Object> m = message();
    m.put("jti", tokenId);
    return broadcast(m);
  }

  /**
   * Throws when {@code principal}'s subject or token id is revoked.
   *
   * @throws InvalidTokenException with {@link RejectionReason#REVOKED}
   */
  public void check(TokenPrincipal principal) {
    if (!any) {
      return;
    }
    if (principal.subject() != null && revoked.getIfPresent(subjectKey(principal.issuer(), principal.subject())) != null) {
      throw new InvalidTokenException(RejectionReason.REVOKED, "the tokens of '" + Echo.of(principal.subject()) + "' were revoked");
    }
    if (principal.claims().get("jti") instanceof String jti && revoked.getIfPresent(jtiKey(jti)) != null) {
      throw new InvalidTokenException(RejectionReason.REVOKED, "the token was revoked");
    }
  }

  private Map<String, Object> message() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", 1);
    m.put("until", clock.instant().plus(ttl).toEpochMilli());
    return m;
  }

  private boolean broadcast(Map<String, Object> m) {
    String json = JSONObjectUtils.toJSONString(m);
    apply(json);
    if (tier == null) {
      return false;
    }
    tier.put(KEY_PREFIX + SharedTier.hashed(json), json, ttl);
    if (!tier.publish(CHANNEL, json)) {
      LOG.log(System.Logger.Level.WARNING, "a revocation could not be published (shared cache unavailable); "
          + "it is enforced on this node only");
      return false;
    }
    return true;
  }

  private void catchUp() {
    tier.valuesWithPrefix(KEY_PREFIX).forEach(this::apply);
  }

  /** Applies one message from any node (including this one). */
  void apply(String json) {
    try {
      Map<String, Object> m = JsonObjects.parse(json);
      if (!(m.get("v") instanceof Long v) || v != 1 || !(m.get("until") instanceof Long untilMs)) {
        return;
      }
      Instant until = Instant.ofEpochMilli(untilMs);
      if (!until.isAfter(clock.instant())) {
        return;
      }
      if (m.get("subject") instanceof String subject && m.get("issuer") instanceof String issuer) {
        revoked.put(subjectKey(issuer, subject), until);
        any = true;
        onSubjectRevoked.accept(issuer, subject);
      } else if (m.get("jti") instanceof String jti) {
        revoked.put(jtiKey(jti), until);
        any = true;
      }
    } catch (java.text.ParseException e) {
      LOG.log(System.Logger.Level.WARNING, "ignoring an unreadable revocation message");
    }
  }

  private static String subjectKey(String issuer, String subject) {
    return "s\u0000" + issuer + '\u0000' + subject;
  }

  private static String jtiKey(String jti) {
    return "j\u0000" + jti;
  }
}
