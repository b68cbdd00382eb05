package dev.tokenguard.it.webflux.norules;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.spring.TokenGuardWebFlux;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

/** A mistake: TokenGuard only authenticates in a chain that has no rules of its own, so nothing would refuse. */
@SpringBootApplication
public class NoRulesWebFluxApplication {

  @Bean
  SecurityWebFilterChain api(ServerHttpSecurity http, TokenGuard guard) {
    TokenGuardWebFlux.authenticating(guard).customize(http);
    return http.build();
  }
}
