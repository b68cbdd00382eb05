package dev.tokenguard.quarkus;

import dev.tokenguard.TokenPrincipal;
import io.quarkus.security.StringPermission;
import java.security.Permission;

/**
 * How a required Quarkus permission ({@code @PermissionsAllowed}, {@code quarkus.http.auth.policy.*.permissions-allowed})
 * is matched against the caller's permissions: exactly as TokenGuard's {@code rule.*} match them, as whole strings.
 * Quarkus reads {@code "orders:read"} as permission {@code orders} with action {@code read}; its own
 * {@code StringPermission} would let a granted {@code orders:read} satisfy a required {@code orders}, so the same
 * token could pass an annotation and fail a rule. Here {@code orders} needs {@code orders}, {@code orders:read} needs
 * {@code orders:read}, and a permission with several actions needs each {@code name:action}. Other
 * {@link Permission} types are not TokenGuard's to grant ({@code false}; grant them with a
 * {@code SecurityIdentityAugmentor}).
 */
final class ExactPermissions {
  private ExactPermissions() {}

  /** Whether {@code caller} holds {@code required}, as whole permission strings. */
  static boolean grants(TokenPrincipal caller, Permission required) {
    if (!(required instanceof StringPermission p)) {
      return false;
    }
    String actions = p.getActions();
    if (actions == null || actions.isEmpty()) {
      return caller.hasPermission(p.getName());
    }
    for (String action : actions.split(StringPermission.ACTIONS_SEPARATOR)) {
      if (!caller.hasPermission(p.getName() + ":" + action)) {
        return false;
      }
    }
    return true;
  }
}
