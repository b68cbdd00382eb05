package dev.tokenguard.it.spring.ownrules;

import static dev.tokenguard.spring.TokenGuardConfigurer.tokenGuard;

import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.it.spring.SpringVocabulary;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application whose chain authorizes requests itself (the README's "Spring's rules decide" example): TokenGuard
 * authenticates, {@code permitAll()} paths are open to anonymous callers, the rest follows Spring's rules; its
 * authorities mapper grants {@code ROLE_OPERATOR} ({@link SpringVocabulary}).
 */
@SpringBootApplication
@Import(SpringVocabulary.class)
public class OwnRulesApplication {

  @Bean
  SecurityFilterChain api(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(a -> a
            .requestMatchers("/open/**").permitAll()
            .requestMatchers("/ops/**").hasAuthority("ops:run")
            .requestMatchers("/operators/**").hasRole("OPERATOR")
            .anyRequest().authenticated())
        .with(tokenGuard(), Customizer.withDefaults());
    return http.build();
  }

  @RestController
  static class Api {
    @GetMapping("/open/hello")
    String hello(@AuthenticationPrincipal TokenPrincipal principal) {
      return principal == null ? "hello stranger" : "hello " + principal.getName();
    }

    @GetMapping({"/api/whoami", "/public/whoami", "/api/admin/whoami", "/ops/whoami", "/operators/whoami"})
    String whoami(@AuthenticationPrincipal TokenPrincipal principal) {
      return principal.getName();
    }
  }
}
