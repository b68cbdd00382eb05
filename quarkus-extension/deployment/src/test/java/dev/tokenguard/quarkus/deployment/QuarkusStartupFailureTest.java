package dev.tokenguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.QuarkusUnitTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A bad {@code quarkus.tokenguard.*} value stops the application, naming the property. */
class QuarkusStartupFailureTest {
  @RegisterExtension
  static final QuarkusUnitTest QUARKUS = new QuarkusUnitTest()
      .withApplicationRoot(jar -> jar.addClasses(EchoResource.class, EchoResource.Failures.class))
      .overrideConfigKey("quarkus.http.test-port", "0")
      .overrideConfigKey("quarkus.tokenguard.issuer", "https://idp.example.com/")
      .overrideConfigKey("quarkus.tokenguard.jwks.cache-ttl", "PT-5S") // a Duration Quarkus reads, core refuses
      .assertException(e -> {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
          all.append(t.getMessage()).append('\n');
        }
        assertThat(all.toString()).contains("quarkus.tokenguard.jwks.cache-ttl: expected a non-negative duration");
      });

  @Test
  void startupFails() {
    // the assertion is in assertException: the application must not start
  }
}
