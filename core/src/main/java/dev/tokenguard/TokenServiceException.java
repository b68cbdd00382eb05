package dev.tokenguard;

import java.time.Duration;

/**
 * TokenGuard cannot decide because something it depends on is unavailable (the JWKS or discovery endpoint,
 * the user API) and nothing cached can be served: 503 with {@code Retry-After}. Never reported as 401, since
 * it is not the client's fault.
 */
public final class TokenServiceException extends TokenGuardException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  /**
   * @param description what failed, without secrets
   * @param retryAfter when a retry may succeed
   * @param cause the underlying failure, for logs only
   */
  public TokenServiceException(String description, Duration retryAfter, Throwable cause) {
    super(RejectionReason.UNAVAILABLE, description, cause);
    this.retryAfter = retryAfter;
  }

  /** When a retry may succeed (sent as {@code Retry-After}, rounded up to whole seconds). */
  public Duration retryAfter() {
    return retryAfter;
  }

  @Override
  public String errorCode() {
    return "temporarily_unavailable";
  }

  @Override
  public int httpStatus() {
    return 503;
  }
}
