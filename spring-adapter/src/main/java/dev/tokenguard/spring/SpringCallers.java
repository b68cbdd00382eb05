package dev.tokenguard.spring;

import dev.tokenguard.RejectionReason;
import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardException;
import dev.tokenguard.TokenPrincipal;
import java.util.function.Supplier;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/**
 * What Spring Security is told about a caller TokenGuard judged, the same in every Spring host (servlet and reactive
 * filters, the authentication managers): an accepted caller becomes a {@link TokenGuardAuthentication} whose
 * authorities went through the application's {@link GrantedAuthoritiesMapper} bean, and the application's
 * {@link AuthenticationEventPublisher} bean (Spring Boot defines one) hears of the success or of the failure.
 *
 * <p>Failures are Spring's own exception types, so Spring's default publisher maps them to its events: an expired
 * token is {@link CredentialsExpiredException}, a blocked user {@link DisabledException}, the user API or
 * introspection unavailable {@link AuthenticationServiceException}, any other refused token
 * {@link BadCredentialsException}; the message is the client-safe description. A request without a token, a
 * malformed request (400) and a {@code rule.*} refusal of a valid token (403, an authorization decision) are no
 * authentication events.
 */
final class SpringCallers {
  private final TokenGuard guard;
  private final GrantedAuthoritiesMapper mapper;
  private final AuthenticationEventPublisher events;

  SpringCallers(TokenGuard guard, GrantedAuthoritiesMapper mapper, AuthenticationEventPublisher events) {
    this.guard = guard;
    this.mapper = mapper;
    this.events = events;
  }

  /** With the mapper and publisher {@code beans} hold (each only when there is exactly one). */
  static SpringCallers of(TokenGuard guard, BeanFactory beans) {
    return new SpringCallers(guard, beans.getBeanProvider(GrantedAuthoritiesMapper.class).getIfUnique(),
        beans.getBeanProvider(AuthenticationEventPublisher.class).getIfUnique());
  }

  /** The context holder Spring Security's filters use: the application's strategy bean, else the global one. */
  static SecurityContextHolderStrategy holder(BeanFactory beans) {
    return beans.getBeanProvider(SecurityContextHolderStrategy.class).getIfUnique(SecurityContextHolder::getContextHolderStrategy);
  }

  TokenGuard guard() {
    return guard;
  }

  /** The accepted caller's {@code Authentication}, announced as a success. */
  TokenGuardAuthentication accepted(TokenPrincipal caller) {
    TokenGuardAuthentication authentication = new TokenGuardAuthentication(caller, guard.roles(caller), mapper);
    if (events != null) {
      events.publishAuthenticationSuccess(authentication);
    }
    return authentication;
  }

  /**
   * Announces a refusal, when it is an authentication failure.
   *
   * @param cause why; {@code null} for a missing token
   * @param details what the event's attempt carries as its details (the caller's address, for listeners that count
   *     failures per address), or {@code null}
   * @return Spring's exception for it, {@code null} when it is no authentication failure
   */
  AuthenticationException refused(TokenGuardException cause, Object details) {
    AuthenticationException failure = cause == null ? null : failureOf(cause);
    if (events != null && failure != null) {
      BearerToken attempt = new BearerToken(null); // the attempt, without its token
      attempt.setDetails(details);
      events.publishAuthenticationFailure(failure, attempt);
    }
    return failure;
  }

  /**
   * What Spring's authentication managers answer for {@code token}: validated and looked up as TokenGuard's filters
   * do, announced as a success or a failure.
   *
   * @param details the details of the attempt (Spring's filters set the caller's address), or {@code null}
   * @throws AuthenticationException Spring's exception for the refusal
   */
  TokenGuardAuthentication authenticate(String token, Object details) {
    return announced(() -> guard.authenticate(token), details);
  }

  /** {@link #authenticate} when TokenGuard can answer without I/O ({@link TokenGuard#authenticateWithoutBlocking}), else {@code null}. */
  TokenGuardAuthentication authenticateWithoutBlocking(String token, Object details) {
    return announced(() -> guard.authenticateWithoutBlocking(token), details);
  }

  private TokenGuardAuthentication announced(Supplier<TokenPrincipal> caller, Object details) {
    try {
      TokenPrincipal principal = caller.get();
      return principal == null ? null : accepted(principal);
    } catch (TokenGuardException e) {
      AuthenticationException failure = refused(e, details);
      throw failure != null ? failure : new BadCredentialsException(e.description(), e);
    }
  }

  /** Spring's exception for a refused token; {@code null} when the refusal is no authentication failure. */
  private static AuthenticationException failureOf(TokenGuardException cause) {
    RejectionReason reason = cause.reason();
    if (reason == RejectionReason.MISSING_TOKEN || (cause.httpStatus() != 401 && cause.httpStatus() != 503)) {
      return null;
    }
    String message = cause.description();
    return switch (reason) {
      case EXPIRED -> new CredentialsExpiredException(message, cause);
      case BLOCKED_USER -> new DisabledException(message, cause);
      case UNAVAILABLE -> new AuthenticationServiceException(message, cause);
      default -> new BadCredentialsException(message, cause);
    };
  }
}
