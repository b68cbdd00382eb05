package dev.tokenguard;

/**
 * The token is malformed, forged, expired, not yet valid, for another issuer or audience, signed by an
 * unknown key, or belongs to a blocked or unknown user: 401 with {@code error="invalid_token"}
 * (RFC 6750 §3.1).
 */
public final class InvalidTokenException extends TokenGuardException {
  private static final long serialVersionUID = 1L;

  /**
   * A refusal by the application's own check ({@link RejectionReason#APPLICATION_CHECK}).
   *
   * @param description what was expected and what was found, without the token
   */
  public InvalidTokenException(String description) {
    this(RejectionReason.APPLICATION_CHECK, description);
  }

  /**
   * @param reason why, for metrics
   * @param description what was expected and what was found, without the token
   */
  public InvalidTokenException(RejectionReason reason, String description) {
    super(reason, description, null);
  }

  @Override
  public String errorCode() {
    return "invalid_token";
  }

  @Override
  public int httpStatus() {
    return 401;
  }
}
