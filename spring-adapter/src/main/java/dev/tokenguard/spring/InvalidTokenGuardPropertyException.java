package dev.tokenguard.spring;

/** A {@code tokenguard.*} property is wrong; start-up stops and the failure analyzer names it. */
public final class InvalidTokenGuardPropertyException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final String property;
  private final String problem;

  InvalidTokenGuardPropertyException(String property, String problem, Throwable cause) {
    super(property + ": " + problem, cause);
    this.property = property;
    this.problem = problem;
  }

  /** The Spring property, such as {@code tokenguard.jwks.cache-ttl}. */
  public String property() {
    return property;
  }

  /** What was expected and what was found. */
  public String problem() {
    return problem;
  }
}
