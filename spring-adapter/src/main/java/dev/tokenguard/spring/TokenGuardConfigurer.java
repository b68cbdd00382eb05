package dev.tokenguard.spring;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.http.BearerTokenResolver;
import org.springframework.context.ApplicationContext;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.annotation.web.configurers.CsrfConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * Puts TokenGuard into an application's own {@code SecurityFilterChain}:
 *
 * <pre>{@code
 * @Bean
 * SecurityFilterChain api(HttpSecurity http) throws Exception {
 *   http.securityMatcher("/api/**")
 *       .authorizeHttpRequests(a -> a.anyRequest().authenticated())
 *       .with(TokenGuardConfigurer.tokenGuard(), Customizer.withDefaults());
 *   return http.build();
 * }
 * }</pre>
 *
 * It adds the {@link TokenGuardAuthenticationFilter}, makes the chain stateless (no session, no saved requests),
 * stores the context per request, ignores CSRF for requests that carry a bearer token, and answers
 * authentication and access failures with core's outcomes. The {@link TokenGuard} bean comes from the application context.
 *
 * <p>Who decides: when the chain has its own {@code authorizeHttpRequests}, its rules do ({@link TokenGuard.Mode#AUTHENTICATE}):
 * a request without a token continues as anonymous (so {@code permitAll()} paths are open and
 * {@code authenticated()} ones answer 401 through TokenGuard's entry point), a token that fails is 401 at once,
 * {@code rule.*} still refuse, and {@code public-paths} are not consulted. Without {@code authorizeHttpRequests},
 * TokenGuard decides as its servlet filter does ({@link TokenGuard.Mode#DECIDE}: deny by default,
 * {@code public-paths}, {@code rule.*}).
 */
public final class TokenGuardConfigurer extends AbstractHttpConfigurer<TokenGuardConfigurer, HttpSecurity> {
  private static final System.Logger LOG = System.getLogger(TokenGuardConfigurer.class.getName());
  private final SecurityContextRepository repository = new RequestAttributeSecurityContextRepository();
  private final boolean decidesAlone;

  private TokenGuardConfigurer(boolean decidesAlone) {
    this.decidesAlone = decidesAlone;
  }

  /** A new configurer, for {@code http.with(tokenGuard(), Customizer.withDefaults())}. */
  public static TokenGuardConfigurer tokenGuard() {
    return new TokenGuardConfigurer(false);
  }

  /** TokenGuard's own default chain, whose {@code permitAll()} only hands every request to TokenGuard. */
  static TokenGuardConfigurer decidingAlone() {
    return new TokenGuardConfigurer(true);
  }

  /** Who decides in {@code http}: the chain's own authorization rules when it has them, else TokenGuard. */
  TokenGuard.Mode mode(HttpSecurity http) {
    return !decidesAlone && http.getConfigurer(AuthorizeHttpRequestsConfigurer.class) != null
        ? TokenGuard.Mode.AUTHENTICATE : TokenGuard.Mode.DECIDE;
  }

  /**
   * Applied as soon as the configurer is added with {@code http.with(...)}, before any configurer initialises, so
   * the stateless session policy and the request-scoped context repository are in force for the whole chain.
   */
  @Override
  public void setBuilder(HttpSecurity http) {
    super.setBuilder(http);
    try {
      http.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
      http.requestCache(c -> c.disable());
      http.securityContext(c -> c.securityContextRepository(repository));
      if (http.getConfigurer(CsrfConfigurer.class) != null) { // else the chain turned CSRF off already: keep it off
        http.csrf(c -> c.ignoringRequestMatchers(r -> BearerTokenResolver.isBearer(r.getHeader("Authorization"))));
      }
    } catch (Exception e) { // Spring Security 6 declares checked exceptions here; 7 does not
      throw new IllegalStateException("cannot configure the security chain for TokenGuard", e);
    }
  }

  @Override
  public void init(HttpSecurity http) {
    TokenGuard guard = guard(http);
    http.exceptionHandling(e -> e.authenticationEntryPoint(TokenGuardHandlers.entryPoint(guard))
        .accessDeniedHandler(TokenGuardHandlers.accessDenied(guard)));
  }

  @Override
  public void configure(HttpSecurity http) {
    TokenGuard guard = guard(http);
    TokenGuard.Mode mode = mode(http);
    if (mode == TokenGuard.Mode.AUTHENTICATE && !guard.config().publicPaths().isEmpty()) {
      LOG.log(System.Logger.Level.INFO, "a security chain authorizes requests itself (authorizeHttpRequests): "
          + "TokenGuard authenticates there and tokenguard.public-paths is not consulted; its permitAll() paths are public");
    }
    ApplicationContext context = http.getSharedObject(ApplicationContext.class);
    http.addFilterBefore(new TokenGuardAuthenticationFilter(SpringCallers.of(guard, context), mode, repository,
        SpringCallers.holder(context)), BasicAuthenticationFilter.class);
  }

  private static TokenGuard guard(HttpSecurity http) {
    return http.getSharedObject(ApplicationContext.class).getBean(TokenGuard.class);
  }
}
