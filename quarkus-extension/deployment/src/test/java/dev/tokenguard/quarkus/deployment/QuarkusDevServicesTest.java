package dev.tokenguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.devissuer.DevIssuerClient;
import io.quarkus.test.QuarkusUnitTest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No issuer configured, test mode: Dev Services start the embedded dev issuer, TokenGuard is configured against it,
 * and the test gets tokens from it with {@link DevIssuerClient}.
 */
class QuarkusDevServicesTest {
  @RegisterExtension
  static final QuarkusUnitTest QUARKUS = new QuarkusUnitTest()
      .withApplicationRoot(jar -> jar.addClasses(EchoResource.class, EchoResource.Failures.class, TestApp.class))
      .overrideConfigKey("quarkus.http.test-port", "0")
      .overrideConfigKey("quarkus.tokenguard.rule.admin.paths", "/api/admin/**")
      .overrideConfigKey("quarkus.tokenguard.rule.admin.permissions", "admin:write");

  @Test
  void theDevIssuerIsConfiguredAndItsTokensPass() throws Exception {
    String issuer = ConfigProvider.getConfig().getValue("quarkus.tokenguard.issuer", String.class);
    assertThat(issuer).startsWith("http://127.0.0.1:");
    assertThat(ConfigProvider.getConfig().getValue("quarkus.tokenguard.audience", String.class)).isEqualTo("tokenguard-dev");
    String reader = DevIssuerClient.token(issuer, Map.of("sub", "alice", "permissions", List.of("orders:read")));
    HttpResponse<String> me = TestApp.get("/api/me", reader);
    assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
    assertThat(me.body()).contains("\"subject\":\"alice\"");
    assertThat(TestApp.get("/api/me", null).statusCode()).isEqualTo(401);
    assertThat(TestApp.get("/api/admin/x", reader).statusCode()).isEqualTo(403);
    assertThat(TestApp.get("/api/admin/x", DevIssuerClient.token(issuer, Map.of("permissions", List.of("admin:write"))))
        .statusCode()).isEqualTo(200);
  }
}
