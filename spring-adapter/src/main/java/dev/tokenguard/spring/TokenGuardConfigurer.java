package dev.tokenguard.spring;

import dev.tokenguard.TokenGuard;
import org.springframework.context.ApplicationContext;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
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
 */
public final class TokenGuardConfigurer extends AbstractHttpConfigurer<TokenGuardConfigurer, HttpSecurity> {
  private final SecurityContextRepository repository = new RequestAttributeSecurityContextRepository();

  /** A new configurer, for {@code http.with(tokenGuard(), Customizer.withDefaults())}. */
  public static TokenGuardConfigurer tokenGuard() {
    return new TokenGuardConfigurer();
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
      http.csrf(c -> c.ignoringRequestMatchers(r -> {
        String h = r.getHeader("Authorization");
        return h != null && h.regionMatches(true, 0, "Bearer ", 0, 7);
      }));
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
    http.addFilterBefore(new TokenGuardAuthenticationFilter(guard(http), repository), BasicAuthenticationFilter.class);
  }

  private static TokenGuard guard(HttpSecurity http) {
    return http.getSharedObject(ApplicationContext.class).getBean(TokenGuard.class);
  }
}
