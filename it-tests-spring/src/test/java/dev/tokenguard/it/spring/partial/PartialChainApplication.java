package dev.tokenguard.it.spring.partial;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/** An application with one chain of its own, only for {@code /actuator/**}: TokenGuard's default chain backs off. */
@SpringBootApplication
public class PartialChainApplication {

  @Bean
  SecurityFilterChain actuator(HttpSecurity http) throws Exception {
    http.securityMatcher("/actuator/**").authorizeHttpRequests(a -> a.anyRequest().permitAll());
    return http.build();
  }
}
