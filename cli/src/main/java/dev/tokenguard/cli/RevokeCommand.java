package dev.tokenguard.cli;

import dev.tokenguard.SharedCacheSettings;
import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenGuardConfigException;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tokenguard revoke}: "block this user now" for a whole fleet. Publishes a revocation of a subject or a
 * token id through the shared Redis tier of the configuration ({@code cache.redis.uri}); every node refuses it
 * within about a second. Exit 0 published, 2 configuration problem or Redis unavailable.
 */
@Command(name = "revoke", mixinStandardHelpOptions = true,
    description = "Refuse a subject's tokens (or one token id) on every node sharing the configured Redis tier.")
final class RevokeCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions configuration;

  @Option(names = "--issuer", paramLabel = "URL", description = "Issuer of the subject (default: the first configured issuer).")
  String issuer;

  @ArgGroup(multiplicity = "1")
  Target target;

  static final class Target {
    @Option(names = "--subject", paramLabel = "SUB", required = true, description = "Refuse every token with this sub.")
    String subject;

    @Option(names = "--token-id", paramLabel = "JTI", required = true, description = "Refuse the token with this jti.")
    String tokenId;
  }

  @Override
  public Integer call() {
    TokenGuardConfig cfg;
    try {
      cfg = TokenGuardConfig.fromProperties(configuration.load());
      if (cfg.sharedCache().isEmpty()) {
        throw new TokenGuardConfigException("cache.redis.uri", "is required by revoke: the fleet hears revocations through Redis");
      }
      if (issuer != null && !cfg.issuers().contains(issuer)) {
        throw new TokenGuardConfigException("--issuer", "'" + issuer + "' is not a configured issuer " + cfg.issuers());
      }
    } catch (TokenGuardConfigException e) {
      System.err.println("tokenguard: configuration error: " + e.getMessage());
      return TokenGuardCli.EXIT_CONFIG;
    }
    SharedCacheSettings shared = cfg.sharedCache().orElseThrow();
    String iss = issuer != null ? issuer : cfg.issuers().get(0);
    try (TokenGuard guard = TokenGuard.create(cfg)) {
      boolean published = target.subject != null ? guard.revokeSubject(iss, target.subject) : guard.revokeTokenId(target.tokenId);
      String what = target.subject != null ? "subject '" + target.subject + "' of " + iss : "token id '" + target.tokenId + "'";
      if (!published) {
        System.err.println("tokenguard: the Redis server " + shared.uri().getHost() + ":" + shared.uri().getPort()
            + " did not take the revocation of " + what);
        return TokenGuardCli.EXIT_CONFIG;
      }
      System.out.println("revoked " + what + " on every node sharing " + shared.uri().getHost() + ":" + shared.uri().getPort()
          + " (prefix " + shared.prefix() + ") for " + shared.revocationTtl().toHours() + " h");
      return 0;
    }
  }
}
