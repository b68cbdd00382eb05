package dev.tokenguard;

/**
 * Fetches the caller's profile from the identity provider's user API after the token was validated; the
 * result is reachable as {@link TokenPrincipal#profile()}. Never called for a token that failed validation.
 * The built-in implementation ({@code dev.tokenguard.lookup.UserLookups}) is chosen by
 * {@code user-lookup.provider}; an application may supply its own through
 * {@link TokenGuard.Builder#userLookup(UserLookup)}. Implementations are thread-safe.
 */
public interface UserLookup {

  /**
   * Looks up the user the token was issued to.
   *
   * @param principal the validated caller
   * @param token the caller's access token (used only when the user API takes the caller's own token)
   * @return the profile, or {@code null} when the user API failed and {@code user-lookup.on-failure=fail-open}
   * @throws InvalidTokenException when the user no longer exists, is blocked, or is not the token's subject (401)
   * @throws TokenServiceException when the user API failed, nothing is cached and the policy is fail-closed (503)
   */
  UserProfile lookUp(TokenPrincipal principal, String token);

  /**
   * Whether the user API works, for health checks; {@code null} (the default) when the implementation does not
   * tell. Must not call the user API (providers' rate limits are tight): report what recent calls saw.
   */
  default HealthReport.Check health() {
    return null;
  }

  /** Drops whatever is cached about (issuer, subject): called when the subject is revoked. The default keeps nothing. */
  default void forget(String issuer, String subject) {}
}
