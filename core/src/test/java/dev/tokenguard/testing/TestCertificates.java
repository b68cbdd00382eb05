package dev.tokenguard.testing;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * EC certificates for tests, made with BouncyCastle (not with the library under test): self-signed ones, a test CA and
 * the client or server certificates it issues, as PEM, as {@link SSLContext}s, and with their RFC 8705
 * {@code x5t#S256} thumbprint.
 */
public final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private TestCertificates() {}

  /** A certificate and its key pair. */
  public record Pair(X509Certificate certificate, KeyPair keys) {
    /** The certificate in PEM. */
    public String certificatePem() {
      return pem("CERTIFICATE", encoded());
    }

    /** The private key in PKCS#8 PEM. */
    public String keyPem() {
      return pem("PRIVATE KEY", keys.getPrivate().getEncoded());
    }

    /** {@code x5t#S256}: base64url of the SHA-256 of the certificate's DER (RFC 8705 §3.1). */
    public String thumbprint() {
      try {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(encoded()));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Writes the certificate and key beside each other, each moved into place whole (as certbot and cert-manager renew). */
    public void write(Path cert, Path key) throws java.io.IOException {
      Path c = Files.writeString(cert.resolveSibling(cert.getFileName() + ".new"), certificatePem());
      Path k = Files.writeString(key.resolveSibling(key.getFileName() + ".new"), keyPem());
      Files.move(k, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      Files.move(c, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private byte[] encoded() {
      try {
        return certificate.getEncoded();
      } catch (java.security.cert.CertificateEncodingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A self-signed server certificate for 127.0.0.1 and localhost. */
  public static Pair selfSigned(String cn) {
    KeyPair keys = keyPair();
    return new Pair(build(cn, keys, cn, keys, false, true), keys);
  }

  /** A CA certificate, to issue others with {@link #issue}. */
  public static Pair authority(String cn) {
    KeyPair keys = keyPair();
    return new Pair(build(cn, keys, cn, keys, true, false), keys);
  }

  /** A certificate for {@code cn} issued by {@code ca}, valid for 127.0.0.1 and localhost too (client or server). */
  public static Pair issue(Pair ca, String cn) {
    KeyPair keys = keyPair();
    return new Pair(build(cn, keys, principal(ca), ca.keys(), false, true), keys);
  }

  /**
   * A TLS context that trusts {@code trusted} and, when {@code own} is not {@code null}, presents it as its certificate.
   */
  public static SSLContext context(Pair own, X509Certificate... trusted) {
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trustStore(trusted));
      KeyManagerFactory kmf = null;
      if (own != null) {
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore(own), PASSWORD);
      }
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ssl;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The password of every key store made here. */
  public static final char[] PASSWORD = "test".toCharArray();

  /** A key store holding {@code own}'s key and certificate (password {@link #PASSWORD}). */
  public static KeyStore keyStore(Pair own) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("own", own.keys().getPrivate(), PASSWORD, new X509Certificate[] {own.certificate()});
      return ks;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A key store trusting {@code certificates}. */
  public static KeyStore trustStore(X509Certificate... certificates) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      for (int i = 0; i < certificates.length; i++) {
        trust.setCertificateEntry("t" + i, certificates[i]);
      }
      return trust;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String principal(Pair ca) {
    return ca.certificate().getSubjectX500Principal().getName().replaceFirst("^CN=", "");
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(256);
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate build(String cn, KeyPair keys, String issuerCn, KeyPair issuerKeys, boolean ca, boolean names) {
    try {
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuerCn),
          BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))),
          new X500Name("CN=" + cn), keys.getPublic());
      if (ca) {
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      }
      if (names) {
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
      }
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    Base64.Encoder b = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    return "-----BEGIN " + type + "-----\n" + b.encodeToString(der) + "\n-----END " + type + "-----\n";
  }
}
