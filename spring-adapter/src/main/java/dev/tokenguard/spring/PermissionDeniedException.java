package dev.tokenguard.spring;

import java.util.List;
import org.springframework.security.access.AccessDeniedException;

/** {@link RequiresPermission} was not satisfied; carries the required permissions into the 403 challenge. */
public final class PermissionDeniedException extends AccessDeniedException {
  private static final long serialVersionUID = 1L;

  private final List<String> required;

  /**
   * @param message what was required and what the caller holds
   * @param required the required permissions
   */
  public PermissionDeniedException(String message, List<String> required) {
    super(message);
    this.required = List.copyOf(required);
  }

  /** The required permissions. */
  public List<String> required() {
    return required;
  }
}
