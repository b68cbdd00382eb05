package dev.tokenguard.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.TokenValidator;
import dev.tokenguard.internal.Caches;
import dev.tokenguard.internal.Sha256;
import dev.tokenguard.internal.TokenSyntax;
import dev.tokenguard.observe.Listeners;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Remembers verified tokens so a repeated token costs a SHA-256 of its signature and a cache lookup.
 *
 * <p>A token is split after its last {@code .}: the key is the SHA-256 of what follows (a JWS's signature), and the
 * entry keeps what precedes it, the {@code .} included (the signing input: header and payload), which a hit must equal
 * byte for byte. So a hit means the very token that was verified: the same signature (else the SHA-256 of two
 * different signatures collided) and the same signing input. A token that reuses a cached signature under another
 * header or payload misses, and is verified (and refused) like any other. The signature is never stored, only its
 * SHA-256, so the cache holds no usable token; the signing input holds the claims the cached principal holds anyway.
 * Hashing the signature alone (342 of the 1,007 bytes of an RS256 token, 86 of an ES256 or EdDSA one) instead of the
 * whole token is what makes a hit cheap; SECURITY.md gives the argument.
 *
 * <p>An entry lives until the token's {@code exp} or {@code token-cache.max-ttl}, whichever comes first, and is dropped
 * as soon as the key that verified it leaves the issuer's JWKS ({@link #keysRemoved(Set)}). Failures are not cached.
 * Thread-safe; a hit never waits for a lock (Caffeine's upkeep, done by the reading thread, runs under a {@code tryLock}
 * that others skip).
 */
public final class CachingTokenValidator implements TokenValidator {
  private final JwtValidator delegate;
  private final Clock clock;
  private final Cache<Digest, Entry> cache;
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
        .expireAfter(Expiry.<Digest, Entry>creating((key, entry) -> {
          Duration untilExp = Duration.between(clock.instant(), entry.token().trustedUntil());
          return untilExp.compareTo(maxTtl) < 0 ? untilExp : maxTtl;
        }))
        .build();
  }

  @Override
  public TokenPrincipal validate(String token) {
    return validate(token, t -> {});
  }

  /**
   * {@link #validate(String)}, with {@code beforeVerifying} run on a miss only, before the token is verified (the
   * request path's syntax check: a token the cache holds passed it, as the cache keeps only {@code b64token}s).
   */
  public TokenPrincipal validate(String token, Consumer<String> beforeVerifying) {
    Split split = Split.of(token);
    VerifiedToken hit = hit(split);
    if (hit != null) {
      listeners.tokenCacheLookup(true);
      return hit.principal();
    }
    beforeVerifying.accept(token);
    listeners.tokenCacheLookup(false);
    VerifiedToken verified = delegate.verify(token);
    // only b64tokens (RFC 6750), so that a hit never answers a token the request path would refuse as malformed: a
    // caller of validator() can hand any string, and an introspected opaque token can be any string the server knows
    if (clock.instant().isBefore(verified.trustedUntil()) && TokenSyntax.isB64Token(token)) {
      cache.put(split.key(), new Entry(verified, Arrays.copyOf(split.bytes(), split.cut())));
    }
    return verified.principal();
  }

  /**
   * The principal of {@code token} when the cache holds it, else {@code null}: never validates, never blocks, and tells
   * no listener (a caller that uses the answer counts the hit; one that goes on to {@link #validate} is counted there).
   */
  public TokenPrincipal cached(String token) {
    VerifiedToken hit = hit(Split.of(token));
    return hit == null ? null : hit.principal();
  }

  private VerifiedToken hit(Split split) {
    Entry entry = cache.getIfPresent(split.key());
    // signing inputs are not secrets (the claims are in the principal): a comparison that stops early is fine
    return entry != null && Arrays.equals(entry.signingInput(), 0, entry.signingInput().length, split.bytes(), 0, split.cut())
        && clock.instant().isBefore(entry.token().trustedUntil()) ? entry.token() : null;
  }

  /** Drops every cached token verified by one of these keys. */
  public void keysRemoved(Set<String> thumbprints) {
    cache.asMap().values().removeIf(e -> e.token().keyThumbprint() != null && thumbprints.contains(e.token().keyThumbprint()));
  }

  /** Drops every cached token of {@code subject} at {@code issuer} (a revocation). */
  public void forgetSubject(String issuer, String subject) {
    cache.asMap().values().removeIf(e -> subject.equals(e.token().principal().subject())
        && issuer.equals(e.token().principal().issuer()));
  }

  /** Number of cached tokens (approximate); for diagnostics and tests. */
  public long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  /** A verified token and the bytes of its signing input (up to and including the last {@code .}). */
  private record Entry(VerifiedToken token, byte[] signingInput) {}

  /**
   * A token's Latin-1 bytes cut after the last {@code .} (at 0 without one), and the key: the SHA-256 of the bytes after
   * the cut.
   *
   * <p>The Latin-1 bytes are a plain copy, with no scan, and lose nothing a hit depends on: a character beyond U+00FF
   * becomes {@code ?}, but the cache holds only {@code b64token}s, which hold neither {@code ?} nor any byte above 0x7F.
   * So a token whose bytes equal a cached token's bytes, signature and signing input, is that very token.
   */
  private record Split(byte[] bytes, int cut, Digest key) {
    static Split of(String token) {
      byte[] bytes = token.getBytes(StandardCharsets.ISO_8859_1);
      int cut = bytes.length;
      while (cut > 0 && bytes[cut - 1] != '.') {
        cut--;
      }
      return new Split(bytes, cut, new Digest(Sha256.of(bytes, cut, bytes.length)));
    }
  }

  /** A SHA-256, with a cheap hash code taken from its first bytes. */
  private static final class Digest {
    private final byte[] bytes;
    private final int hash;

    private Digest(byte[] bytes) {
      this.bytes = bytes;
      this.hash = (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
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
