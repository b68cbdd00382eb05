package dev.tokenguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import io.quarkus.test.QuarkusUnitTest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code quarkus.http.auth.proactive=false}: Quarkus authenticates only where something asks for the identity, yet
 * TokenGuard still decides every request (deny by default, public paths, bad tokens, path rules), together with
 * {@code quarkus.http.auth.permission.*}.
 */
class QuarkusLazyAuthenticationTest {
  static final int PORT = TestApp.port("tokenguard.test.lazy-idp-port");
  static final String ISSUER = "http://127.0.0.1:" + PORT;

  @RegisterExtension
  static final QuarkusUnitTest QUARKUS = TestApp.echoApp(ISSUER)
      .withApplicationRoot(jar -> jar.addClasses(EchoResource.class, EchoResource.Failures.class, TestApp.class, Plain.class))
      .overrideConfigKey("quarkus.http.auth.proactive", "false")
      .overrideConfigKey("quarkus.tokenguard.public-paths", "/public/**")
      .overrideConfigKey("quarkus.tokenguard.rule.admin.paths", "/api/admin/**")
      .overrideConfigKey("quarkus.tokenguard.rule.admin.permissions", "admin:write")
      .overrideConfigKey("quarkus.http.auth.permission.ops.paths", "/api/ops/*")
      .overrideConfigKey("quarkus.http.auth.permission.ops.policy", "operators")
      .overrideConfigKey("quarkus.http.auth.policy.operators.roles-allowed", "operator");

  static JwksServer idp;

  /** An endpoint that never asks for the caller: nothing in Quarkus would authenticate it lazily. */
  @jakarta.ws.rs.Path("/plain")
  public static class Plain {
    @jakarta.ws.rs.GET
    @jakarta.ws.rs.Path("{path: .*}")
    public String plain() {
      return "plain";
    }
  }

  @AfterAll
  static void stop() {
    if (idp != null) {
      idp.close();
    }
  }

  static synchronized String token(Object permissions, Object roles, long ageSeconds) {
    if (idp == null) {
      idp = new JwksServer(PORT).keys(TestKeys.RSA);
    }
    TestTokens t = TestTokens.valid(ISSUER, "orders", Instant.now()).claim("permissions", permissions).claim("roles", roles);
    return (ageSeconds > 0 ? t.expiredBy(ageSeconds, Instant.now()) : t).sign("RS256", TestKeys.RSA);
  }

  @Test
  void everyRequestIsStillDecidedByTokenGuard() throws Exception {
    String reader = token(List.of("orders:read"), List.of("reader"), 0);
    assertThat(TestApp.get("/api/me", null).statusCode()).as("deny by default on an unannotated endpoint").isEqualTo(401);
    assertThat(TestApp.get("/plain/x", null).statusCode()).as("deny by default where nothing asks for the caller").isEqualTo(401);
    assertThat(TestApp.get("/plain/x", token(List.of(), List.of(), 3600)).statusCode()).isEqualTo(401);
    assertThat(TestApp.get("/plain/x", reader).body()).isEqualTo("plain");
    HttpResponse<String> expired = TestApp.get("/api/me", token(List.of(), List.of(), 3600));
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(expired.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
    assertThat(TestApp.get("/api/admin/x", reader).statusCode()).as("rule.admin").isEqualTo(403);
    assertThat(TestApp.get("/api/me", reader).body()).contains("\"subject\":\"user-123\"");
    assertThat(TestApp.get("/public/hello", null).statusCode()).isEqualTo(200);
    assertThat(TestApp.get("/api/ops/x", reader).statusCode()).as("Quarkus' own permission policy").isEqualTo(403);
    assertThat(TestApp.get("/api/ops/x", token(List.of(), List.of("operator"), 0)).statusCode()).isEqualTo(200);
  }
}
