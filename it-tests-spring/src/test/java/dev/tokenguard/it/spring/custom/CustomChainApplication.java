package dev.tokenguard.it.spring.custom;

import static dev.tokenguard.spring.TokenGuardConfigurer.tokenGuard;

import dev.tokenguard.TokenPrincipal;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** An application with its own {@link SecurityFilterChain}, TokenGuard plugged in with the configurer. */
@SpringBootApplication
public class CustomChainApplication {

  @Bean
  SecurityFilterChain appChain(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(a -> a
            .requestMatchers("/ops/**").hasRole("operator")
            .anyRequest().authenticated())
        .with(tokenGuard(), Customizer.withDefaults());
    return http.build();
  }

  @RestController
  static class Api {
    @GetMapping("/api/whoami")
    String whoami(@AuthenticationPrincipal TokenPrincipal principal) {
      return principal.getName();
    }

    @GetMapping("/ops/status")
    String ops(@AuthenticationPrincipal TokenPrincipal principal) {
      return "ok " + principal.getName();
    }
  }
}
