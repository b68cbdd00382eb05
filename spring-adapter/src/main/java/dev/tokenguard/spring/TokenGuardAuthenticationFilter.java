package dev.tokenguard.spring;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.http.Decision;
import dev.tokenguard.servlet.OutcomeWriter;
import dev.tokenguard.servlet.ServletRequestView;
import dev.tokenguard.servlet.TokenGuardFilter;
import dev.tokenguard.servlet.TokenPrincipalRequest;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * TokenGuard in a Spring Security filter chain: asks core for the decision (public path, token, validation, user
 * lookup, path rules) and either writes core's outcome (401/400/403/503) or sets a
 * {@link TokenGuardAuthentication} and continues. The context is saved to the chain's
 * {@link SecurityContextRepository} so async and error dispatches see the same caller; nothing is stored in a
 * session.
 */
public final class TokenGuardAuthenticationFilter extends OncePerRequestFilter {
  private final TokenGuard guard;
  private final SecurityContextRepository repository;
  private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

  /**
   * @param guard decides
   * @param repository where the chain loads the context from on later dispatches
   */
  public TokenGuardAuthenticationFilter(TokenGuard guard, SecurityContextRepository repository) {
    this.guard = guard;
    this.repository = repository;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Decision decision = guard.check(new ServletRequestView(request));
    if (decision instanceof Decision.Deny deny) {
      holder.clearContext();
      OutcomeWriter.write(deny.response(), response);
      return;
    }
    TokenPrincipal principal = decision.principal().orElse(null);
    if (principal == null) {
      chain.doFilter(request, response); // public path: the chain decides about anonymous callers
      return;
    }
    SecurityContext context = holder.createEmptyContext();
    context.setAuthentication(new TokenGuardAuthentication(principal, guard.config().permissionsAsRoles()));
    holder.setContext(context);
    repository.saveContext(context, request, response);
    request.setAttribute(TokenGuardFilter.PRINCIPAL_ATTRIBUTE, principal);
    chain.doFilter(new TokenPrincipalRequest(request, principal, guard), response);
  }
}
