package dev.tokenguard.it;

import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A Jetty 12 (ee10) server on 127.0.0.1 and a free port, deploying one webapp directory (its WEB-INF/web.xml). */
public final class EmbeddedJetty {
  private EmbeddedJetty() {}

  /** A server for {@code webapp} at {@code contextPath} ({@code "/"} for the root), not started yet. */
  public static Server webapp(Path webapp, String contextPath) {
    return webapp(webapp, contextPath, new HttpConfiguration());
  }

  /** The same, with this HTTP configuration (a larger request header, say). */
  public static Server webapp(Path webapp, String contextPath, HttpConfiguration http) {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    WebAppContext context = new WebAppContext();
    context.setContextPath(contextPath);
    context.setBaseResourceAsPath(webapp);
    context.setParentLoaderPriority(true);
    context.setThrowUnavailableOnStartupException(true);
    server.setHandler(context);
    return server;
  }

  /**
   * A server for {@code webapp} at {@code contextPath} listening with TLS only: {@code own} is its certificate, and it
   * asks clients for one issued by {@code clientCa} (wanted, not needed), which the container hands to the application
   * as the {@code jakarta.servlet.request.X509Certificate} attribute.
   */
  public static Server tlsWebapp(Path webapp, String contextPath, java.security.KeyStore own, char[] password,
      java.security.KeyStore clientCa) {
    Server server = webapp(webapp, contextPath);
    server.removeConnector(server.getConnectors()[0]);
    org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
    ssl.setKeyStore(own);
    ssl.setKeyStorePassword(new String(password));
    ssl.setTrustStore(clientCa);
    ssl.setWantClientAuth(true);
    HttpConfiguration http = new HttpConfiguration();
    org.eclipse.jetty.server.SecureRequestCustomizer secure = new org.eclipse.jetty.server.SecureRequestCustomizer();
    secure.setSniHostCheck(false);
    http.addCustomizer(secure);
    ServerConnector connector = new ServerConnector(server, new org.eclipse.jetty.server.SslConnectionFactory(ssl, "http/1.1"),
        new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    return server;
  }

  /** The port of a started server. */
  public static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }
}
