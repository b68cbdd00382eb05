package dev.tokenguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.TestCertificates;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import io.quarkus.test.QuarkusUnitTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A certificate-bound token (RFC 8705, {@code cnf.x5t#S256}) through Quarkus' own TLS listener with client
 * authentication requested ({@code quarkus.http.ssl.client-auth=request}): it passes with its client certificate,
 * and is refused with another one or none. The certificates are written before Quarkus starts, under a directory
 * shared through a system property (QuarkusUnitTest loads this class twice).
 */
class QuarkusMutualTlsTest {
  static final String ISSUER = "http://127.0.0.1:" + TestApp.port("tokenguard.test.mtls-idp-port");
  static final Path DIR = certificates();

  @RegisterExtension
  static final QuarkusUnitTest QUARKUS = TestApp.echoApp(ISSUER)
      .overrideConfigKey("quarkus.http.test-ssl-port", "0")
      .overrideConfigKey("quarkus.tls.key-store.pem.0.cert", DIR.resolve("server.crt").toString())
      .overrideConfigKey("quarkus.tls.key-store.pem.0.key", DIR.resolve("server.key").toString())
      .overrideConfigKey("quarkus.tls.trust-store.pem.certs", DIR.resolve("ca.crt").toString())
      .overrideConfigKey("quarkus.http.ssl.client-auth", "request");

  /** The server's certificate and key, the client CA, and two client certificates issued by it, written once per JVM. */
  static synchronized Path certificates() {
    String known = System.getProperty("tokenguard.test.mtls-dir");
    if (known != null) {
      return Path.of(known);
    }
    try {
      Path dir = Files.createTempDirectory("tokenguard-quarkus-mtls");
      TestCertificates.Pair server = TestCertificates.selfSigned("server");
      server.write(dir.resolve("server.crt"), dir.resolve("server.key"));
      TestCertificates.Pair ca = TestCertificates.authority("clients");
      Files.writeString(dir.resolve("ca.crt"), ca.certificatePem());
      TestCertificates.issue(ca, "client").write(dir.resolve("client.crt"), dir.resolve("client.key"));
      TestCertificates.issue(ca, "other").write(dir.resolve("other.crt"), dir.resolve("other.key"));
      System.setProperty("tokenguard.test.mtls-dir", dir.toString());
      return dir;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static TestCertificates.Pair read(String name) throws Exception {
    java.security.cert.X509Certificate cert = dev.tokenguard.Pem.certificates(Files.readString(DIR.resolve(name + ".crt"))).get(0);
    java.security.PrivateKey key = dev.tokenguard.Pem.privateKey(Files.readString(DIR.resolve(name + ".key")));
    return new TestCertificates.Pair(cert, new java.security.KeyPair(cert.getPublicKey(), key));
  }

  @Test
  void aCertificateBoundTokenPassesOnlyWithItsClientCertificate() throws Exception {
    try (JwksServer idp = new JwksServer(Integer.parseInt(ISSUER.substring(ISSUER.lastIndexOf(':') + 1))).keys(TestKeys.RSA)) {
      TestCertificates.Pair server = read("server");
      TestCertificates.Pair client = read("client");
      TestCertificates.Pair other = read("other");
      String url = "https://127.0.0.1:" + ConfigProvider.getConfig().getValue("quarkus.http.test-ssl-port", Integer.class) + "/api/me";
      String token = TestTokens.valid(ISSUER, "orders", Instant.now()).claim("cnf", Map.of("x5t#S256", client.thumbprint()))
          .sign("RS256", TestKeys.RSA);
      HttpRequest me = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + token).build();

      HttpResponse<String> ok = tls(client, server).send(me, HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      assertThat(ok.body()).contains("\"binding\":\"CERTIFICATE\"");
      HttpResponse<String> otherCertificate = tls(other, server).send(me, HttpResponse.BodyHandlers.ofString());
      assertThat(otherCertificate.statusCode()).isEqualTo(401);
      assertThat(otherCertificate.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("another client certificate");
      // a trusted client certificate without a token is not a credential TokenGuard accepts: Quarkus' own TLS mechanism
      // must not authenticate the request in its place
      HttpResponse<String> certificateOnly = tls(client, server).send(HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(certificateOnly.statusCode()).as(certificateOnly.body()).isEqualTo(401);
      HttpResponse<String> none = tls(null, server).send(me, HttpResponse.BodyHandlers.ofString());
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("came without one");
    }
  }

  private static HttpClient tls(TestCertificates.Pair own, TestCertificates.Pair server) {
    return HttpClient.newBuilder().sslContext(TestCertificates.context(own, server.certificate()))
        .connectTimeout(Duration.ofSeconds(5)).build();
  }
}
