package dev.tokenguard.it.spring;

import dev.tokenguard.it.oracle.RouteOracle;
import dev.tokenguard.it.spring.routes.RouteApplication;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
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
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("server.port", "0");
    props.put("server.address", "127.0.0.1");
    props.put(contextPathProperty(), contextPath());
    props.put("spring.main.banner-mode", "off");
    tokenGuardProperties.forEach((k, v) -> props.put("tokenguard." + k, v));
    SpringApplication app = new SpringApplication(RouteApplication.class);
    app.setDefaultProperties(props);
    context = app.run();
    return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + contextPath();
  }

  @Override
  protected void stopApp() {
    context.close();
  }
}
