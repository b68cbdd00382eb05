package dev.tokenguard.it.spring.twochains;

import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.spring.TokenGuardConfigurer;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The README's pair of chains: one for {@code /actuator/**}, one with TokenGuard deciding for everything else. */
@SpringBootApplication
public class TwoChainsApplication {

  @Bean
  @Order(1)
  SecurityFilterChain actuator(HttpSecurity http) throws Exception {
    http.securityMatcher("/actuator/**").authorizeHttpRequests(a -> a.anyRequest().permitAll());
    return http.build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain api(HttpSecurity http) throws Exception {
    http.with(TokenGuardConfigurer.tokenGuard(), Customizer.withDefaults()); // TokenGuard decides here
    return http.build();
  }

  @RestController
  static class Api {
    @GetMapping({"/api/whoami", "/api/admin/whoami", "/public/whoami"})
    String whoami(@AuthenticationPrincipal TokenPrincipal principal) {
      return principal == null ? "anonymous" : principal.getName();
    }
  }
}
