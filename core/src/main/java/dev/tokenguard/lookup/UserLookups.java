package dev.tokenguard.lookup;

import static dev.tokenguard.UserLookupSettings.BASE_URL;

import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.UserLookup;
import dev.tokenguard.UserLookupSettings;
import dev.tokenguard.net.DocumentFetcher;
import dev.tokenguard.net.IssuerDiscovery;
import dev.tokenguard.observe.Listeners;
import dev.tokenguard.shared.SharedTier;
import java.util.concurrent.Executor;

/** Builds the user lookup that {@code user-lookup.*} describes. */
public final class UserLookups {
  private UserLookups() {}

  /**
   * The configured lookup, or {@code null} when {@code user-lookup.provider} is not set.
   *
   * @param executor runs background profile refreshes
   */
  public static UserLookup create(TokenGuardConfig config, Executor executor) {
    return create(config, executor, Listeners.NONE);
  }

  /** As {@link #create(TokenGuardConfig, Executor)}, telling {@code listeners} of lookups and API calls. */
  public static UserLookup create(TokenGuardConfig config, Executor executor, Listeners listeners) {
    return create(config, executor, Sleeper.THREAD_SLEEP, listeners);
  }

  /** As {@link #create(TokenGuardConfig, Executor)}, waiting between retries with {@code sleeper}. */
  public static UserLookup create(TokenGuardConfig config, Executor executor, Sleeper sleeper) {
    return create(config, executor, sleeper, Listeners.NONE);
  }

  /** As {@link #create(TokenGuardConfig, Executor, Sleeper)}, telling {@code listeners} of lookups and API calls. */
  public static UserLookup create(TokenGuardConfig config, Executor executor, Sleeper sleeper, Listeners listeners) {
    return create(config, executor, sleeper, listeners, null);
  }

  /**
   * As {@link #create(TokenGuardConfig, Executor, Sleeper, Listeners)}, sharing profiles, "no such user" answers
   * and management-API tokens through {@code tier} when it is not null.
   */
  public static UserLookup create(TokenGuardConfig config, Executor executor, Sleeper sleeper, Listeners listeners,
      SharedTier tier) {
    UserLookupSettings s = config.userLookup().orElse(null);
    return s == null ? null : create(config, s, executor, sleeper, listeners, tier);
  }

  /** The lookup {@code s} describes (one issuer's: {@link UserLookupSettings#issuer()}), as the methods above make it. */
  public static UserLookup create(TokenGuardConfig config, UserLookupSettings s, Executor executor, Sleeper sleeper,
      Listeners listeners, SharedTier tier) {
    ApiClient api = new ApiClient(s.provider(), s.timeout(), s.maxRetries(), sleeper, config.clock(), s.secretValues(), listeners,
        s.breakerFailures(), s.breakerOpenFor());
    ProviderSpec spec = ProviderPresets.spec(s, config);
    CredentialProvider credentials = ProviderPresets.credentials(s, api, config.clock(), tier);
    IssuerDiscovery discovery = new IssuerDiscovery(new DocumentFetcher(s.timeout()));
    String base = s.get(BASE_URL) != null ? s.get(BASE_URL) : s.issuer();
    HttpUserLookup engine = new HttpUserLookup(spec, credentials, api, discovery, base);
    return new CachingUserLookup(engine, s, config.clock(), executor, listeners, api, tier);
  }
}
