package dev.tokenguard.spring;

import dev.tokenguard.TokenGuardConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a bad {@code tokenguard.*} property into Spring Boot's "APPLICATION FAILED TO START" report naming it. */
final class TokenGuardFailureAnalyzer extends AbstractFailureAnalyzer<TokenGuardConfigException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, TokenGuardConfigException cause) {
    String property = property(cause);
    return new FailureAnalysis("The property " + property + " is invalid: " + cause.problem(),
        "Fix " + property + " in your configuration (application.yml, environment or command line).", cause);
  }

  /** The Spring property of the key that is wrong ({@code tokenguard.jwks.cache-ttl}). */
  static String property(TokenGuardConfigException e) {
    return "tokenguard." + e.key();
  }
}
