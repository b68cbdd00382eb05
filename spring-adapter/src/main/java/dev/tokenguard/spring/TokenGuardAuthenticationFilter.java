package dev.tokenguard.spring;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.servlet.ServletGate;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.WebAuthenticationDetailsSource;
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
  private final SpringCallers callers;
  private final TokenGuard.Mode mode;
  private final SecurityContextRepository repository;
  private final SecurityContextHolderStrategy holder;
  private static final WebAuthenticationDetailsSource DETAILS = new WebAuthenticationDetailsSource();

  /**
   * @param guard decides
   * @param repository where the chain loads the context from on later dispatches
   */
  public TokenGuardAuthenticationFilter(TokenGuard guard, SecurityContextRepository repository) {
    this(guard, TokenGuard.Mode.DECIDE, repository);
  }

  /**
   * @param guard decides
   * @param mode whether TokenGuard decides about requests without a token or the chain's authorization rules do
   * @param repository where the chain loads the context from on later dispatches
   */
  public TokenGuardAuthenticationFilter(TokenGuard guard, TokenGuard.Mode mode, SecurityContextRepository repository) {
    this(new SpringCallers(guard, null, null), mode, repository, SecurityContextHolder.getContextHolderStrategy());
  }

  /**
   * With the application's authorities mapper and authentication events ({@link SpringCallers}) and the context
   * holder the chain's own filters use (the application's {@code SecurityContextHolderStrategy} bean, when it has one).
   */
  TokenGuardAuthenticationFilter(SpringCallers callers, TokenGuard.Mode mode, SecurityContextRepository repository,
      SecurityContextHolderStrategy holder) {
    this.callers = callers;
    this.holder = holder;
    this.mode = mode;
    this.repository = repository;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    ServletGate.Admitted admitted = ServletGate.admit(callers.guard(), mode, request, response,
        refused -> callers.refused(refused.cause(), DETAILS.buildDetails(request))).orElse(null);
    if (admitted == null) {
      holder.clearContext();
      return;
    }
    if (admitted.principal() != null) { // else a public path or anonymous: the chain decides about anonymous callers
      SecurityContext context = holder.createEmptyContext();
      context.setAuthentication(callers.accepted(admitted.principal()));
      holder.setContext(context);
      repository.saveContext(context, request, response);
    }
    chain.doFilter(admitted.request(), response);
  }
}
