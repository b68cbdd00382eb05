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
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Opaque access tokens of a real authorization server (oidc-provider, RFC 7662 introspection) through the servlet
 * filter in Jetty: each passes or fails as its JWT twin in the scenario catalogue does (valid, wrong audience,
 * missing permission, expired, unknown), plus what only an opaque token has: revocation at the issuer seen within
 * {@code introspection.cache-ttl}, client_secret_post, and the issuer down (503, never 401).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpaqueTokensTest {
  private OidcProviderServer as;
  private Server jetty;
  private final HttpClient http = HttpClient.newHttpClient();

  private com.nimbusds.jose.jwk.ECKey clientKey;

  @BeforeAll
  void start() throws Exception {
    clientKey = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).keyID("k1").generate();
    as = new OidcProviderServer(new com.nimbusds.jose.jwk.JWKSet(clientKey.toPublicJWK()).toString());
  }

  @AfterAll
  void stop() throws Exception {
    if (jetty != null) {
      jetty.stop();
    }
    as.close();
  }

  private String app(Map<String, String> extra) throws Exception {
    if (jetty != null) {
      jetty.stop();
    }
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuers.op.url", as.issuer());
    p.put("issuers.op.token-format", "opaque");
    p.put("issuers.op.audience", "orders");
    p.put("issuers.op.introspection.client-id", OidcProviderServer.CLIENT_BASIC);
    p.put("issuers.op.introspection.client-secret", OidcProviderServer.SECRET_BASIC);
    p.put("issuers.op.introspection.cache-ttl", "1s");
    p.put("issuers.op.introspection.negative-ttl", "0s");
    p.put("realm", "it");
    p.put("rule.admin.paths", "/api/admin/**");
    p.put("rule.admin.permissions", "admin:write");
    p.putAll(extra);
    Path webapp = WebXml.write(Files.createTempDirectory("tokenguard-opaque"), "jakarta", p, EchoServlet.class.getName());
    jetty = EmbeddedJetty.webapp(webapp, "/app");
    jetty.start();
    return "http://127.0.0.1:" + EmbeddedJetty.port(jetty) + "/app";
  }

  private HttpResponse<String> get(String base, String path, String token) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String challenge(HttpResponse<String> r) {
    return r.headers().firstValue("WWW-Authenticate").orElse("");
  }

  @Test
  void opaqueTokensPassAndFailAsTheirJwtTwins() throws Exception {
    String base = app(Map.of());
    HttpResponse<String> valid = get(base, "/api/me", as.token("alice", "orders:read", "orders", 3600));
    assertThat(valid.statusCode()).as(valid.body()).isEqualTo(200);
    Map<String, Object> me = JSONObjectUtils.parse(valid.body());
    assertThat(me).containsEntry("subject", "alice").containsEntry("issuer", as.issuer());
    assertThat(me.get("permissions")).isEqualTo(List.of("orders:read"));

    HttpResponse<String> wrongAudience = get(base, "/api/me", as.token("alice", "orders:read", "another-api", 3600));
    assertThat(wrongAudience.statusCode()).isEqualTo(401);
    assertThat(challenge(wrongAudience)).contains("error=\"invalid_token\"", "the audience (aud) is [another-api], expected one of [orders]");

    HttpResponse<String> forbidden = get(base, "/api/admin/users", as.token("alice", "orders:read", "orders", 3600));
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(challenge(forbidden)).contains("error=\"insufficient_scope\"", "scope=\"admin:write\"");
    assertThat(get(base, "/api/admin/users", as.token("alice", "admin:write", "orders", 3600)).statusCode()).isEqualTo(200);

    String shortLived = as.token("alice", "orders:read", "orders", 1);
    Thread.sleep(2100);
    HttpResponse<String> expired = get(base, "/api/me", shortLived);
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(challenge(expired)).contains("error=\"invalid_token\"", "inactive");

    HttpResponse<String> unknown = get(base, "/api/me", "not-a-token-the-issuer-made");
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(challenge(unknown)).contains("error=\"invalid_token\"");
    assertThat(unknown.body()).doesNotContain("not-a-token-the-issuer-made");
  }

  @Test
  void aRevocationAtTheIssuerIsSeenWithinTheCacheTtl() throws Exception {
    String base = app(Map.of());
    String token = as.token("bob", "orders:read", "orders", 3600);
    assertThat(get(base, "/api/me", token).statusCode()).isEqualTo(200);
    as.revoke(token);
    Thread.sleep(1200); // introspection.cache-ttl=1s
    HttpResponse<String> r = get(base, "/api/me", token);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(challenge(r)).contains("inactive");
  }

  @Test
  void clientSecretPostIsAcceptedByTheServer() throws Exception {
    String base = app(Map.of("issuers.op.introspection.auth-method", "client_secret_post",
        "issuers.op.introspection.client-id", OidcProviderServer.CLIENT_POST,
        "issuers.op.introspection.client-secret", OidcProviderServer.SECRET_POST));
    assertThat(get(base, "/api/me", as.token("carol", "orders:read", "orders", 3600)).statusCode()).isEqualTo(200);
  }

  @Test
  void privateKeyJwtIsAcceptedByTheServer() throws Exception {
    String pem = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(clientKey.toPrivateKey().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    String base = app(Map.of("issuers.op.introspection.auth-method", "private_key_jwt",
        "issuers.op.introspection.client-id", OidcProviderServer.CLIENT_KEY_JWT,
        "issuers.op.introspection.private-key", pem, "issuers.op.introspection.key-id", "k1"));
    assertThat(get(base, "/api/me", as.token("erin", "orders:read", "orders", 3600)).statusCode()).isEqualTo(200);
  }

  @Test
  void signedAnswersOfTheRealServerAreCheckedWithItsKeys() throws Exception {
    String base = app(Map.of("issuers.op.introspection.jwt-answer", "true"));
    HttpResponse<String> r = get(base, "/api/me", as.token("frank", "orders:read", "orders", 3600));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(JSONObjectUtils.parse(r.body())).containsEntry("subject", "frank");
    assertThat(get(base, "/api/me", "made-up").statusCode()).isEqualTo(401);
  }

  @Test
  void aWrongClientSecretIs503NotA401() throws Exception {
    String base = app(Map.of("issuers.op.introspection.client-secret", "wrong"));
    HttpResponse<String> r = get(base, "/api/me", as.token("dave", "orders:read", "orders", 3600));
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).isPresent();
    assertThat(r.body()).doesNotContain(as.issuer());
  }
}
