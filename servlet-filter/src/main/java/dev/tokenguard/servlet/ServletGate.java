package dev.tokenguard.servlet;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.http.Decision;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Core's decision applied to a servlet request, the one way every servlet host uses it (the filter here, Spring's
 * filter): a refusal is written as core's outcome; an accepted request carries the judged path
 * ({@link TokenGuardFilter#PATH_ATTRIBUTE}) and, with a caller, the principal ({@link TokenGuardFilter#PRINCIPAL_ATTRIBUTE})
 * and is wrapped so that {@code getUserPrincipal()} and {@code isUserInRole} answer for it.
 */
public final class ServletGate {
  private ServletGate() {}

  /**
   * A request TokenGuard lets through.
   *
   * @param request what the chain continues with: the wrapped request with a caller, else the request itself
   * @param principal the caller, or {@code null} on a public path
   */
  public record Admitted(HttpServletRequest request, TokenPrincipal principal) {}

  /**
   * Decides {@code request}; empty when it was refused and the refusal is written to {@code response}.
   *
   * @throws IOException when the refusal cannot be written
   */
  public static Optional<Admitted> admit(TokenGuard guard, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    return admit(guard, TokenGuard.Mode.DECIDE, request, response);
  }

  /**
   * As {@link #admit(TokenGuard, HttpServletRequest, HttpServletResponse)}, with {@code mode} saying who decides
   * about a request without a token ({@link TokenGuard.Mode}).
   *
   * @throws IOException when the refusal cannot be written
   */
  public static Optional<Admitted> admit(TokenGuard guard, TokenGuard.Mode mode, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    return admit(guard, mode, request, response, refused -> {});
  }

  /**
   * As {@link #admit(TokenGuard, TokenGuard.Mode, HttpServletRequest, HttpServletResponse)}, telling
   * {@code refusals} of a refusal before it is written (Spring's adapter publishes authentication events from it).
   *
   * @throws IOException when the refusal cannot be written
   */
  public static Optional<Admitted> admit(TokenGuard guard, TokenGuard.Mode mode, HttpServletRequest request,
      HttpServletResponse response, Consumer<Decision.Deny> refusals) throws IOException {
    TokenGuard.Preflight preflight = guard.preflight(new ServletRequestView(request), mode);
    Decision decision = guard.complete(preflight);
    if (decision instanceof Decision.Deny deny) {
      refusals.accept(deny);
      OutcomeWriter.write(deny.response(), response);
      return Optional.empty();
    }
    request.setAttribute(TokenGuardFilter.PATH_ATTRIBUTE, preflight.path());
    TokenPrincipal principal = decision.principal().orElse(null);
    if (principal == null) {
      return Optional.of(new Admitted(request, null)); // public path, or anonymous for the host to decide
    }
    request.setAttribute(TokenGuardFilter.PRINCIPAL_ATTRIBUTE, principal);
    return Optional.of(new Admitted(new TokenPrincipalRequest(request, principal, guard), principal));
  }
}
