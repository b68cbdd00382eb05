package dev.tokenguard.lookup;

import java.time.Duration;

/**
 * A user-API call that did not produce an answer TokenGuard can use: the provider's own error (status, code,
 * message and request id parsed from its error body), a timeout, a connection failure or an unreadable answer.
 * Never shown to the end user as 401: the lookup policy turns it into a stale profile, a 503 or (fail-open) a
 * principal without profile.
 */
final class UserLookupException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String provider;
  private final int status;
  private final String code;
  private final String requestId;
  private final Duration retryAfter;

  /**
   * @param provider the provider preset name
   * @param status the HTTP status, or 0 when no answer was received
   * @param code the provider's error code, or {@code null}
   * @param message what went wrong, with the provider's own message when it gave one
   * @param requestId the provider's request id, or {@code null}
   * @param retryAfter when the provider said a retry may succeed, or {@code null}
   * @param cause the underlying failure, or {@code null}
   */
  public UserLookupException(String provider, int status, String code, String message, String requestId,
      Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.provider = provider;
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.retryAfter = retryAfter;
  }

  /** The provider preset name. */
  public String provider() { return provider; }

  /** The HTTP status, or 0 when no answer was received. */
  public int status() { return status; }

  /** The provider's error code, or {@code null}. */
  public String code() { return code; }

  /** The provider's request id, or {@code null}. */
  public String requestId() { return requestId; }

  /** When the provider said a retry may succeed, or {@code null}. */
  public Duration retryAfter() { return retryAfter; }

  /** Whether the call may succeed when repeated: no answer, 408, 429 or 500/502/503/504. */
  public boolean retryable() {
    return status == 0 || ApiClient.isRetryable(status);
  }

  @Override
  public String toString() {
    return "UserLookupException[provider=" + provider + ", status=" + status + ", code=" + code + ", requestId="
        + requestId + ", message=" + getMessage() + "]";
  }
}
