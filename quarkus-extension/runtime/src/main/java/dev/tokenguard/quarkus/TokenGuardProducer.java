package dev.tokenguard.quarkus;

import dev.tokenguard.ConfigTree;
import dev.tokenguard.TokenCheck;
import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenGuardConfigException;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.observe.TokenGuardListener;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The {@link TokenGuard} of the application, built from {@code quarkus.tokenguard.*} at start-up (a bad value
 * stops the start naming the property; nothing is fetched from the identity provider yet, so the application
 * starts while it is down), and the caller's {@link TokenPrincipal} for injection in request scope.
 */
@ApplicationScoped
public class TokenGuardProducer {
  private static final String PREFIX = "quarkus.tokenguard.";

  /**
   * TokenGuard from {@code quarkus.tokenguard.*}: every {@link TokenCheck} bean is added to the built-in checks, and
   * every {@link TokenGuardListener} bean (with Micrometer present, {@code TokenGuardMetrics} is one) is told what
   * TokenGuard does.
   */
  @Produces
  @Singleton
  TokenGuard tokenGuard(TokenGuardRuntimeConfig config, @Any Instance<TokenCheck> checks, @Any Instance<TokenGuardListener> listeners) {
    try {
      TokenGuard.Builder builder = TokenGuard.builder(TokenGuardConfig.fromProperties(ConfigTree.toProperties(TokenGuardRuntimeConfig.class, config)));
      checks.forEach(builder::addCheck);
      listeners.forEach(builder::listener);
      return builder.build();
    } catch (TokenGuardConfigException e) {
      throw new ConfigurationException(PREFIX + e.key() + ": " + e.problem(), java.util.Set.of(PREFIX + e.key()));
    }
  }

  void close(@Disposes TokenGuard guard) {
    guard.close();
  }

  /**
   * The caller, never {@code null} (CDI forbids it for a request-scoped bean): in a request without one (a public
   * path, an anonymous caller) the first use of the injected {@code TokenPrincipal} fails with
   * {@link UnauthorizedException}, which Quarkus answers 401 with TokenGuard's challenge, as if the endpoint
   * required a caller. Where a caller is optional, ask the {@link SecurityIdentity} ({@code isAnonymous()}).
   */
  @Produces
  @RequestScoped
  TokenPrincipal principal(SecurityIdentity identity) {
    if (identity.getPrincipal() instanceof TokenPrincipal caller) {
      return caller;
    }
    throw new UnauthorizedException("this request has no caller");
  }

  void startup(@Observes StartupEvent event, TokenGuard guard) {
    guard.config(); // builds TokenGuard now, so configuration mistakes fail the start
  }
}
