package dev.tokenguard;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * PEM text as keys and certificates: a private key in PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}, RSA or EC) and a
 * certificate chain ({@code -----BEGIN CERTIFICATE-----}, leaf first). What {@code introspection.private-key} and the
 * CLI's TLS listener read.
 */
public final class Pem {
  private Pem() {}

  /**
   * The private key in {@code pem}.
   *
   * @throws IllegalArgumentException saying what is wrong (a PKCS#1 or SEC1 key says how to convert it)
   */
  public static PrivateKey privateKey(String pem) {
    if (pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY")) {
      throw new IllegalArgumentException("expected a PKCS#8 key (BEGIN PRIVATE KEY); convert it with openssl pkcs8 -topk8 -nocrypt");
    }
    String body = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("expected a PEM private key (-----BEGIN PRIVATE KEY-----)");
    }
    for (String algorithm : List.of("RSA", "EC")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException notThisOne) {
        // try the next
      }
    }
    throw new IllegalArgumentException("expected an RSA or EC private key in PKCS#8 PEM");
  }

  /**
   * The certificates in {@code pem}, in order.
   *
   * @throws IllegalArgumentException when there is none or one cannot be read
   */
  public static List<X509Certificate> certificates(String pem) {
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (var c : factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        out.add((X509Certificate) c);
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException("expected PEM certificates (-----BEGIN CERTIFICATE-----): " + e.getMessage());
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("expected PEM certificates (-----BEGIN CERTIFICATE-----), but found none");
    }
    return out;
  }

  /**
   * The client certificate a TLS-terminating proxy passed in a header: PEM, URL-encoded (nginx
   * {@code $ssl_client_escaped_cert}) or not, or the certificate's DER in base64 (Caddy
   * {@code {http.request.tls.client.certificate_der_base64}}). The first certificate is the client's.
   *
   * @throws IllegalArgumentException when the value is none of these
   */
  public static X509Certificate forwardedCertificate(String headerValue) {
    String v = headerValue.strip();
    if (v.startsWith("-----BEGIN") || v.regionMatches(true, 0, "%2D%2D%2D%2D%2DBEGIN", 0, 20)) {
      String pem = v.indexOf('%') >= 0 ? java.net.URLDecoder.decode(v.replace("+", "%2B"), StandardCharsets.US_ASCII) : v;
      // a proxy that cannot put line breaks in a header may send them as spaces or tabs
      String body = pem.replace("-----BEGIN CERTIFICATE-----", "").replace("-----END CERTIFICATE-----", "");
      if (body.contains("-----")) {
        return certificates(pem).get(0); // a chain: the factory reads the first
      }
      return der(body.replaceAll("\\s", ""));
    }
    return der(v);
  }

  private static X509Certificate der(String base64) {
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("expected a PEM certificate or base64 DER");
    }
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | ClassCastException e) {
      throw new IllegalArgumentException("expected an X.509 certificate: " + e.getMessage());
    }
  }
}
