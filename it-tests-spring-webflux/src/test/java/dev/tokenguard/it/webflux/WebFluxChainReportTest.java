package dev.tokenguard.it.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.it.TestIdentityProviders;
import dev.tokenguard.it.spring.SpringApps;
import dev.tokenguard.it.spring.StartupLog;
import dev.tokenguard.it.webflux.partial.PartialWebFluxApplication;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The start-up report on a WebFlux application's own chains warns, as the servlet one does, when no chain matches
 * every request (a reactive chain's matcher is asked about a request no application routes).
 */
class WebFluxChainReportTest {

  @Test
  void aChainForSomePathsOnlyIsAWarning() {
    try (TestIdentityProviders idp = new TestIdentityProviders(); StartupLog log = StartupLog.capture()) {
      Map<String, String> tokenguard = new LinkedHashMap<>(idp.appProperties());
      tokenguard.keySet().removeIf(k -> k.contains("user-lookup."));
      try (ConfigurableApplicationContext app = SpringApps.start(PartialWebFluxApplication.class, tokenguard)) {
        assertThat(log.chainReport()).startsWith("WARNING TokenGuard's default security chain is off: the application"
            + " defines its own [api]; TokenGuard runs in [api], and no chain matches every request");
      }
    }
  }
}
