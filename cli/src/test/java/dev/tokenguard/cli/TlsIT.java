package dev.tokenguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
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

  /** A self-signed EC certificate for 127.0.0.1 and localhost, and its key. */
  record Pair(X509Certificate certificate, KeyPair keys) {
    static Pair generate(String cn) throws Exception {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(256);
      KeyPair keys = g.generateKeyPair();
      Instant now = Instant.now();
      X500Name name = new X500Name("CN=" + cn);
      JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
          Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
      X509Certificate c = new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
      return new Pair(c, keys);
    }

    void write(Path cert, Path key) throws Exception {
      Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
      // written beside and moved in place, as certbot and cert-manager renew
      Path c = Files.writeString(cert.resolveSibling(cert.getFileName() + ".new"), "-----BEGIN CERTIFICATE-----\n"
          + pem.encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n");
      Path k = Files.writeString(key.resolveSibling(key.getFileName() + ".new"), "-----BEGIN PRIVATE KEY-----\n"
          + pem.encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
      Files.move(k, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      Files.move(c, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** A client trusting {@code certificates}, on a new connection each time it is made. */
  private static HttpClient client(X509Certificate... certificates) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (int i = 0; i < certificates.length; i++) {
      trust.setCertificateEntry("c" + i, certificates[i]);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Test
  void servesHttp2OverTlsAndPicksUpARenewedCertificateWithoutARestart() throws Exception {
    Path dir = Files.createTempDirectory("tokenguard-tls");
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    Pair first = Pair.generate("first");
    Pair renewed = Pair.generate("renewed");
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
  void tlsMistakesExit2NamingTheOption() throws Exception {
    Path dir = Files.createTempDirectory("tokenguard-tls");
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    Pair.generate("a").write(cert, key);
    Path otherKey = dir.resolve("other.key");
    Pair.generate("b").write(dir.resolve("other.crt"), otherKey);
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
