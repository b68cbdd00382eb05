package dev.tokenguard.it.webflux;

import dev.tokenguard.it.oracle.RouteOracle;
import dev.tokenguard.it.webflux.routes.WebFluxRouteApplication;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The route oracle against a Spring Boot WebFlux application (Netty) whose controllers route with WebFlux's
 * own mappings, TokenGuard configured by {@code tokenguard.*} only, at the root and under the base path /app (spring.webflux.base-path).
 */
class WebFluxRouteOracleTest {

  abstract static class OnSpring extends RouteOracle {
    private ConfigurableApplicationContext context;

    abstract String contextPath();

    @Override
    protected String startApp(Map<String, String> tokenGuardProperties) {
      Map<String, Object> props = new LinkedHashMap<>();
      props.put("server.port", "0");
      props.put("server.address", "127.0.0.1");
      props.put("spring.webflux.base-path", contextPath());
      props.put("spring.main.banner-mode", "off");
      tokenGuardProperties.forEach((k, v) -> props.put("tokenguard." + k, v));
      SpringApplication app = new SpringApplication(WebFluxRouteApplication.class);
      app.setDefaultProperties(props);
      context = app.run();
      return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + contextPath();
    }

    @Override
    protected void stopApp() {
      context.close();
    }
  }

  @Nested
  class AtTheRoot extends OnSpring {
    @Override
    String contextPath() {
      return "";
    }
  }

  @Nested
  class UnderAContextPath extends OnSpring {
    @Override
    String contextPath() {
      return "/app";
    }
  }
}
