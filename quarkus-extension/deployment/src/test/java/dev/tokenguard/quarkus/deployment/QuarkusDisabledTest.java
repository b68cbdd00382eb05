package dev.tokenguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.QuarkusUnitTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code quarkus.tokenguard.enabled=false}: no issuer needed, no dev issuer, TokenGuard checks nothing (and the build
 * says so).
 */
class QuarkusDisabledTest {
  @RegisterExtension
  static final QuarkusUnitTest QUARKUS = new QuarkusUnitTest()
      .withApplicationRoot(jar -> jar.addClasses(QuarkusLazyAuthenticationTest.Plain.class, TestApp.class))
      .overrideConfigKey("quarkus.http.test-port", "0")
      .overrideConfigKey("quarkus.tokenguard.enabled", "false")
      .setLogRecordPredicate(r -> r.getLoggerName().startsWith("dev.tokenguard"))
      .assertLogRecords(records -> assertThat(records).anySatisfy(r ->
          assertThat(r.getMessage()).isEqualTo("quarkus.tokenguard.enabled=false: TokenGuard checks nothing in this application")));

  @Test
  void nothingIsChecked() throws Exception {
    assertThat(TestApp.get("/plain/x", null).body()).isEqualTo("plain");
    assertThat(org.eclipse.microprofile.config.ConfigProvider.getConfig()
        .getOptionalValue("quarkus.tokenguard.issuer", String.class)).as("no dev issuer").isEmpty();
  }
}
