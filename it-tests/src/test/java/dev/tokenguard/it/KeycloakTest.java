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
 * API, effective realm roles), in front of the servlet filter in Jetty through web.xml; beside it in the same
 * application a second issuer (mock-oauth2-server) with a block of its own: another audience, roles from
 * {@code groups}, and a generic user API that also knows Keycloak's subjects under other profiles.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeycloakTest {
  private KeycloakServer keycloak;
  private TestIdentityProviders partner;
  private Server jetty;
  private String base;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    keycloak = new KeycloakServer();
    partner = new TestIdentityProviders();
    Map<String, String> props = new LinkedHashMap<>();
    props.put("issuers.keycloak.url", keycloak.issuer());
    props.put("issuers.keycloak.audience", "orders-api");
    props.put("issuers.keycloak.roles-claims", "realm_access.roles");
    props.put("issuers.keycloak.user-lookup.provider", "keycloak");
    props.put("issuers.keycloak.user-lookup.client-id", KeycloakServer.CLIENT_ID);
    props.put("issuers.keycloak.user-lookup.client-secret", KeycloakServer.CLIENT_SECRET);
    props.put("issuers.keycloak.user-lookup.client-roles", "orders-api");
    props.put("issuers.keycloak.user-lookup.brute-force", "true");
    props.put("issuers.keycloak.dpop.mode", "allowed");
    props.put("issuers.partner.url", partner.oidcIssuer());
    props.put("issuers.partner.jwks-uri", partner.oidcIssuer() + "/jwks");
    props.put("issuers.partner.audience", "partner-api");
    props.put("issuers.partner.roles-claims", "groups");
    props.put("issuers.partner.user-lookup.provider", "generic");
    props.put("issuers.partner.user-lookup.user-url", partner.users.url() + "/users/{sub}");
    props.put("issuers.partner.user-lookup.field.id", "id");
    props.put("issuers.partner.user-lookup.field.email", "email");
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
    if (partner != null) {
      partner.close();
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
    assertThat(me.get("roles").toString()).as("client role of orders-api, from the admin API").contains("auditor");
  }

  /**
   * Keycloak (26.4+, DPoP on by default) binds a token asked for with a DPoP proof to the proof's key ({@code cnf.jkt}):
   * with proofs signed by npm jose it passes with the DPoP scheme, and is refused as Bearer and with another key's proof.
   */
  @Test
  void aDpopBoundKeycloakTokenPassesOnlyWithItsProofs() throws Exception {
    try (JoseSigner jose = new JoseSigner()) {
      JoseSigner.KeyPair key = jose.keys("ES256", "alice-device");
      String token = keycloak.userTokenWithDpop("alice", "alice-pass",
          jose.proof(key, "POST", keycloak.tokenEndpoint(), "", java.util.Collections.singletonMap("ath", null)));
      String url = base + "/api/me";
      HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "DPoP " + token)
          .header("DPoP", jose.proof(key, "GET", url, token, Map.of())).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      assertThat(JSONObjectUtils.parse(ok.body())).containsEntry("binding", "DPOP");
      HttpResponse<String> asBearer = get("/api/me", token);
      assertThat(asBearer.statusCode()).isEqualTo(401);
      assertThat(asBearer.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("bound to a DPoP key");
      JoseSigner.KeyPair thief = jose.keys("ES256", "thief");
      HttpResponse<String> stolen = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "DPoP " + token)
          .header("DPoP", jose.proof(thief, "GET", url, token, Map.of())).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(stolen.statusCode()).isEqualTo(401);
    }
  }

  /**
   * Keycloak's brute-force detection locks a user out after three wrong passwords: a token the user got before is
   * refused (401, blocked) while the lockout lasts, though the user is still enabled.
   */
  @Test
  void userLockedOutByBruteForceDetectionThen401() throws Exception {
    String token = keycloak.userToken("dave", "dave-pass");
    keycloak.failLogins("dave", 3); // before TokenGuard's first lookup of dave: a cached profile would serve cache-ttl
    HttpResponse<String> r = get("/api/me", token);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("is blocked at the identity provider");
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

  /**
   * The same subject at both providers: a Keycloak user's id is also a user at the partner's API with another
   * profile. Each token gets its own issuer's profile and roles, and the partner's block reads roles from
   * {@code groups} only, so a {@code realm_access} claim in a partner token grants nothing.
   */
  @Test
  void eachIssuerIsJudgedByItsOwnBlockAndLookedUpAtItsOwnUserApi() throws Exception {
    String kcToken = keycloak.userToken("alice", "alice-pass");
    String aliceId = (String) JSONObjectUtils.parse(new String(java.util.Base64.getUrlDecoder().decode(kcToken.split("\\.")[1]),
        java.nio.charset.StandardCharsets.UTF_8)).get("sub");
    partner.users.on("GET", "/users/" + aliceId, dev.tokenguard.testing.ApiServer.Answer.json(200,
        "{\"id\":\"" + aliceId + "\",\"email\":\"alice@partner.example\"}"));

    Map<String, Object> viaKeycloak = JSONObjectUtils.parse(get("/api/me", kcToken).body());
    assertThat(viaKeycloak).containsEntry("profileEmail", "alice@shop.example").containsEntry("issuer", keycloak.issuer());

    String partnerToken = partner.oidcToken(aliceId, "partner-api",
        Map.of("groups", java.util.List.of("reseller"), "realm_access", Map.of("roles", java.util.List.of("buyer"))), 3600);
    HttpResponse<String> r = get("/api/me", partnerToken);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Map<String, Object> viaPartner = JSONObjectUtils.parse(r.body());
    assertThat(viaPartner).containsEntry("profileEmail", "alice@partner.example").containsEntry("issuer", partner.oidcIssuer());
    assertThat(viaPartner.get("roles").toString()).contains("reseller").doesNotContain("buyer");
  }

  @Test
  void aPartnerTokenWithKeycloaksAudienceIsRefused() throws Exception {
    HttpResponse<String> r = get("/api/me", partner.oidcToken("alice", "orders-api", Map.of(), 3600));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("expected one of [partner-api]");
  }

  /**
   * Keycloak's own introspection endpoint (discovered) vouches for its tokens when the block says
   * {@code token-format=opaque}: the answer's members (roles, audience) are checked as the token's claims, and a
   * made-up token is inactive there.
   */
  @Test
  void keycloaksIntrospectionEndpointVouchesForItsTokens() throws Exception {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("issuers.keycloak.url", keycloak.issuer());
    props.put("issuers.keycloak.token-format", "opaque");
    props.put("issuers.keycloak.audience", "orders-api");
    props.put("issuers.keycloak.roles-claims", "realm_access.roles");
    // the API's own client: Keycloak (26.6.2 and later) answers active only to a client in the token's aud
    props.put("issuers.keycloak.introspection.client-id", "orders-api");
    props.put("issuers.keycloak.introspection.client-secret", "orders-api-secret");
    Path webapp = WebXml.write(Files.createTempDirectory("tokenguard-kc-introspect"), "jakarta", props, EchoServlet.class.getName());
    Server introspecting = EmbeddedJetty.webapp(webapp, "/app");
    introspecting.start();
    try {
      String app = "http://127.0.0.1:" + EmbeddedJetty.port(introspecting) + "/app/api/me";
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(app))
          .header("Authorization", "Bearer " + keycloak.userToken("alice", "alice-pass")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(JSONObjectUtils.parse(r.body()).get("roles").toString()).contains("buyer");
      HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(app))
          .header("Authorization", "Bearer made-up").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(unknown.statusCode()).isEqualTo(401);
    } finally {
      introspecting.stop();
    }
  }
}
