package dev.tokenguard.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a bad {@code tokenguard.*} property into Spring Boot's "APPLICATION FAILED TO START" report naming it. */
final class TokenGuardFailureAnalyzer extends AbstractFailureAnalyzer<InvalidTokenGuardPropertyException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, InvalidTokenGuardPropertyException cause) {
    return new FailureAnalysis("The property " + cause.property() + " is invalid: " + cause.problem(),
        "Fix " + cause.property() + " in your configuration (application.yml, environment or command line).", cause);
  }
}
