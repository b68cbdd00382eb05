package dev.tokenguard.it.spring.resourceserver;

import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.it.spring.SpringVocabulary;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Spring's own resource server reading the bearer token, TokenGuard's {@code AuthenticationManager} judging it (the
 * README's {@code oauth2ResourceServer(o -> o.authenticationManagerResolver(...))}), Spring's rules deciding.
 */
@SpringBootApplication
@Import(SpringVocabulary.class)
public class ResourceServerApplication {

  @Bean
  SecurityFilterChain api(HttpSecurity http,
      AuthenticationManagerResolver<HttpServletRequest> tokenGuardAuthenticationManagerResolver) throws Exception {
    http.authorizeHttpRequests(a -> a
            .requestMatchers("/operators/**").hasRole("OPERATOR")
            .anyRequest().authenticated())
        .oauth2ResourceServer(o -> o.authenticationManagerResolver(tokenGuardAuthenticationManagerResolver));
    return http.build();
  }

  @RestController
  static class Api {
    @GetMapping({"/api/whoami", "/operators/whoami"})
    String whoami(@AuthenticationPrincipal TokenPrincipal principal) {
      return principal.getName();
    }
  }
}
