package dev.tokenguard.devissuer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A {@link DevIssuer} on its own loopback HTTP server (the JDK's), at {@code http://127.0.0.1:<port>}: what the Quarkus
 * extension's Dev Services start when no issuer is configured in dev and test mode. It binds 127.0.0.1 only.
 */
public final class DevIssuerServer implements AutoCloseable {
  private final HttpServer server;
  private final DevIssuer issuer;

  private DevIssuerServer(HttpServer server) {
    this.server = server;
    this.issuer = new DevIssuer("http://127.0.0.1:" + server.getAddress().getPort());
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Starts an issuer on 127.0.0.1.
   *
   * @param port the port, or 0 for a free one
   */
  public static DevIssuerServer start(int port) {
    try {
      return new DevIssuerServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + " for the dev issuer", e);
    }
  }

  /** The issuer this server answers for. */
  public DevIssuer issuer() {
    return issuer;
  }

  /** Its URL, {@code http://127.0.0.1:<port>}: the {@code issuer} to configure. */
  public String url() {
    return issuer.issuer();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      DevIssuer.Answer answer = issuer.answer(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
          in.readNBytes(DevIssuer.MAX_BODY));
      byte[] body = answer.json().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
