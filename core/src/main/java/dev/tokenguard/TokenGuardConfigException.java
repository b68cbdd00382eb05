package dev.tokenguard;

/**
 * A configuration value was missing, malformed or inconsistent. Thrown when a {@link TokenGuardConfig} is
 * built, so a mistake stops the application at start-up instead of at the first request.
 *
 * <p>The message always starts with the offending key, as it is spelled in properties files
 * ({@code jwks.cache-ttl}), then says what was expected and what was found. Secret values are never
 * repeated in the message.
 */
public final class TokenGuardConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String problem;

  /**
   * @param key the configuration key, as spelled in a properties file
   * @param problem what was expected and what was found
   */
  public TokenGuardConfigException(String key, String problem) {
    super(key + ": " + problem);
    this.key = key;
    this.problem = problem;
  }

  /** The configuration key that is wrong, as spelled in a properties file. */
  public String key() {
    return key;
  }

  /** What was expected and what was found: the message without the key, for hosts that name the key their own way. */
  public String problem() {
    return problem;
  }
}
