package dev.tokenguard.spring;

import dev.tokenguard.TokenGuard;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderNotFoundException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * TokenGuard as a Spring Security {@link AuthenticationManager}, for chains where Spring resolves the bearer token
 * itself, such as Spring's resource server:
 *
 * <pre>{@code
 * http.oauth2ResourceServer(o -> o.authenticationManagerResolver(tokenGuardAuthenticationManagerResolver));
 * }</pre>
 *
 * (the resolver bean is auto-configured). It validates the token and looks the user up as TokenGuard's filter does,
 * and answers a {@link TokenGuardAuthentication}, or Spring's exception for the refusal ({@link SpringCallers});
 * {@code public-paths} and {@code rule.*} are not consulted there (the chain's own rules decide), nor are TokenGuard's
 * outcomes written (the chain's entry point answers). It takes Spring's {@code BearerTokenAuthenticationToken} and
 * {@link BearerToken}; any other {@code Authentication} is not its kind ({@link ProviderNotFoundException}).
 */
public final class TokenGuardAuthenticationManager implements AuthenticationManager {
  private final SpringCallers callers;

  /** With the authorities mapper and event publisher {@code beans} hold, when they hold one. */
  public TokenGuardAuthenticationManager(TokenGuard guard, BeanFactory beans) {
    this.callers = SpringCallers.of(guard, beans);
  }

  @Override
  public Authentication authenticate(Authentication authentication) throws AuthenticationException {
    String token = BearerToken.of(authentication);
    if (token == null) {
      throw new ProviderNotFoundException("TokenGuard authenticates bearer tokens only");
    }
    return callers.authenticate(token, authentication.getDetails());
  }
}
