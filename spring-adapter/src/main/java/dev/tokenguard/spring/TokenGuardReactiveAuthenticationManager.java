package dev.tokenguard.spring;

import dev.tokenguard.TokenGuard;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * TokenGuard as a {@link ReactiveAuthenticationManager}, the reactive twin of {@link TokenGuardAuthenticationManager}
 * (same tokens, same answers), for Spring's reactive resource server
 * ({@code http.oauth2ResourceServer(o -> o.authenticationManagerResolver(tokenGuardReactiveAuthenticationManagerResolver))})
 * or an {@code AuthenticationWebFilter}. A token the verified-token cache holds (of an issuer without a user lookup)
 * is answered where it is asked; validation and user lookup run on {@link Schedulers#boundedElastic()}, never on the
 * event loop. An {@code Authentication} that is no bearer token gives an empty answer (not its kind).
 */
public final class TokenGuardReactiveAuthenticationManager implements ReactiveAuthenticationManager {
  private final SpringCallers callers;

  /** With the authorities mapper and event publisher {@code beans} hold, when they hold one. */
  public TokenGuardReactiveAuthenticationManager(TokenGuard guard, BeanFactory beans) {
    this.callers = SpringCallers.of(guard, beans);
  }

  @Override
  public Mono<Authentication> authenticate(Authentication authentication) {
    String token = BearerToken.of(authentication);
    if (token == null) {
      return Mono.empty();
    }
    return Mono.defer(() -> {
      Authentication now = callers.authenticateWithoutBlocking(token, authentication.getDetails());
      return now != null ? Mono.just(now)
          : Mono.fromCallable(() -> (Authentication) callers.authenticate(token, authentication.getDetails()))
              .subscribeOn(Schedulers.boundedElastic());
    });
  }
}
