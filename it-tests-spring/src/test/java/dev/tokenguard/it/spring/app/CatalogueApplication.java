package dev.tokenguard.it.spring.app;

import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.TokenCheck;
import dev.tokenguard.it.EchoServlet;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * The Spring Boot application the scenario catalogue runs against: TokenGuard from {@code tokenguard.*} only
 * (the auto-configuration provides the security chain), controllers using {@code @AuthenticationPrincipal},
 * {@code @RequiresPermission} and {@code @PreAuthorize}. {@code /api/async}, {@code /api/fail} and
 * {@code /error} are served by the plain servlet the other containers use, for the async and error dispatches.
 */
@SpringBootApplication
public class CatalogueApplication {

  /** The application's own check, added to the built-in ones: tokens of one tenant are refused. */
  @Bean
  TokenCheck tenantCheck() {
    return principal -> {
      if ("blocked-tenant".equals(principal.claims().get("tenant"))) {
        throw new InvalidTokenException("the tenant 'blocked-tenant' may not call this API");
      }
    };
  }

  @Bean
  ServletRegistrationBean<EchoServlet> dispatchServlet() {
    ServletRegistrationBean<EchoServlet> bean = new ServletRegistrationBean<>(new EchoServlet(), "/api/async", "/api/fail", "/error");
    bean.setAsyncSupported(true);
    return bean;
  }
}
