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

  /**
   * {@code invalid_token}; for DPoP proofs RFC 9449's {@code invalid_dpop_proof} ({@link RejectionReason#INVALID_PROOF})
   * and {@code use_dpop_nonce} ({@link RejectionReason#NONCE_REQUIRED}).
   */
  @Override
  public String errorCode() {
    return switch (reason()) {
      case INVALID_PROOF -> "invalid_dpop_proof";
      case NONCE_REQUIRED -> "use_dpop_nonce";
      default -> "invalid_token";
    };
  }

  /** Whether the failure is about the DPoP proof, so the {@code DPoP} challenge carries it (RFC 9449 §7.1). */
  public boolean aboutProof() {
    return reason() == RejectionReason.INVALID_PROOF || reason() == RejectionReason.NONCE_REQUIRED;
  }

  @Override
  public int httpStatus() {
    return 401;
  }
}
