package dev.tokenguard;

/**
 * The one typed outcome of a failed request: every failure inside TokenGuard, including unexpected runtime
 * exceptions from libraries, ends as exactly one of the four subclasses, each of which maps to one HTTP
 * status (see {@link dev.tokenguard.http.Outcome}).
 *
 * <p>Messages say what was expected and what was found; they never contain the token.
 */
public abstract sealed class TokenGuardException extends RuntimeException
    permits InvalidTokenException, InvalidRequestException, InsufficientPermissionException, TokenServiceException {
  private static final long serialVersionUID = 1L;

  private final RejectionReason reason;
  private String issuer;

  TokenGuardException(RejectionReason reason, String description, Throwable cause) {
    super(description, cause, false, false);
    this.reason = reason;
  }

  /** Why the request was refused, for metrics; the message holds the details. */
  public RejectionReason reason() {
    return reason;
  }

  /**
   * The configured issuer the failing token was attributed to, or {@code null} when the failure came before the
   * issuer was trusted (a malformed token, an unknown {@code iss}). Never the raw claim of an unknown issuer, so
   * it is safe as a metric tag.
   */
  public synchronized String issuer() {
    return issuer;
  }

  /**
   * Records the configured issuer the failing token belongs to; the first call wins. Called by TokenGuard's
   * validator once the issuer step has passed.
   *
   * @return this exception
   */
  public synchronized TokenGuardException attributeTo(String configuredIssuer) {
    if (issuer == null) {
      issuer = configuredIssuer;
    }
    return this;
  }

  /** The RFC 6750 §3.1 error code ({@code invalid_token}, {@code invalid_request}, ...). */
  public abstract String errorCode();

  /** The HTTP status this failure is answered with. */
  public abstract int httpStatus();

  /** A human-readable description, safe to send to the client. */
  public String description() {
    return getMessage();
  }
}
