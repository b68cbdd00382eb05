package dev.tokenguard.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.TokenValidator;
import dev.tokenguard.internal.Sha256;
import dev.tokenguard.internal.Caches;
import dev.tokenguard.observe.Listeners;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;

/**
 * Remembers verified tokens so a repeated token costs a SHA-256 and a cache lookup. The key is the token's
 * SHA-256 (the token itself is never stored); an entry lives until the token's {@code exp} or
 * {@code token-cache.max-ttl}, whichever comes first, and is dropped as soon as the key that verified it
 * leaves the issuer's JWKS ({@link #keysRemoved(Set)}). Failures are not cached. Thread-safe; a hit takes no
 * lock.
 */
public final class CachingTokenValidator implements TokenValidator {
  private final JwtValidator delegate;
  private final Clock clock;
  private final Cache<Digest, VerifiedToken> cache;
  private final Listeners listeners;

  /**
   * @param delegate does the validation on a miss
   * @param config supplies {@code token-cache.max-size}, {@code token-cache.max-ttl} and the clock
   */
  public CachingTokenValidator(JwtValidator delegate, TokenGuardConfig config) {
    this(delegate, config, Listeners.NONE);
  }

  /**
   * @param delegate does the validation on a miss
   * @param config supplies {@code token-cache.max-size}, {@code token-cache.max-ttl} and the clock
   * @param listeners told of every hit and miss
   */
  public CachingTokenValidator(JwtValidator delegate, TokenGuardConfig config, Listeners listeners) {
    this.delegate = delegate;
    this.listeners = listeners;
    this.clock = config.clock();
    Duration maxTtl = config.tokenCacheMaxTtl();
    this.cache = Caches.builder(clock)
        .maximumSize(config.tokenCacheMaxSize())
        .expireAfter(Expiry.<Digest, VerifiedToken>creating((key, token) -> {
          Duration untilExp = Duration.between(clock.instant(), token.trustedUntil());
          return untilExp.compareTo(maxTtl) < 0 ? untilExp : maxTtl;
        }))
        .build();
  }

  @Override
  public TokenPrincipal validate(String token) {
    Digest digest = Digest.of(token);
    VerifiedToken hit = hit(digest);
    if (hit != null) {
      listeners.tokenCacheLookup(true);
      return hit.principal();
    }
    listeners.tokenCacheLookup(false);
    VerifiedToken verified = delegate.verify(token);
    if (clock.instant().isBefore(verified.trustedUntil())) {
      cache.put(digest, verified);
    }
    return verified.principal();
  }

  /**
   * The principal of {@code token} when the cache holds it, else {@code null}: never validates, never blocks, and tells
   * no listener (a caller that uses the answer counts the hit; one that goes on to {@link #validate} is counted there).
   */
  public TokenPrincipal cached(String token) {
    VerifiedToken hit = hit(Digest.of(token));
    return hit == null ? null : hit.principal();
  }

  private VerifiedToken hit(Digest digest) {
    VerifiedToken hit = cache.getIfPresent(digest);
    return hit != null && clock.instant().isBefore(hit.trustedUntil()) ? hit : null;
  }

  /** Drops every cached token verified by one of these keys. */
  public void keysRemoved(Set<String> thumbprints) {
    cache.asMap().values().removeIf(v -> v.keyThumbprint() != null && thumbprints.contains(v.keyThumbprint()));
  }

  /** Drops every cached token of {@code subject} at {@code issuer} (a revocation). */
  public void forgetSubject(String issuer, String subject) {
    cache.asMap().values().removeIf(v -> subject.equals(v.principal().subject()) && issuer.equals(v.principal().issuer()));
  }

  /** Number of cached tokens (approximate); for diagnostics and tests. */
  public long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  /** SHA-256 of a token, with a cheap hash code taken from its first bytes. */
  private static final class Digest {
    private final byte[] bytes;
    private final int hash;

    private Digest(byte[] bytes) {
      this.bytes = bytes;
      this.hash = (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
    }

    static Digest of(String token) {
      return new Digest(Sha256.of(token));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Digest d && Arrays.equals(bytes, d.bytes); // hashes, not secrets: no need for constant time
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return "Digest" + Arrays.hashCode(bytes);
    }
  }
}
