package dev.tokenguard;

import java.time.Duration;

/**
 * TokenGuard cannot decide because something it depends on is unavailable (the JWKS or discovery endpoint,
 * the user API) and nothing cached can be served: 503 with {@code Retry-After}. Never reported as 401, since
 * it is not the client's fault.
 *
 * <p>Two texts: {@link #description()}, sent to the client, is a fixed sentence that names no URL, host,
 * port or exception; {@link #getMessage()}, for logs and for {@code tokenguard check}, may add the details.
 */
public final class TokenServiceException extends TokenGuardException {
  private static final long serialVersionUID = 1L;

  private final String description;
  private final Duration retryAfter;

  /**
   * For a failure whose description is also all an operator needs.
   *
   * @param description what failed, without secrets or internals (the client reads it)
   * @param retryAfter when a retry may succeed
   * @param cause the underlying failure, for logs only
   */
  public TokenServiceException(String description, Duration retryAfter, Throwable cause) {
    this(description, description, retryAfter, cause);
  }

  /**
   * @param description what failed, for the client: a fixed sentence without URLs, hosts, ports or exception names
   * @param detail what failed in full, for logs and operators (the message): may name URLs and exceptions, never
   *     a secret
   * @param retryAfter when a retry may succeed
   * @param cause the underlying failure, for logs only
   */
  public TokenServiceException(String description, String detail, Duration retryAfter, Throwable cause) {
    super(RejectionReason.UNAVAILABLE, detail, cause);
    this.description = description;
    this.retryAfter = retryAfter;
  }

  /** When a retry may succeed (sent as {@code Retry-After}, rounded up to whole seconds). */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** The fixed sentence sent to the client; {@link #getMessage()} holds the details. */
  @Override
  public String description() {
    return description;
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
