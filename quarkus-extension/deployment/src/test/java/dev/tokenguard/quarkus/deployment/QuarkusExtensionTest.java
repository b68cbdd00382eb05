package dev.tokenguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import io.quarkus.test.QuarkusUnitTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The extension in a Quarkus application: started while its identity provider is down (nothing is fetched at
 * start), 503 then recovery once it is up, and the Quarkus annotations with TokenGuard's identity. The issuer is
 * only an address when the application starts; the test starts a real JWKS server there afterwards, on the
 * same port (Quarkus loads this class again for the test instance, so the server lives on that side).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuarkusExtensionTest {
  static final int PORT = TestApp.port("tokenguard.test.idp-port");
  static final String ISSUER = "http://127.0.0.1:" + PORT;

  @RegisterExtension
  static final QuarkusUnitTest QUARKUS = TestApp.echoApp(ISSUER)
      .overrideConfigKey("quarkus.tokenguard.realm", "shop")
      .overrideConfigKey("quarkus.tokenguard.public-paths", "/public/**")
      .overrideConfigKey("quarkus.tokenguard.jwks.min-refetch-interval", "1s")
      .overrideConfigKey("quarkus.tokenguard.rule.admin.paths", "/api/admin/**")
      .overrideConfigKey("quarkus.tokenguard.rule.admin.permissions", "admin:write");

  static JwksServer idp;
  final HttpClient http = HttpClient.newHttpClient();

  @AfterAll
  static void stop() {
    if (idp != null) {
      idp.close();
    }
  }

  static synchronized void idpUp() {
    if (idp == null) {
      idp = new JwksServer(PORT).keys(TestKeys.RSA);
    }
  }

  String token(Object permissions, Object roles) {
    return TestTokens.valid(ISSUER, "orders", Instant.now()).claim("permissions", permissions).claim("roles", roles)
        .sign("RS256", TestKeys.RSA);
  }

  HttpResponse<String> get(String path, String token) throws Exception {
    return TestApp.get(path, token);
  }

  @Test
  @Order(1)
  void idpDownAtStartThen503ThenRecoversWithoutRestart() throws Exception {
    HttpResponse<String> down = get("/api/me", token(List.of(), List.of()));
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.headers().firstValue("Retry-After")).isPresent();
    assertThat(down.body()).contains("temporarily_unavailable");
    idpUp();
    awaitUp(); // the next fetch is allowed once min-refetch-interval (1 s) has passed on the application's clock
    HttpResponse<String> up = get("/api/me", token(List.of(), List.of()));
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(up.body()).contains("\"subject\":\"user-123\"");
  }

  @Test
  @Order(2)
  void outcomesAndQuarkusAnnotationsWithTokenGuardIdentity() throws Exception {
    idpUp();
    awaitUp();
    HttpResponse<String> none = get("/api/me", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"shop\"");
    assertThat(get("/public/health", null).statusCode()).isEqualTo(200);
    HttpResponse<String> anonymousCaller = get("/public/caller", null);
    assertThat(anonymousCaller.statusCode()).as("the injected TokenPrincipal of an anonymous request").isEqualTo(401);
    assertThat(anonymousCaller.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"shop\"");

    String reader = token(List.of("orders:read"), List.of("reader"));
    String writer = token(List.of("orders:write"), List.of("admin"));
    HttpResponse<String> me = get("/api/me", reader);
    assertThat(me.body()).contains("\"principalIsTokenPrincipal\":true", "\"inRoleReader\":true", "\"attributeIsPrincipal\":true");

    assertThat(get("/api/caller", reader).body()).isEqualTo("caller user-123");

    HttpResponse<String> rule = get("/api/admin/x", reader);
    assertThat(rule.statusCode()).isEqualTo(403);
    assertThat(rule.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("insufficient_scope", "scope=\"admin:write\"");

    HttpResponse<String> permission = get("/annotated/permissions", reader);
    assertThat(permission.statusCode()).isEqualTo(403);
    assertThat(permission.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"insufficient_scope\"");
    assertThat(get("/annotated/permissions", writer).statusCode()).isEqualTo(200);
    assertThat(get("/annotated/roles", reader).statusCode()).isEqualTo(403);
    assertThat(get("/annotated/roles", writer).statusCode()).isEqualTo(200);
    assertThat(get("/annotated/authenticated", reader).statusCode()).isEqualTo(200);

    HttpResponse<String> expired = get("/api/me", TestTokens.valid(ISSUER, "orders", Instant.now())
        .expiredBy(3600, Instant.now()).sign("RS256", TestKeys.RSA));
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(expired.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"", "expired");

    HttpResponse<String> twoTokens = http.send(HttpRequest.newBuilder(URI.create(TestApp.base() + "/api/me"))
        .header("Authorization", "Bearer " + reader + " " + reader).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(twoTokens.statusCode()).isEqualTo(400);
  }

  private void awaitUp() throws Exception {
    for (int i = 0; i < 100 && get("/api/me", token(List.of(), List.of())).statusCode() != 200; i++) {
      Thread.sleep(100);
    }
  }
}
