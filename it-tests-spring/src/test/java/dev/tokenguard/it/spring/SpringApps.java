package dev.tokenguard.it.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts a Spring Boot application under test on a free loopback port, configured by {@code tokenguard.*}. */
public final class SpringApps {
  private SpringApps() {}

  /**
   * @param app the {@code @SpringBootApplication}
   * @param tokenguard TokenGuard's keys, without the {@code tokenguard.} prefix
   * @param spring other Spring properties (set after TokenGuard's, so they win)
   */
  public static ConfigurableApplicationContext start(Class<?> app, Map<String, String> tokenguard,
      Map<String, Object> spring) {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("server.port", "0");
    props.put("server.address", "127.0.0.1");
    props.put("spring.main.banner-mode", "off");
    tokenguard.forEach((k, v) -> props.put("tokenguard." + k, v));
    props.putAll(spring);
    SpringApplication application = new SpringApplication(app);
    application.setDefaultProperties(props);
    return application.run();
  }

  /** {@link #start(Class, Map, Map)} with no other Spring property. */
  public static ConfigurableApplicationContext start(Class<?> app, Map<String, String> tokenguard) {
    return start(app, tokenguard, Map.of());
  }

  /** {@code http://127.0.0.1:<port>} of a running application. */
  public static String baseUrl(ConfigurableApplicationContext context) {
    return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
  }
}
