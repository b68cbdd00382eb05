package dev.tokenguard.it.webflux.partial;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.spring.TokenGuardWebFlux;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/** A WebFlux application whose only chain covers /api/**: requests elsewhere pass through no security chain. */
@SpringBootApplication
public class PartialWebFluxApplication {

  @Bean
  SecurityWebFilterChain api(ServerHttpSecurity http, TokenGuard guard) {
    http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/api/**"))
        .authorizeExchange(a -> a.anyExchange().authenticated());
    TokenGuardWebFlux.authenticating(guard).customize(http);
    return http.build();
  }
}
