package dev.tokenguard.it.spring;

import dev.tokenguard.it.oracle.RouteOracle;
import dev.tokenguard.it.spring.routes.RouteApplication;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The route oracle against {@link RouteApplication}, whose controllers route with Spring's own mappings (the same
 * annotations serve Spring MVC and WebFlux), TokenGuard configured by {@code tokenguard.*} only, at the root or under
 * a context path.
 */
public abstract class SpringRouteOracle extends RouteOracle {
  private ConfigurableApplicationContext context;

  /** The context path ({@code ""} at the root). */
  protected abstract String contextPath();

  /** The property that sets it: {@code server.servlet.context-path} for MVC, {@code spring.webflux.base-path} for WebFlux. */
  protected String contextPathProperty() {
    return "server.servlet.context-path";
  }

  @Override
  protected String startApp(Map<String, String> tokenGuardProperties) {
    context = SpringApps.start(RouteApplication.class, tokenGuardProperties, Map.of(contextPathProperty(), contextPath()));
    return SpringApps.baseUrl(context) + contextPath();
  }

  @Override
  protected void stopApp() {
    context.close();
  }
}
