package dev.tokenguard;

import java.util.List;

/**
 * The token is valid but lacks a permission the request needs: 403 with {@code error="insufficient_scope"}
 * and {@code scope="..."} listing what is required (RFC 6750 §3.1).
 */
public final class InsufficientPermissionException extends TokenGuardException {
  private static final long serialVersionUID = 1L;

  private final List<String> required;

  /**
   * @param description what was required and what the token holds
   * @param required the permissions the request needs, reported in the challenge's {@code scope}
   */
  public InsufficientPermissionException(String description, List<String> required) {
    super(RejectionReason.FORBIDDEN, description, null);
    this.required = List.copyOf(required);
  }

  /** The permissions the request needs. */
  public List<String> required() {
    return required;
  }

  @Override
  public String errorCode() {
    return "insufficient_scope";
  }

  @Override
  public int httpStatus() {
    return 403;
  }
}
