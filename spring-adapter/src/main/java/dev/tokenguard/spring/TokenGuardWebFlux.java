package dev.tokenguard.spring;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.http.BearerTokenResolver;
import java.security.Principal;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * Puts TokenGuard into a WebFlux application's own {@code SecurityWebFilterChain}:
 *
 * <pre>{@code
 * @Bean
 * SecurityWebFilterChain api(ServerHttpSecurity http, TokenGuard guard) {
 *   http.authorizeExchange(a -> a.pathMatchers("/open/**").permitAll().anyExchange().authenticated());
 *   TokenGuardWebFlux.authenticating(guard).customize(http);
 *   return http.build();
 * }
 * }</pre>
 *
 * Either customizer adds the {@link TokenGuardWebFilter} at the authentication position, makes the chain stateless
 * (no security context saved, no saved requests), ignores CSRF for requests that carry a bearer token, and answers
 * authentication and access failures with core's outcomes. Choose who decides, as with the servlet
 * {@link TokenGuardConfigurer}: {@link #authenticating} when the chain has its own {@code authorizeExchange}
 * ({@link TokenGuard.Mode#AUTHENTICATE}), {@link #deciding} when TokenGuard's {@code public-paths} and
 * {@code rule.*} decide ({@link TokenGuard.Mode#DECIDE}).
 */
public final class TokenGuardWebFlux {
  private TokenGuardWebFlux() {}

  /** For a chain with its own {@code authorizeExchange}: TokenGuard authenticates, the chain's rules decide. */
  public static Customizer<ServerHttpSecurity> authenticating(TokenGuard guard) {
    return http -> apply(http, guard, TokenGuard.Mode.AUTHENTICATE);
  }

  /** TokenGuard decides: deny by default, {@code public-paths}, {@code rule.*}. */
  public static Customizer<ServerHttpSecurity> deciding(TokenGuard guard) {
    return http -> apply(http, guard, TokenGuard.Mode.DECIDE);
  }

  private static void apply(ServerHttpSecurity http, TokenGuard guard, TokenGuard.Mode mode) {
    http.addFilterAt(new TokenGuardWebFilter(guard, mode), SecurityWebFiltersOrder.AUTHENTICATION)
        .addFilterAfter(CALLER_AS_EXCHANGE_PRINCIPAL, SecurityWebFiltersOrder.SECURITY_CONTEXT_SERVER_WEB_EXCHANGE)
        .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
        .requestCache(c -> c.requestCache(NoOpServerRequestCache.getInstance()))
        .csrf(c -> c.requireCsrfProtectionMatcher(CSRF_UNLESS_BEARER))
        .exceptionHandling(e -> e
            .authenticationEntryPoint((exchange, failure) ->
                TokenGuardWebFilter.write(TokenGuardHandlers.missing(guard), exchange.getResponse()))
            .accessDeniedHandler((exchange, failure) ->
                TokenGuardWebFilter.write(TokenGuardHandlers.denied(guard, failure), exchange.getResponse())));
  }

  /**
   * The caller as the exchange's principal, after Spring put the {@code Authentication} there: a handler argument
   * typed {@code TokenPrincipal} (which WebFlux resolves from {@code exchange.getPrincipal()} before any
   * {@code @AuthenticationPrincipal} resolver) and {@code exchange.getPrincipal()} are the {@link TokenPrincipal}, as
   * {@code getUserPrincipal()} is for servlets.
   */
  private static final WebFilter CALLER_AS_EXCHANGE_PRINCIPAL = (exchange, chain) -> {
    TokenPrincipal caller = exchange.getAttribute(TokenPrincipal.ATTRIBUTE);
    return chain.filter(caller == null ? exchange : exchange.mutate().principal(Mono.just((Principal) caller)).build());
  };

  /** Spring's default CSRF requirement (unsafe methods), except for requests that carry a bearer token. */
  private static final ServerWebExchangeMatcher CSRF_UNLESS_BEARER = exchange -> {
    HttpMethod method = exchange.getRequest().getMethod();
    boolean safe = method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS
        || method == HttpMethod.TRACE;
    boolean bearer = BearerTokenResolver.isBearer(exchange.getRequest().getHeaders().getFirst("Authorization"));
    return safe || bearer ? ServerWebExchangeMatcher.MatchResult.notMatch() : ServerWebExchangeMatcher.MatchResult.match();
  };
}
