package dev.tokenguard.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 serving an issuer's discovery document and JWKS, with a fetch counter per
 * path and switchable faults. The issuer is {@code http://127.0.0.1:<port>}.
 */
public final class JwksServer implements AutoCloseable {
  static {
    // the JDK's server writes the headers and the body of an answer separately; without TCP_NODELAY Nagle holds the
    // body until the client's delayed ACK (about 40 ms on Linux), so every call to a test server took 40 to 50 ms
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** What the JWKS endpoint does. */
  public enum Mode { OK, ERROR_500, HTML, SLOW, HUGE, REDIRECT_OTHER_HOST, REDIRECT_SAME_HOST, DOWN }

  private final HttpServer server;
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private volatile String jwks = "{\"keys\":[]}";
  private volatile Mode mode = Mode.OK;
  private volatile boolean discoveryEnabled = true;
  private volatile String discoveryIssuer;
  private volatile long slowMillis = 3000;
  private volatile long hugeBytes = 64L * 64 * 1024;
  private volatile java.util.concurrent.CountDownLatch gate;
  private final java.util.concurrent.CountDownLatch gateReached = new java.util.concurrent.CountDownLatch(1);

  public JwksServer() {
    this(0);
  }

  /** A server on a given port (0: any free one), for a test that configured its issuer before starting it. */
  public JwksServer(int port) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "jwks-server");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
    discoveryIssuer = issuer();
  }

  /** A free port on 127.0.0.1 now (for a server started later). */
  public static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String issuer() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public String jwksUri() {
    return issuer() + "/jwks";
  }

  public JwksServer keys(TestKeys.TestKey... keys) {
    this.jwks = TestKeys.jwks(keys);
    return this;
  }

  public JwksServer body(String json) {
    this.jwks = json;
    return this;
  }

  public JwksServer mode(Mode m) {
    this.mode = m;
    return this;
  }

  public JwksServer slowMillis(long ms) {
    this.slowMillis = ms;
    return this;
  }

  /** How many bytes of white space {@link Mode#HUGE} sends inside its key array (default 4 MiB). */
  public JwksServer hugeBytes(long bytes) {
    this.hugeBytes = bytes;
    return this;
  }

  public JwksServer discovery(boolean enabled) {
    this.discoveryEnabled = enabled;
    return this;
  }

  public JwksServer discoveryIssuer(String iss) {
    this.discoveryIssuer = iss;
    return this;
  }

  /** How many requests reached {@code path}. */
  public int hits(String path) {
    AtomicInteger n = hits.get(path);
    return n == null ? 0 : n.get();
  }

  public int jwksHits() {
    return hits("/jwks") + hits("/moved-jwks");
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    try (ex) {
      switch (path) {
        case "/.well-known/openid-configuration" -> {
          if (!discoveryEnabled) {
            send(ex, 404, "text/plain", "not found");
          } else {
            send(ex, 200, "application/json", "{\"issuer\":\"" + discoveryIssuer + "\",\"jwks_uri\":\"" + jwksUri() + "\"}");
          }
        }
        case "/.well-known/oauth-authorization-server" ->
            send(ex, 200, "application/json", "{\"issuer\":\"" + discoveryIssuer + "\",\"jwks_uri\":\"" + jwksUri() + "\"}");
        case "/jwks" -> serveJwks(ex);
        case "/moved-jwks" -> send(ex, 200, "application/json", jwks);
        default -> send(ex, 404, "text/plain", "not found");
      }
    }
  }

  /** Makes the next JWKS requests wait until the returned latch is counted down. */
  public java.util.concurrent.CountDownLatch hold() {
    gate = new java.util.concurrent.CountDownLatch(1);
    return gate;
  }

  /** Waits until a request is held by {@link #hold()}. */
  public void awaitHeld() throws InterruptedException {
    if (!gateReached.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
      throw new AssertionError("no JWKS request arrived");
    }
  }

  private void serveJwks(HttpExchange ex) throws IOException {
    java.util.concurrent.CountDownLatch g = gate;
    if (g != null) {
      gateReached.countDown();
      try {
        g.await(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    switch (mode) {
      case OK -> send(ex, 200, "application/json", jwks);
      case ERROR_500 -> send(ex, 500, "application/json", "{\"error\":\"boom\"}");
      case HTML -> send(ex, 200, "text/html", "<html><body>Login</body></html>");
      case SLOW -> {
        try {
          Thread.sleep(slowMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        send(ex, 200, "application/json", jwks);
      }
      case HUGE -> {
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
          byte[] chunk = new byte[64 * 1024];
          java.util.Arrays.fill(chunk, (byte) ' ');
          out.write("{\"keys\":[".getBytes(StandardCharsets.US_ASCII));
          for (long left = hugeBytes; left > 0; left -= chunk.length) {
            out.write(chunk, 0, (int) Math.min(chunk.length, left));
          }
          out.write("]}".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException ignored) {
          // the client hung up, as it should
        }
      }
      case REDIRECT_OTHER_HOST -> {
        ex.getResponseHeaders().add("Location", "http://localhost:" + server.getAddress().getPort() + "/moved-jwks");
        ex.sendResponseHeaders(302, -1);
      }
      case REDIRECT_SAME_HOST -> {
        ex.getResponseHeaders().add("Location", "/moved-jwks");
        ex.sendResponseHeaders(302, -1);
      }
      case DOWN -> send(ex, 503, "text/plain", "down");
    }
  }

  private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
