package dev.tokenguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.TestCertificates;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

/**
 * Sender-constrained tokens end to end through the servlet filter in Jetty: a DPoP-bound token issued by a real
 * authorization server (oidc-provider's client credentials grant with a DPoP proof, introspected as an opaque token whose
 * answer carries {@code cnf.jkt}), with proofs signed by npm jose; and certificate-bound tokens over mutual TLS, with a
 * test CA, a client certificate, and a token bound to it and one bound to another certificate.
 */
class SenderConstrainedTokensTest {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void aDpopBoundTokenFromARealAuthorizationServerPassesOnlyWithItsProofs() throws Exception {
    try (OidcProviderServer as = new OidcProviderServer(); JoseSigner jose = new JoseSigner()) {
      JoseSigner.KeyPair key = jose.keys("ES256", "client");
      Map<String, Object> issued = as.dpopToken(jose.proof(key, "POST", as.tokenEndpoint(), "", java.util.Collections.singletonMap("ath", null)));
      assertThat(issued).containsEntry("token_type", "DPoP");
      String token = (String) issued.get("access_token");

      Map<String, String> p = new LinkedHashMap<>();
      p.put("issuers.op.url", as.issuer());
      p.put("issuers.op.token-format", "opaque");
      p.put("issuers.op.principal-claim", "client_id");
      p.put("issuers.op.introspection.client-id", OidcProviderServer.CLIENT_BASIC);
      p.put("issuers.op.introspection.client-secret", OidcProviderServer.SECRET_BASIC);
      p.put("issuers.op.dpop.mode", "required");
      p.put("realm", "it");
      Path webapp = WebXml.write(Files.createTempDirectory("tokenguard-dpop"), "jakarta", p, EchoServlet.class.getName());
      Server jetty = EmbeddedJetty.webapp(webapp, "/app");
      jetty.start();
      try {
        String url = "http://127.0.0.1:" + EmbeddedJetty.port(jetty) + "/app/api/me";
        HttpResponse<String> ok = send(url, "DPoP " + token, jose.proof(key, "GET", url, token, Map.of()));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(JSONObjectUtils.parse(ok.body())).containsEntry("remoteUser", "dpop-client").containsEntry("binding", "DPOP");

        HttpResponse<String> asBearer = send(url, "Bearer " + token, null);
        assertThat(asBearer.statusCode()).isEqualTo(401);
        assertThat(asBearer.headers().firstValue("WWW-Authenticate").orElseThrow())
            .isEqualTo("DPoP realm=\"it\", error=\"invalid_token\", error_description=\"the token is bound to a DPoP key (cnf.jkt);"
                + " send it with the DPoP scheme and a proof\", algs=\"ES256 ES384 ES512 PS256 PS384 PS512 RS256 RS384 RS512 EdDSA\"");

        JoseSigner.KeyPair thief = jose.keys("ES256", "thief");
        HttpResponse<String> stolen = send(url, "DPoP " + token, jose.proof(thief, "GET", url, token, Map.of()));
        assertThat(stolen.statusCode()).isEqualTo(401);
        assertThat(stolen.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("another key than the one the token is bound to");

        HttpResponse<String> missing = send(url, null, null);
        assertThat(missing.headers().firstValue("WWW-Authenticate").orElseThrow()).isEqualTo("DPoP realm=\"it\", algs=\"ES256 ES384"
            + " ES512 PS256 PS384 PS512 RS256 RS384 RS512 EdDSA\"");
      } finally {
        jetty.stop();
      }
    }
  }

  private HttpResponse<String> send(String url, String authorization, String proof) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (proof != null) {
      b.header("DPoP", proof);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aCertificateBoundTokenPassesOnlyOverTheConnectionOfThatCertificate() throws Exception {
    TestCertificates.Pair ca = TestCertificates.authority("tokenguard-test-ca");
    TestCertificates.Pair server = TestCertificates.selfSigned("server");
    TestCertificates.Pair client = TestCertificates.issue(ca, "client");
    TestCertificates.Pair other = TestCertificates.issue(ca, "other");
    try (JwksServer idp = new JwksServer().keys(TestKeys.RSA)) {
      Map<String, String> p = new LinkedHashMap<>();
      p.put("issuer", idp.issuer());
      p.put("jwks-uri", idp.jwksUri());
      p.put("audience", "orders");
      Path webapp = WebXml.write(Files.createTempDirectory("tokenguard-mtls"), "jakarta", p, EchoServlet.class.getName());
      Server jetty = EmbeddedJetty.tlsWebapp(webapp, "/app", TestCertificates.keyStore(server), TestCertificates.PASSWORD,
          TestCertificates.trustStore(ca.certificate()));
      jetty.start();
      try {
        String url = "https://127.0.0.1:" + EmbeddedJetty.port(jetty) + "/app/api/me";
        String bound = TestTokens.valid(idp.issuer(), "orders", Instant.now())
            .claim("cnf", Map.of("x5t#S256", client.thumbprint())).sign("RS256", TestKeys.RSA);
        HttpClient withClient = tls(client, server);
        HttpResponse<String> ok = withClient.send(request(url, bound), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(JSONObjectUtils.parse(ok.body())).containsEntry("binding", "CERTIFICATE");

        HttpResponse<String> otherCertificate = tls(other, server).send(request(url, bound), HttpResponse.BodyHandlers.ofString());
        assertThat(otherCertificate.statusCode()).isEqualTo(401);
        assertThat(otherCertificate.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("another client certificate");

        HttpResponse<String> none = tls(null, server).send(request(url, bound), HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("came without one");

        String boundToOther = TestTokens.valid(idp.issuer(), "orders", Instant.now())
            .claim("cnf", Map.of("x5t#S256", other.thumbprint())).sign("RS256", TestKeys.RSA);
        assertThat(withClient.send(request(url, boundToOther), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        String unbound = TestTokens.valid(idp.issuer(), "orders", Instant.now()).sign("RS256", TestKeys.RSA);
        assertThat(tls(null, server).send(request(url, unbound), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      } finally {
        jetty.stop();
      }
    }
  }

  /** A client presenting {@code own} (or nothing) and trusting the server's certificate; a new connection per client. */
  private static HttpClient tls(TestCertificates.Pair own, TestCertificates.Pair server) {
    return HttpClient.newBuilder().sslContext(TestCertificates.context(own, server.certificate()))
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static HttpRequest request(String url, String token) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + token).build();
  }
}
