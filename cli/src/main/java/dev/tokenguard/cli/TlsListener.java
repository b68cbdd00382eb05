package dev.tokenguard.cli;

import dev.tokenguard.Pem;
import dev.tokenguard.TokenGuardConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The gateway's TLS listener ({@code --tls-cert}, {@code --tls-key}: PEM files, a certificate chain leaf first and a
 * PKCS#8 key): HTTP/2 and HTTP/1.1 negotiated by ALPN. The files are read again when either changes (checked every
 * {@link #CHECK_SECONDS} seconds), as a certificate renewed by certbot or cert-manager is written in place; a pair that
 * cannot be read (a half-written renewal) leaves the current certificate in use and is tried again at the next change.
 * With {@code --tls-client-ca} the listener asks clients for a certificate issued by one of those CAs (and lets clients
 * without one in: a certificate is only needed for tokens bound to one, {@code cnf.x5t#S256}, RFC 8705).
 */
final class TlsListener {
  static final int CHECK_SECONDS = 2;
  private static final System.Logger LOG = System.getLogger(TlsListener.class.getName());
  private static final char[] PASSWORD = "tokenguard".toCharArray(); // an in-memory key store's, never written anywhere

  private final Path cert;
  private final Path key;
  private final SslContextFactory.Server ssl = new SslContextFactory.Server();
  private volatile String loaded;

  /**
   * Reads the pair.
   *
   * @throws TokenGuardConfigException naming {@code --tls-cert} or {@code --tls-key} when a file cannot be read
   */
  TlsListener(Path cert, Path key, Path clientCa) {
    this.cert = cert;
    this.key = key;
    ssl.setKeyStore(keyStore());
    ssl.setKeyStorePassword(new String(PASSWORD));
    if (clientCa != null) {
      ssl.setTrustStore(trustStore(clientCa));
      ssl.setWantClientAuth(true);
    }
    loaded = stamp();
  }

  /**
   * The listener of {@code --tls-cert} and {@code --tls-key}, or {@code null} when neither is given.
   *
   * @throws TokenGuardConfigException when only one is given or a file cannot be used
   */
  static TlsListener of(Path cert, Path key, Path clientCa) {
    if (cert == null && key == null) {
      if (clientCa != null) {
        throw new TokenGuardConfigException("--tls-client-ca", "needs the TLS listener: give --tls-cert and --tls-key too");
      }
      return null;
    }
    if (cert == null || key == null) {
      throw new TokenGuardConfigException(cert == null ? "--tls-cert" : "--tls-key", "is required with "
          + (cert == null ? "--tls-key" : "--tls-cert"));
    }
    return new TlsListener(cert, key, clientCa);
  }

  /** A connector for {@code server} speaking TLS with HTTP/2 and HTTP/1.1. */
  ServerConnector connector(Server server) {
    HttpConfiguration http = new HttpConfiguration();
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false); // clients reaching the gateway by IP address send no SNI host to check
    http.addCustomizer(secure);
    HttpConnectionFactory http1 = new HttpConnectionFactory(http);
    HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(http);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
    alpn.setDefaultProtocol(http1.getProtocol());
    return new ServerConnector(server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, http2, http1);
  }

  /** Starts watching the files; the returned executor stops it. */
  ScheduledExecutorService watch() {
    ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tokenguard-tls-reload");
      t.setDaemon(true);
      return t;
    });
    watcher.scheduleWithFixedDelay(this::reloadIfChanged, CHECK_SECONDS, CHECK_SECONDS, TimeUnit.SECONDS);
    return watcher;
  }

  private void reloadIfChanged() {
    String now = stamp();
    if (Objects.equals(now, loaded)) {
      return;
    }
    try {
      KeyStore ks = keyStore();
      ssl.reload(f -> f.setKeyStore(ks));
      loaded = now;
      LOG.log(System.Logger.Level.INFO, "TLS certificate reloaded from {0}", cert);
    } catch (Exception e) { // keep serving the current certificate; a renewal being written is read at its next change
      LOG.log(System.Logger.Level.WARNING, "TLS certificate in {0} and {1} not reloaded: {2}", cert, key, e.getMessage());
    }
  }

  /** Whether {@code privateKey} signs what the certificate's public key verifies. */
  private static boolean matches(java.security.PrivateKey privateKey, X509Certificate certificate) {
    String algorithm = privateKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    try {
      byte[] probe = "tokenguard".getBytes(StandardCharsets.US_ASCII);
      java.security.Signature signer = java.security.Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  /** The files' sizes and modification times: what changes when they are rewritten. */
  private String stamp() {
    try {
      return Files.size(cert) + "@" + Files.getLastModifiedTime(cert) + "/" + Files.size(key) + "@" + Files.getLastModifiedTime(key);
    } catch (IOException e) {
      return null;
    }
  }

  /** The CA certificates of {@code --tls-client-ca}, as trust anchors for client certificates. */
  private static KeyStore trustStore(Path file) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      int i = 0;
      for (X509Certificate ca : Pem.certificates(Files.readString(file, StandardCharsets.US_ASCII))) {
        ks.setCertificateEntry("client-ca-" + i++, ca);
      }
      return ks;
    } catch (IOException | IllegalArgumentException | java.security.GeneralSecurityException e) {
      throw new TokenGuardConfigException("--tls-client-ca", "cannot read " + file + ": " + e.getMessage());
    }
  }

  private KeyStore keyStore() {
    List<X509Certificate> chain;
    java.security.PrivateKey privateKey;
    try {
      chain = Pem.certificates(Files.readString(cert, StandardCharsets.US_ASCII));
    } catch (IOException | IllegalArgumentException e) {
      throw new TokenGuardConfigException("--tls-cert", "cannot read " + cert + ": " + e.getMessage());
    }
    try {
      privateKey = Pem.privateKey(Files.readString(key, StandardCharsets.US_ASCII));
    } catch (IOException | IllegalArgumentException e) {
      throw new TokenGuardConfigException("--tls-key", "cannot read " + key + ": " + e.getMessage());
    }
    if (!matches(privateKey, chain.get(0))) {
      throw new TokenGuardConfigException("--tls-key", "is not the key of the certificate in " + cert);
    }
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("tokenguard", privateKey, PASSWORD, chain.toArray(X509Certificate[]::new));
      return ks;
    } catch (java.security.GeneralSecurityException | IOException e) {
      throw new TokenGuardConfigException("--tls-key", "does not go with the certificate in " + cert + ": " + e.getMessage());
    }
  }
}
