package dev.tokenguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.QuarkusUnitTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code quarkus.smallrye-health.extensions.enabled=false} leaves TokenGuard's check out of readiness: with an
 * identity provider that does not answer, readiness stays UP (and requests still get their 503).
 */
class QuarkusHealthDisabledTest {
  static final String ISSUER = "http://127.0.0.1:" + TestApp.port("tokenguard.test.health-disabled-port");

  @RegisterExtension
  static final QuarkusUnitTest QUARKUS = TestApp.echoApp(ISSUER)
      .overrideConfigKey("quarkus.tokenguard.public-paths", "/q/**")
      .overrideConfigKey("quarkus.smallrye-health.extensions.enabled", "false");

  @Test
  void extensionChecksOffThenReadinessWithoutTokenGuard() throws Exception {
    HttpResponse<String> ready = TestApp.get("/q/health/ready", null);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).doesNotContain("tokenguard");
  }
}
