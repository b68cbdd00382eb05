package dev.tokenguard.observe;

import java.time.Instant;
import java.util.List;

/**
 * What a listener may read of a started TokenGuard ({@link TokenGuardListener#started}): read-only, cheap, never
 * fetching anything; for gauges that sample it later.
 */
public interface GuardStatus {
  /** The configured issuers, in order. */
  List<String> issuers();

  /** The cached keys of {@code issuer}, without any fetch. */
  KeySet keySet(String issuer);

  /** Now, by the clock every time check of this TokenGuard uses. */
  Instant now();

  /** Whether a shared cache tier ({@code cache.redis.*}) is configured. */
  boolean sharedTierConfigured();

  /** Whether the shared tier answers now (false during an outage backoff, or when none is configured). */
  boolean sharedTierAvailable();

  /**
   * An issuer's cached keys.
   *
   * @param keyCount usable keys cached (0 when none)
   * @param fetchedAt when the served set was fetched, or {@code null}
   * @param freshUntil when it is due for refresh ({@code jwks.cache-ttl}), or {@code null}
   */
  record KeySet(int keyCount, Instant fetchedAt, Instant freshUntil) {}
}
