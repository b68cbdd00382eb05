package dev.tokenguard.it.webflux.ownrules;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.it.spring.SpringVocabulary;
import dev.tokenguard.spring.RequiresPermission;
import dev.tokenguard.spring.TokenGuardWebFlux;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The README's WebFlux chain of the application's own: its authorizeExchange decides, TokenGuard authenticates; its
 * authorities mapper grants {@code ROLE_OPERATOR} ({@link SpringVocabulary}).
 */
@SpringBootApplication
@Import(SpringVocabulary.class)
public class OwnRulesWebFluxApplication {

  @Bean
  SecurityWebFilterChain api(ServerHttpSecurity http, TokenGuard guard) {
    http.authorizeExchange(a -> a
        .pathMatchers("/open/**").permitAll()
        .pathMatchers("/ops/**").hasAuthority("ops:run")
        .pathMatchers("/operators/**").hasRole("OPERATOR")
        .anyExchange().authenticated());
    TokenGuardWebFlux.authenticating(guard).customize(http);
    return http.build();
  }

  @RestController
  static class Api {
    /** The caller is optional here: read from the exchange (a Principal argument would wait for one). */
    @GetMapping("/open/hello")
    Mono<String> hello(ServerWebExchange exchange) {
      return exchange.getPrincipal().map(p -> "hello " + p.getName()).defaultIfEmpty("hello stranger");
    }

    /** Open by the chain's rules, yet the handler needs a permission: anonymous callers get 401, not a 500. */
    @GetMapping("/open/annotated")
    @RequiresPermission("ops:run")
    Mono<String> annotated() {
      return Mono.just("annotated");
    }

    @GetMapping({"/api/whoami", "/public/whoami", "/api/admin/whoami", "/ops/whoami", "/operators/whoami"})
    Mono<String> whoami(TokenPrincipal principal) {
      return Mono.just(principal.getName());
    }
  }
}
