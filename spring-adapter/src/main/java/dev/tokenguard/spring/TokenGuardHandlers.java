package dev.tokenguard.spring;

import dev.tokenguard.InsufficientPermissionException;
import dev.tokenguard.TokenGuard;
import dev.tokenguard.http.Outcome;
import dev.tokenguard.servlet.OutcomeWriter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/** Spring Security's exception handling answering with core's outcomes, for servlet and reactive chains alike. */
final class TokenGuardHandlers {
  private TokenGuardHandlers() {}

  /** 401 with the bare challenge, for an anonymous caller reaching something that needs one. */
  static AuthenticationEntryPoint entryPoint(TokenGuard guard) {
    return (request, response, e) -> OutcomeWriter.write(missing(guard), response);
  }

  /** 403 {@code insufficient_scope}; the scope names {@link RequiresPermission}'s permissions when known. */
  static AccessDeniedHandler accessDenied(TokenGuard guard) {
    return (request, response, e) -> OutcomeWriter.write(denied(guard, e), response);
  }

  /** The outcome for an anonymous caller where a caller is needed. */
  static Outcome missing(TokenGuard guard) {
    return guard.missingTokenOutcome();
  }

  /** The outcome of an access denial: naming {@link RequiresPermission}'s permissions when that was the cause. */
  static Outcome denied(TokenGuard guard, Throwable failure) {
    Throwable t = failure;
    while (t != null && !(t instanceof PermissionDeniedException)) {
      t = t.getCause();
    }
    return t instanceof PermissionDeniedException denied
        ? guard.outcomeOf(new InsufficientPermissionException(denied.getMessage(), denied.required()))
        : guard.applicationDenied();
  }
}
