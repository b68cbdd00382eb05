package dev.tokenguard;

/**
 * Validates a bearer token and builds the caller's principal. Implementations are thread-safe.
 *
 * @see dev.tokenguard.jwt.JwtValidator the JWT implementation
 */
public interface TokenValidator {

  /**
   * Validates {@code token} (the compact JWS, without the {@code Bearer } prefix).
   *
   * @return the principal of a valid token
   * @throws InvalidTokenException when the token is not acceptable (401)
   * @throws TokenServiceException when keys are unavailable and nothing cached can be used (503)
   */
  TokenPrincipal validate(String token);
}
