package dev.tokenguard.it.spring.app;

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

  @Bean
  ServletRegistrationBean<EchoServlet> dispatchServlet() {
    ServletRegistrationBean<EchoServlet> bean = new ServletRegistrationBean<>(new EchoServlet(), "/api/async", "/api/fail", "/error");
    bean.setAsyncSupported(true);
    return bean;
  }
}
