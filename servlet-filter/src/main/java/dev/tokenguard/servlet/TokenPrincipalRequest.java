package dev.tokenguard.servlet;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;

/**
 * The request as the application sees it once the token is accepted: {@link #getUserPrincipal()} is the
 * {@link TokenPrincipal}, {@link #getRemoteUser()} its name, {@link #isUserInRole(String)} asks core
 * ({@link TokenGuard#isInRole}), {@link #getAuthType()} is {@value TokenGuardFilter#AUTH_TYPE}.
 */
public final class TokenPrincipalRequest extends HttpServletRequestWrapper {
  private final TokenPrincipal principal;
  private final TokenGuard guard;

  /**
   * @param request the request to wrap
   * @param principal the accepted caller
   * @param guard answers role checks
   */
  public TokenPrincipalRequest(HttpServletRequest request, TokenPrincipal principal, TokenGuard guard) {
    super(request);
    this.principal = principal;
    this.guard = guard;
  }

  @Override
  public Principal getUserPrincipal() {
    return principal;
  }

  @Override
  public String getRemoteUser() {
    return principal.getName();
  }

  @Override
  public boolean isUserInRole(String role) {
    return role != null && guard.isInRole(principal, role);
  }

  @Override
  public String getAuthType() {
    return TokenGuardFilter.AUTH_TYPE;
  }
}
