package dev.tokenguard.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.tokenguard.internal.Caches;
import dev.tokenguard.shared.SharedTier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The proof ids seen while their proofs are acceptable, so each proof is accepted once: on this node in a bounded
 * Caffeine cache, and, with the shared tier, on every node of the fleet (one Redis {@code SET NX} per proof).
 *
 * <p>Bounded without letting a replay through: a proof id leaves the cache early only when the cache is full, and
 * then the cache remembers that proof's {@code iat} as a horizon below which no proof is accepted any more (it could
 * be a replay of a forgotten one). Under a flood of fresh proofs the accepted window narrows; it never opens.
 * Thread-safe.
 */
final class ProofReplays {
  /** What happened to a proof id. */
  enum Verdict {
    /** Never seen: accepted and remembered. */
    FIRST,
    /** Seen before, on this node or another. */
    REPLAYED,
    /** Older than the horizon of ids forgotten for room: cannot tell, so refused. */
    BEYOND_MEMORY
  }

  private final Clock clock;
  private final SharedTier tier;
  private final Cache<String, Seen> seen;

  /** A remembered proof: when it was issued and until when it is kept (epoch milliseconds). */
  private record Seen(long issuedAt, long forgetAt) {}
  /** Epoch milliseconds: no proof issued at or before it is accepted (a proof of that age was forgotten for room). */
  private final AtomicLong horizon = new AtomicLong(Long.MIN_VALUE);

  /**
   * @param maxSize the most ids remembered
   * @param tier the fleet's shared tier, or {@code null}
   */
  ProofReplays(long maxSize, Clock clock, SharedTier tier) {
    this.clock = clock;
    this.tier = tier;
    this.seen = Caches.builder(clock)
        .maximumSize(maxSize)
        // the listener runs inside the eviction, before another thread can put the same key again
        .evictionListener((String key, Seen s, RemovalCause cause) -> {
          if (cause == RemovalCause.SIZE && s != null) {
            horizon.accumulateAndGet(s.issuedAt(), Math::max);
          }
        })
        .expireAfter(Expiry.<String, Seen>creating((key, s) -> Duration.ofMillis(Math.max(1, s.forgetAt() - clock.millis()))))
        .build();
  }

  /**
   * Records the proof {@code id} issued at {@code issuedAt}, remembered until {@code forgetAt} (after which its proof is
   * too old anyway).
   */
  Verdict record(String id, Instant issuedAt, Instant forgetAt) {
    long iat = issuedAt.toEpochMilli();
    if (iat <= horizon.get()) {
      return Verdict.BEYOND_MEMORY;
    }
    if (seen.asMap().putIfAbsent(id, new Seen(iat, forgetAt.toEpochMilli())) != null) {
      return Verdict.REPLAYED;
    }
    if (iat <= horizon.get()) {
      return Verdict.BEYOND_MEMORY; // the horizon moved past it while it was put
    }
    Duration keep = Duration.ofMillis(Math.max(1, forgetAt.toEpochMilli() - clock.millis()));
    if (tier != null && Boolean.FALSE.equals(tier.claim("dpop:" + SharedTier.hashed(id), keep))) {
      return Verdict.REPLAYED; // another node accepted it first; unavailable store: this node's memory decides
    }
    return Verdict.FIRST;
  }
}
