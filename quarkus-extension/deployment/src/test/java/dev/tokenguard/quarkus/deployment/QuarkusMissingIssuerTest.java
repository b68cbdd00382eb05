package dev.tokenguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.QuarkusUnitTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Without {@code quarkus.tokenguard.issuer} and without Dev Services (as in prod mode) the application does not start,
 * and the message names it.
 */
class QuarkusMissingIssuerTest {
  @RegisterExtension
  static final QuarkusUnitTest QUARKUS = new QuarkusUnitTest()
      .withApplicationRoot(jar -> jar.addClasses(EchoResource.class, EchoResource.Failures.class))
      .overrideConfigKey("quarkus.http.test-port", "0")
      .overrideConfigKey("quarkus.tokenguard.devservices.enabled", "false") // else the dev issuer is configured
      .assertException(e -> {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
          all.append(t.getMessage()).append('\n');
        }
        assertThat(all.toString()).contains("quarkus.tokenguard.issuer");
      });

  @Test
  void startupFails() {
    // the assertion is in assertException
  }
}
