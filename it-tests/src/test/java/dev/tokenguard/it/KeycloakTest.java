package dev.tokenguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A real Keycloak as the issuer (discovery, JWKS with an extra encryption key, RS256 tokens with
 * {@code realm_access}) and as the user API of the {@code keycloak} preset (service-account token, admin REST
 * API, effective realm roles), in front of the servlet filter in Jetty through web.xml.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeycloakTest {
  private KeycloakServer keycloak;
  private Server jetty;
  private String base;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    keycloak = new KeycloakServer();
    Map<String, String> props = new LinkedHashMap<>();
    props.put("issuer", keycloak.issuer());
    props.put("audience", "orders-api");
    props.put("roles-claims", "realm_access.roles");
    props.put("user-lookup.provider", "keycloak");
    props.put("user-lookup.client-id", KeycloakServer.CLIENT_ID);
    props.put("user-lookup.client-secret", KeycloakServer.CLIENT_SECRET);
    Path webapp = WebXml.write(Files.createTempDirectory("tokenguard-kc"), "jakarta", props, EchoServlet.class.getName());
    jetty = EmbeddedJetty.webapp(webapp, "/app");
    jetty.start();
    base = "http://127.0.0.1:" + EmbeddedJetty.port(jetty) + "/app";
  }

  @AfterAll
  void stop() throws Exception {
    if (jetty != null) {
      jetty.stop();
    }
    if (keycloak != null) {
      keycloak.close();
    }
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void keycloakTokenThen200WithRolesAndProfileFromTheAdminApi() throws Exception {
    HttpResponse<String> r = get("/api/me", keycloak.userToken("alice", "alice-pass"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Map<String, Object> me = JSONObjectUtils.parse(r.body());
    assertThat(me).containsEntry("profileEmail", "alice@shop.example").containsEntry("issuer", keycloak.issuer());
    assertThat(me.get("roles").toString()).contains("buyer");
  }

  @Test
  void noTokenThen401() throws Exception {
    assertThat(get("/api/me", null).statusCode()).isEqualTo(401);
  }

  @Test
  void userDisabledInKeycloakThen401EvenWithAValidToken() throws Exception {
    String token = keycloak.userToken("carol", "carol-pass");
    keycloak.disable("carol");
    HttpResponse<String> r = get("/api/me", token);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("is blocked at the identity provider");
  }
}
