package dev.tokenguard;

/**
 * The request itself is malformed: several Authorization headers, several tokens, a token in a place that
 * is not allowed, or a bearer credential that does not follow RFC 6750 §2.1 syntax: 400 with
 * {@code error="invalid_request"}.
 */
public final class InvalidRequestException extends TokenGuardException {
  private static final long serialVersionUID = 1L;

  /** @param description what was expected and what was found, without the token */
  public InvalidRequestException(String description) {
    super(RejectionReason.INVALID_REQUEST, description, null);
  }

  @Override
  public String errorCode() {
    return "invalid_request";
  }

  @Override
  public int httpStatus() {
    return 400;
  }
}
