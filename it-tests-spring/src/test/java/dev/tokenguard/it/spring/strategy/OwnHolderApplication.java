package dev.tokenguard.it.spring.strategy;

import static dev.tokenguard.spring.TokenGuardConfigurer.tokenGuard;

import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.spring.RequiresPermission;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application with Spring Security's documented customisations: its own {@code SecurityContextHolderStrategy}
 * (storage of its own, which Spring's filters then use and clear), and CSRF turned off before TokenGuard joins the
 * chain (for token-less webhooks).
 */
@SpringBootApplication
public class OwnHolderApplication {

  @Bean
  SecurityContextHolderStrategy ownHolder() {
    return new SecurityContextHolderStrategy() {
      private final ThreadLocal<SecurityContext> context = new ThreadLocal<>();

      @Override
      public void clearContext() {
        context.remove();
      }

      @Override
      public SecurityContext getContext() {
        if (context.get() == null) {
          context.set(createEmptyContext());
        }
        return context.get();
      }

      @Override
      public void setContext(SecurityContext value) {
        context.set(value);
      }

      @Override
      public SecurityContext createEmptyContext() {
        return new SecurityContextImpl();
      }
    };
  }

  @Bean
  SecurityFilterChain api(HttpSecurity http) throws Exception {
    http.csrf(c -> c.disable())
        .authorizeHttpRequests(a -> a.requestMatchers("/open/**").permitAll().anyRequest().authenticated())
        .with(tokenGuard(), Customizer.withDefaults());
    return http.build();
  }

  @RestController
  static class Api {
    @GetMapping("/api/whoami")
    String whoami(@AuthenticationPrincipal TokenPrincipal caller) {
      return caller.getName();
    }

    @GetMapping("/open/report")
    @RequiresPermission("reports:read")
    String report() {
      return "report";
    }

    @PostMapping("/open/hook")
    String hook() {
      return "hooked";
    }
  }
}
