package dev.tokenguard.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real HTTP server on 127.0.0.1 standing in for a provider's user API and token endpoint: answers are
 * programmed per method and raw path (a queue; the last answer repeats), every request is recorded with its
 * method, raw path, headers and body so tests can assert exactly what TokenGuard sent.
 */
public final class ApiServer implements AutoCloseable {
  static {
    // the JDK's server writes the headers and the body of an answer separately; without TCP_NODELAY Nagle holds the
    // body until the client's delayed ACK (about 40 ms on Linux), so every call to a test server took 40 to 50 ms
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** A programmed answer. */
  public record Answer(int status, Map<String, String> headers, String body, long delayMillis) {
    public static Answer json(int status, String body) {
      return new Answer(status, Map.of("Content-Type", "application/json"), body, 0);
    }

    public Answer withHeader(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Answer(status, h, body, delayMillis);
    }

    public Answer delayed(long millis) {
      return new Answer(status, headers, body, millis);
    }
  }

  /** A recorded request. */
  public record Recorded(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** The body as form parameters. */
    public Map<String, String> form() {
      return parameters(body);
    }

    /** The query as parameters (decoded); empty without a query. */
    public Map<String, String> query() {
      return parameters(rawQuery == null ? "" : rawQuery);
    }

    private static Map<String, String> parameters(String encoded) {
      Map<String, String> out = new LinkedHashMap<>();
      for (String pair : encoded.split("&")) {
        if (pair.isEmpty()) continue;
        int eq = pair.indexOf('=');
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
      return out;
    }
  }

  private final HttpServer server;
  private final Map<String, List<Answer>> answers = new ConcurrentHashMap<>();
  private final Map<String, Function<Recorded, Answer>> dynamic = new ConcurrentHashMap<>();
  private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
  private volatile CountDownLatch gate;

  public ApiServer() {
    this(0);
  }

  /** A server on a given port (0: any free one). */
  public ApiServer(int port) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "api-server");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Programs the answers to {@code method rawPath}, in order; the last one repeats. */
  public ApiServer on(String method, String rawPath, Answer... sequence) {
    answers.put(method + " " + rawPath, new ArrayList<>(List.of(sequence)));
    return this;
  }

  /** Programs an answer computed from the request. */
  public ApiServer on(String method, String rawPath, Function<Recorded, Answer> answer) {
    dynamic.put(method + " " + rawPath, answer);
    return this;
  }

  /** Holds every request until the returned latch is released. */
  public CountDownLatch hold() {
    gate = new CountDownLatch(1);
    return gate;
  }

  public List<Recorded> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Requests to {@code method rawPath}. */
  public List<Recorded> requests(String method, String rawPath) {
    return requests().stream().filter(r -> r.method().equals(method) && r.rawPath().equals(rawPath)).toList();
  }

  public int count(String method, String rawPath) {
    return requests(method, rawPath).size();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Recorded r = new Recorded(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(),
          headers, body);
      requests.add(r);
      CountDownLatch g = gate;
      if (g != null) {
        try {
          g.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      String key = r.method() + " " + r.rawPath();
      Answer a;
      if (dynamic.containsKey(key)) {
        a = dynamic.get(key).apply(r);
      } else {
        List<Answer> queue = answers.get(key);
        if (queue == null) {
          a = Answer.json(404, "{\"error\":\"no route " + key.replace("\"", "") + "\"}");
        } else {
          synchronized (queue) {
            a = queue.size() > 1 ? queue.remove(0) : queue.get(0);
          }
        }
      }
      if (a.delayMillis() > 0) {
        try {
          Thread.sleep(a.delayMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
