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

  TokenGuardException(String description, Throwable cause) {
    super(description, cause, false, false);
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
