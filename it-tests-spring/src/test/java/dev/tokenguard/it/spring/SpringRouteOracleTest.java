package dev.tokenguard.it.spring;

import org.junit.jupiter.api.Nested;

/**
 * The route oracle against a Spring Boot application (embedded Tomcat) whose controllers route with Spring MVC's
 * own mappings, TokenGuard configured by {@code tokenguard.*} only, at the root and under the context path /app.
 */
class SpringRouteOracleTest {

  @Nested
  class AtTheRoot extends SpringRouteOracle {
    @Override
    protected String contextPath() {
      return "";
    }
  }

  @Nested
  class UnderAContextPath extends SpringRouteOracle {
    @Override
    protected String contextPath() {
      return "/app";
    }
  }
}
