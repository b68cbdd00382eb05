package dev.tokenguard.it.webflux;

import dev.tokenguard.it.spring.SpringRouteOracle;
import org.junit.jupiter.api.Nested;

/**
 * The route oracle against the Spring route application on WebFlux (Netty), routing with WebFlux's own mappings, at
 * the root and under the base path /app ({@code spring.webflux.base-path}).
 */
class WebFluxRouteOracleTest {

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

    @Override
    protected String contextPathProperty() {
      return "spring.webflux.base-path";
    }
  }
}
