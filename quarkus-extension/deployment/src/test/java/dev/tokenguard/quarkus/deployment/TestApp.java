package dev.tokenguard.quarkus.deployment;

import dev.tokenguard.it.TestIdentityProviders;
import dev.tokenguard.testing.JwksServer;
import java.net.InetAddress;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import io.quarkus.test.QuarkusUnitTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * For tests whose identity provider starts after Quarkus: QuarkusUnitTest loads the test class twice (once to
 * configure the application, once for the test instance), so a port is reserved once and shared through a
 * system property, and the server is started on the test instance's side.
 */
final class TestApp {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private TestApp() {}

  /** The port stored under {@code property}, reserving a free one the first time. */
  static synchronized int port(String property) {
    Integer known = Integer.getInteger(property);
    if (known != null && known != 0) {
      return known;
    }
    int port = JwksServer.freePort();
    System.setProperty(property, Integer.toString(port));
    return port;
  }

  /** The ports of {@link TestIdentityProviders}, reserved once per JVM (the catalogue and the route oracle share them). */
  static synchronized TestIdentityProviders.Ports ports() {
    String shared = System.getProperty("tokenguard.it.quarkus.ports");
    if (shared == null) {
      shared = TestIdentityProviders.Ports.reserve().format();
      System.setProperty("tokenguard.it.quarkus.ports", shared);
    }
    return TestIdentityProviders.Ports.parse(shared);
  }

  /** The host name mock-oauth2-server writes into issuer URLs for 127.0.0.1, found once by asking it. */
  static synchronized String oidcHost() {
    String host = System.getProperty("tokenguard.it.quarkus.oidc-host");
    if (host == null) {
      MockOAuth2Server probe = new MockOAuth2Server();
      try {
        probe.start(InetAddress.getByName("127.0.0.1"), 0);
        host = probe.baseUrl().host();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      } finally {
        probe.shutdown();
      }
      System.setProperty("tokenguard.it.quarkus.oidc-host", host);
    }
    return host;
  }

  /** The echo application guarded by TokenGuard for {@code issuer} (JWKS at {@code /jwks}, audience {@code orders}). */
  static QuarkusUnitTest echoApp(String issuer) {
    return new QuarkusUnitTest()
        .withApplicationRoot(jar -> jar.addClasses(EchoResource.class, EchoResource.Failures.class, TestApp.class))
        .overrideConfigKey("quarkus.http.test-port", "0")
        .overrideConfigKey("quarkus.tokenguard.issuer", issuer)
        .overrideConfigKey("quarkus.tokenguard.jwks-uri", issuer + "/jwks")
        .overrideConfigKey("quarkus.tokenguard.audience", "orders");
  }

  /** The base URL of the application under test. */
  static String base() {
    return "http://127.0.0.1:" + ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
  }

  /** GET {@code path} on the application under test, with a bearer token unless null. */
  static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
