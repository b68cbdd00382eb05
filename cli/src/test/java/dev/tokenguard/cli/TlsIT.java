package dev.tokenguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.TestCertificates;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's TLS listener ({@code --tls-cert}, {@code --tls-key}) with test-generated certificates and a client
 * that trusts them: HTTP/2 negotiated, the certificate renewed in place is served without a restart, and mistakes exit
 * with status 2 naming the option.
 */
class TlsIT {
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** A client trusting {@code certificates}, on a new connection each time it is made. */
  private static HttpClient client(X509Certificate... certificates) {
    return HttpClient.newBuilder().sslContext(TestCertificates.context(null, certificates)).version(HttpClient.Version.HTTP_2)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Test
  void servesHttp2OverTlsAndPicksUpARenewedCertificateWithoutARestart() throws Exception {
    Path dir = Files.createTempDirectory("tokenguard-tls");
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    TestCertificates.Pair first = TestCertificates.selfSigned("first");
    TestCertificates.Pair renewed = TestCertificates.selfSigned("renewed");
    first.write(cert, key);
    try (JwksServer idp = new JwksServer().keys(TestKeys.RSA)) {
      GatewayProcess s = GatewayProcess.serve(processes, false, "--set", "issuer=" + idp.issuer(), "--set",
          "jwks-uri=" + idp.jwksUri(), "--set", "audience=orders", "--tls-cert", cert.toString(), "--tls-key", key.toString());
      assertThat(s.baseUrl()).startsWith("https://");
      String token = TestTokens.valid(idp.issuer(), "orders", Instant.now()).sign("RS256", TestKeys.RSA);
      HttpRequest me = HttpRequest.newBuilder(URI.create(s.baseUrl() + "/api/me")).header("Authorization", "Bearer " + token).build();
      HttpResponse<String> r = client(first.certificate()).send(me, HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.version()).as("ALPN chose HTTP/2").isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(r.body()).contains("\"subject\"");
      assertThat(client(first.certificate()).send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/api/me")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);

      renewed.write(cert, key);
      Instant deadline = Instant.now().plusSeconds(20);
      Certificate served = null;
      while (Instant.now().isBefore(deadline)) {
        HttpResponse<String> again = client(first.certificate(), renewed.certificate()).send(me, HttpResponse.BodyHandlers.ofString());
        served = again.sslSession().orElseThrow().getPeerCertificates()[0];
        if (served.equals(renewed.certificate())) {
          break;
        }
        Thread.sleep(300);
      }
      assertThat(served).as("the renewed certificate, without a restart; output: %s", s.lines()).isEqualTo(renewed.certificate());
    }
  }

  @Test
  void aCertificateBoundTokenPassesOnlyWithItsClientCertificateOnTheTlsListener() throws Exception {
    Path dir = Files.createTempDirectory("tokenguard-mtls");
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    Path clientCa = dir.resolve("client-ca.crt");
    TestCertificates.Pair server = TestCertificates.selfSigned("gateway");
    server.write(cert, key);
    TestCertificates.Pair ca = TestCertificates.authority("clients");
    Files.writeString(clientCa, ca.certificatePem());
    TestCertificates.Pair client = TestCertificates.issue(ca, "client");
    TestCertificates.Pair other = TestCertificates.issue(ca, "other");
    try (JwksServer idp = new JwksServer().keys(TestKeys.RSA)) {
      GatewayProcess s = GatewayProcess.serve(processes, false, "--set", "issuer=" + idp.issuer(), "--set",
          "jwks-uri=" + idp.jwksUri(), "--set", "audience=orders", "--tls-cert", cert.toString(), "--tls-key", key.toString(),
          "--tls-client-ca", clientCa.toString());
      String bound = TestTokens.valid(idp.issuer(), "orders", Instant.now()).claim("cnf", java.util.Map.of("x5t#S256", client.thumbprint()))
          .sign("RS256", TestKeys.RSA);
      HttpRequest me = HttpRequest.newBuilder(URI.create(s.baseUrl() + "/api/me")).header("Authorization", "Bearer " + bound).build();
      HttpResponse<String> ok = withCertificate(client, server).send(me, HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      HttpResponse<String> otherCertificate = withCertificate(other, server).send(me, HttpResponse.BodyHandlers.ofString());
      assertThat(otherCertificate.statusCode()).isEqualTo(401);
      assertThat(otherCertificate.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("another client certificate");
      HttpResponse<String> none = client(server.certificate()).send(me, HttpResponse.BodyHandlers.ofString());
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("came without one");
    }
    assertThat(run("serve", "--port", "0", "--set", "issuer=https://idp.example.com/", "--tls-client-ca", clientCa.toString()))
        .contains("--tls-client-ca: needs the TLS listener");
  }

  /** A client presenting {@code own} and trusting the gateway's certificate. */
  private static HttpClient withCertificate(TestCertificates.Pair own, TestCertificates.Pair server) {
    return HttpClient.newBuilder().sslContext(TestCertificates.context(own, server.certificate())).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Test
  void tlsMistakesExit2NamingTheOption() throws Exception {
    Path dir = Files.createTempDirectory("tokenguard-tls");
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    TestCertificates.selfSigned("a").write(cert, key);
    Path otherKey = dir.resolve("other.key");
    TestCertificates.selfSigned("b").write(dir.resolve("other.crt"), otherKey);
    assertThat(run("serve", "--port", "0", "--set", "issuer=https://idp.example.com/", "--tls-cert", cert.toString()))
        .contains("--tls-key: is required with --tls-cert");
    assertThat(run("serve", "--port", "0", "--set", "issuer=https://idp.example.com/", "--tls-cert", cert.toString(),
        "--tls-key", otherKey.toString())).contains("--tls-key: is not the key of the certificate in " + cert);
    assertThat(run("serve", "--port", "0", "--set", "issuer=https://idp.example.com/", "--tls-cert", key.toString(),
        "--tls-key", key.toString())).contains("--tls-cert: cannot read " + key);
    assertThat(run("serve", "--port", "0", "--dev", "--tls-cert", cert.toString(), "--tls-key", key.toString()))
        .contains("--tls-cert: cannot be used with the development issuer");
  }

  /** Runs the jar, expecting exit status 2; its standard error. */
  private String run(String... args) throws Exception {
    Process p = new ProcessBuilder(GatewayProcess.java(args)).redirectErrorStream(true).start();
    processes.add(p);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isEqualTo(2);
    return out;
  }
}
