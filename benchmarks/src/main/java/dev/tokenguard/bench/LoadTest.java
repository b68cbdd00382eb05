package dev.tokenguard.bench;

import com.sun.net.httpserver.HttpServer;
import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.http.IdentityHeaders;
import dev.tokenguard.servlet.ForwardAuthServlet;
import dev.tokenguard.servlet.TokenGuardFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authorization.AuthenticatedAuthorizationManager;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

/**
 * End to end over HTTP on loopback: one real Jetty serving the same tiny endpoint three ways, {@code /open/} (no
 * authentication), {@code /tokenguard/} (the TokenGuard servlet filter) and {@code /spring/} (Spring Security's
 * resource-server filters: security context, bearer token authentication with {@code NimbusJwtDecoder} on the JWKS
 * URL, exception translation, authorization "authenticated"), all checking the same RS256 token against the same
 * JWKS endpoint with the same checks (signature, iss, aud, exp). A closed-loop generator in this process keeps a fixed
 * number of keep-alive connections busy and records every latency; after one untimed pass of each, the scenarios take
 * turns of one second within each round ({@link #interleaved}), and the median round is reported, with ratios to no
 * authentication.
 *
 * <p>Then the unknown-kid flood: half the connections send valid tokens while the other half send tokens with a
 * fresh random {@code kid} each; the valid half's p99 is compared with seconds (taken in turns with the flood's) where
 * the other half also sends valid tokens (same load, same number of connections), and the JWKS fetches during the flood are counted against
 * {@code jwks.min-refetch-interval}.
 *
 * <p>Run (after {@code mvn -B -q install -DskipTests}):
 * {@code java -cp benchmarks/target/benchmarks.jar dev.tokenguard.bench.LoadTest [--seconds 10] [--warmup 3] [--connections 8] [--rounds 5] [--refetch-interval 5] [--virtual-threads 1] [--servlet-only 1]}
 */
public final class LoadTest {
  private static final byte[] HELLO = "hello\n".getBytes(StandardCharsets.US_ASCII);

  private LoadTest() {}

  public static void main(String[] args) throws Exception {
    Map<String, Integer> o = options(args, Map.of("seconds", 10, "warmup", 3, "connections", 8, "rounds", 5, "refetch-interval", 5,
        "virtual-threads", 0, "servlet-only", 0));
    int seconds = o.get("seconds");
    int warmup = o.get("warmup");
    int connections = o.get("connections");
    int rounds = o.get("rounds");
    int refetchSeconds = o.get("refetch-interval");

    ValidationBenchmark keys = new ValidationBenchmark();
    keys.alg = "RS256";
    keys.generateKeys();
    String valid = keys.sign(ValidationBenchmark.claims(Instant.now()));
    String[] parts = valid.split("\\.");

    AtomicInteger jwksFetches = new AtomicInteger();
    HttpServer jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] jwksBody = keys.jwks().getBytes(StandardCharsets.UTF_8);
    jwks.createContext("/jwks", ex -> {
      jwksFetches.incrementAndGet();
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, jwksBody.length);
      ex.getResponseBody().write(jwksBody);
      ex.close();
    });
    jwks.start();
    String jwksUri = "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks";

    TokenGuardConfig config = TokenGuardConfig.builder().issuer(ValidationBenchmark.ISSUER).jwksUri(jwksUri)
        .audience(ValidationBenchmark.AUDIENCE).jwksMinRefetchInterval(Duration.ofSeconds(refetchSeconds)).build();
    // --virtual-threads 1 (JDK 21+): Jetty runs each request on a virtual thread, as Jetty users with a
    // virtual-thread executor do; TokenGuard's pools (verifiers, digests) keep nothing per thread.
    org.eclipse.jetty.util.thread.QueuedThreadPool threads = new org.eclipse.jetty.util.thread.QueuedThreadPool();
    if (o.get("virtual-threads") == 1) {
      java.util.concurrent.Executor virtual = org.eclipse.jetty.util.VirtualThreads.getNamedVirtualThreadsExecutor("request");
      if (virtual == null) {
        throw new IllegalStateException("--virtual-threads needs JDK 21 or later; this is " + Runtime.version());
      }
      threads.setVirtualThreadsExecutor(virtual);
    }
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new Hello()), "/*");
    context.addFilter(new FilterHolder(new TokenGuardFilter(config)), "/tokenguard/*", EnumSet.of(DispatcherType.REQUEST));
    context.addFilter(new FilterHolder(springSecurity(jwksUri)), "/spring/*", EnumSet.of(DispatcherType.REQUEST));
    TokenGuard forwardGuard = TokenGuard.create(config);
    context.addServlet(new ServletHolder(new ForwardAuthServlet(forwardGuard, IdentityHeaders.TOKENGUARD)),
        "/_tokenguard/auth");
    context.addServlet(new ServletHolder(new AllowAll()), "/_allow/auth");
    server.setHandler(context);
    server.start();
    int port = connector.getLocalPort();
    try {
      System.out.printf(Locale.ROOT, "JDK %s, %d cores; %d connections; rounds of %d one-second turns per scenario (nginx, WebFlux:"
          + " %d s runs after %d s warm-up), %d rounds%s%n",
          Runtime.version(), Runtime.getRuntime().availableProcessors(), connections, seconds, seconds, warmup, rounds,
          o.get("virtual-threads") == 1 ? "; requests on virtual threads" : "");
      Map<String, String> paths = new LinkedHashMap<>();
      paths.put("no authentication", "/open/hello");
      paths.put("TokenGuard filter", "/tokenguard/hello");
      paths.put("Spring Security resource server", "/spring/hello");
      Map<String, List<Stats>> byScenario = new LinkedHashMap<>();
      // a first pass of every scenario, not counted: the JIT compiles each one's code before any round is timed (else
      // the first round's scenarios ran partly interpreted, and its ratios were the outliers)
      for (String path : paths.values()) {
        run(port, warmup, seconds, new Group(path, () -> valid, connections, 200));
      }
      List<Group[]> scenarios = paths.values().stream().map(p -> new Group[] {new Group(p, () -> valid, connections, 200)}).toList();
      for (int r = 0; r < rounds; r++) {
        List<List<Stats>> round = interleaved(port, seconds, scenarios);
        int i = 0;
        for (String name : paths.keySet()) {
          byScenario.computeIfAbsent(name, k -> new ArrayList<>()).add(round.get(i++).get(0));
        }
      }
      System.out.printf(Locale.ROOT, "%n%-34s %10s %9s %9s %8s %8s%n", "scenario (valid repeated token)", "req/s", "p50 µs",
          "p99 µs", "errors", "ratio");
      // the ratio column: the median of each round's ratio to the no-authentication turns of the same round (the median
      // rounds of two scenarios can be different rounds); then every round's ratio and the spread
      List<Stats> opens = byScenario.get("no authentication");
      Map<String, List<Double>> ratios = new LinkedHashMap<>();
      for (Map.Entry<String, List<Stats>> e : byScenario.entrySet()) {
        List<Double> each = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
          each.add(e.getValue().get(r).rps() / opens.get(r).rps());
        }
        ratios.put(e.getKey(), each);
        Stats m = median(e.getValue());
        System.out.printf(Locale.ROOT, "%-34s %10.0f %9d %9d %8d %8.3f%n", e.getKey(), m.rps(), m.p50Micros(), m.p99Micros(),
            m.errors(), each.stream().sorted().toList().get(rounds / 2));
      }
      for (Map.Entry<String, List<Double>> e : ratios.entrySet()) {
        if (e.getKey().equals("no authentication")) {
          continue;
        }
        List<Double> sorted = e.getValue().stream().sorted().toList();
        System.out.printf(Locale.ROOT, "%-34s ratio per round %s: median %.3f, spread %.3f..%.3f%n", e.getKey(),
            e.getValue().stream().map(x -> String.format(Locale.ROOT, "%.3f", x)).toList(), sorted.get(rounds / 2), sorted.get(0),
            sorted.get(rounds - 1));
      }

      if (o.get("servlet-only") == 0) { // --servlet-only 1: the Jetty scenarios and the flood, for a quicker look
        forwardAuthThroughNginx(port, warmup, seconds, rounds, connections, valid);
        WebFluxLoad.run(jwksUri, config, warmup, seconds, rounds, connections, valid);
      }

      int half = Math.max(1, connections / 2);
      Supplier<String> unknownKid = () -> ValidationBenchmark.b64(("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\""
          + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + "." + parts[2];
      List<Stats> quiet = new ArrayList<>();
      List<Stats> flooded = new ArrayList<>();
      List<Stats> flood = new ArrayList<>();
      run(port, warmup, seconds, new Group("/tokenguard/hello", () -> valid, half, 200), // the flood's first pass, not counted
          new Group("/tokenguard/hello", unknownKid, half, 401));
      int fetchesBefore = jwksFetches.get();
      long floodMillis = 0;
      List<Group[]> withAndWithout = List.of(
          new Group[] {new Group("/tokenguard/hello", () -> valid, half, 200), new Group("/tokenguard/hello", () -> valid, half, 200)},
          new Group[] {new Group("/tokenguard/hello", () -> valid, half, 200), new Group("/tokenguard/hello", unknownKid, half, 401)});
      for (int r = 0; r < rounds; r++) {
        long start = System.nanoTime();
        List<List<Stats>> round = interleaved(port, seconds, withAndWithout);
        floodMillis += (System.nanoTime() - start) / 1_000_000; // the flood runs every other second of this time
        quiet.add(round.get(0).get(0));
        flooded.add(round.get(1).get(0));
        flood.add(round.get(1).get(1));
      }
      int fetches = jwksFetches.get() - fetchesBefore;
      long allowed = floodMillis / (refetchSeconds * 1000L) + rounds;
      Stats q = median(quiet);
      Stats f = median(flooded);
      Stats junk = median(flood);
      System.out.printf(Locale.ROOT, "%nunknown-kid flood (TokenGuard, %d + %d connections)%n", half, half);
      System.out.printf(Locale.ROOT, "%-34s %10.0f %9d %9d %8d%n", "valid, beside valid traffic", q.rps(), q.p50Micros(),
          q.p99Micros(), q.errors());
      System.out.printf(Locale.ROOT, "%-34s %10.0f %9d %9d %8d%n", "valid, beside the flood", f.rps(), f.p50Micros(),
          f.p99Micros(), f.errors());
      System.out.printf(Locale.ROOT, "%-34s %10.0f %9d %9d %8d  (all answered 401 = expected)%n", "unknown kid (flood)",
          junk.rps(), junk.p50Micros(), junk.p99Micros(), junk.errors());
      System.out.printf(Locale.ROOT, "valid p99 under flood / without: %.3f; JWKS fetches during %d s of rounds with the flood: %d "
          + "(at most %d allowed: one per %d s interval)%n", (double) f.p99Micros() / q.p99Micros(), floodMillis / 1000,
          fetches, allowed, refetchSeconds);
      List<Double> perRound = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        perRound.add((double) flooded.get(r).p99Micros() / quiet.get(r).p99Micros());
      }
      System.out.printf(Locale.ROOT, "valid p99 under flood / without, each round: %s; within 10%%: %d of %d rounds%n",
          perRound.stream().map(x -> String.format(Locale.ROOT, "%.3f", x)).toList(), perRound.stream().filter(x -> x <= 1.10).count(),
          rounds);
    } finally {
      server.stop();
      forwardGuard.close();
      jwks.stop(0);
    }
  }

  /**
   * Forward authentication as deployed: Debian's nginx in front of the same endpoint three times, plain
   * ({@code proxy_pass}), with {@code auth_request} to a servlet that allows everything (the cost of the subrequest
   * itself), and with {@code auth_request} to the {@code ForwardAuthServlet} on the same Jetty (the README's nginx
   * file: a subrequest per request, without upstream keep-alive), in interleaved rounds. Skipped when nginx is not
   * installed.
   */
  static void forwardAuthThroughNginx(int jettyPort, int warmup, int seconds, int rounds, int connections, String token)
      throws Exception {
    Path binary = Path.of("/usr/sbin/nginx");
    if (!Files.isExecutable(binary)) {
      System.out.println("\nforward authentication through nginx: skipped (no /usr/sbin/nginx; apt-get install nginx-light)");
      return;
    }
    Map<String, String> authPaths = new LinkedHashMap<>();
    authPaths.put("nginx, no authentication", null);
    authPaths.put("nginx auth_request -> allow-all", "/_allow/auth");
    authPaths.put("nginx auth_request -> TokenGuard", "/_tokenguard/auth");
    Path dir = Files.createTempDirectory("loadtest-nginx");
    String app = "127.0.0.1:" + jettyPort;
    StringBuilder conf = new StringBuilder("daemon off;\nworker_processes auto;\npid " + dir + "/nginx.pid;\nerror_log "
        + dir + "/error.log warn;\nevents { worker_connections 1024; }\nhttp {\n access_log off;\n"
        + " client_body_temp_path " + dir + "/body;\n proxy_temp_path " + dir + "/proxy;\n fastcgi_temp_path " + dir
        + "/f;\n uwsgi_temp_path " + dir + "/u;\n scgi_temp_path " + dir + "/s;\n");
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : authPaths.entrySet()) {
      int port;
      try (ServerSocket free = new ServerSocket(0)) {
        port = free.getLocalPort();
      }
      ports.put(e.getKey(), port);
      conf.append(" server { listen 127.0.0.1:").append(port).append(";\n");
      if (e.getValue() == null) {
        conf.append("  location / { proxy_pass http://").append(app).append("/open/; }\n }\n");
        continue;
      }
      conf.append("  location = ").append(e.getValue()).append(" { internal; proxy_pass http://").append(app)
          .append("; proxy_pass_request_body off; proxy_set_header Content-Length \"\";")
          .append(" proxy_set_header X-Original-Method $request_method; proxy_set_header X-Original-URI $request_uri; }\n")
          .append("  location / { auth_request ").append(e.getValue())
          .append("; auth_request_set $tg_subject $upstream_http_x_auth_subject;")
          .append(" proxy_set_header X-Auth-Subject $tg_subject; proxy_pass http://").append(app).append("/open/; }\n }\n");
    }
    conf.append("}\n");
    Files.writeString(dir.resolve("nginx.conf"), conf);
    Process nginx = new ProcessBuilder(binary.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
    try {
      for (int port : ports.values()) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!listening(port)) {
          if (System.nanoTime() > deadline || !nginx.isAlive()) {
            throw new IllegalStateException("nginx did not start: " + Files.readString(dir.resolve("out.log")));
          }
          Thread.sleep(50);
        }
      }
      Map<String, List<Stats>> byScenario = new LinkedHashMap<>();
      for (int r = 0; r < rounds; r++) {
        for (Map.Entry<String, Integer> p : ports.entrySet()) {
          byScenario.computeIfAbsent(p.getKey(), k -> new ArrayList<>())
              .add(run(p.getValue(), warmup, seconds, new Group("/hello", () -> token, connections, 200)).get(0));
        }
      }
      System.out.printf(Locale.ROOT, "%nforward authentication through nginx (%d connections)%n", connections);
      double plain = median(byScenario.get("nginx, no authentication")).rps();
      for (Map.Entry<String, List<Stats>> e : byScenario.entrySet()) {
        Stats m = median(e.getValue());
        System.out.printf(Locale.ROOT, "%-34s %10.0f %9d %9d %8d %8.3f%n", e.getKey(), m.rps(), m.p50Micros(),
            m.p99Micros(), m.errors(), m.rps() / plain);
      }
      double allowAll = median(byScenario.get("nginx auth_request -> allow-all")).rps();
      System.out.printf(Locale.ROOT, "TokenGuard / allow-all behind auth_request: %.3f%n",
          median(byScenario.get("nginx auth_request -> TokenGuard")).rps() / allowAll);
    } finally {
      nginx.destroy();
      nginx.waitFor();
    }
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A forward-auth endpoint that allows every request: what the subrequest costs without any check. */
  static final class AllowAll extends HttpServlet {
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) {
      resp.setStatus(200);
      resp.setContentLength(0);
    }
  }

  /** The endpoint: a few bytes of text. */
  static final class Hello extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain");
      resp.setContentLength(HELLO.length);
      resp.getOutputStream().write(HELLO);
    }
  }

  /** Spring Security's resource-server request path, as Spring Boot configures it for a bearer-only API. */
  static Filter springSecurity(String jwksUri) throws Exception {
    NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwksUri).build();
    decoder.setJwtValidator(ValidationBenchmark.springValidator());
    FilterChainProxy proxy = new FilterChainProxy(new DefaultSecurityFilterChain(AnyRequestMatcher.INSTANCE,
        new SecurityContextHolderFilter(new RequestAttributeSecurityContextRepository()),
        new BearerTokenAuthenticationFilter(new ProviderManager(new JwtAuthenticationProvider(decoder))),
        new ExceptionTranslationFilter(new BearerTokenAuthenticationEntryPoint()),
        new AuthorizationFilter(AuthenticatedAuthorizationManager.authenticated())));
    proxy.afterPropertiesSet();
    return proxy;
  }

  /** Connections sending GET {@code path} with a token from {@code tokens}, expecting {@code status}. */
  record Group(String path, Supplier<String> tokens, int connections, int status) {}

  /** Requests per second, latency percentiles and answers other than the expected status, of one group in one run. */
  record Stats(double rps, long p50Micros, long p99Micros, long errors) {}

  /** Runs all groups at once: warm-up, then {@code seconds} measured; one {@link Stats} per group. */
  static List<Stats> run(int port, int warmup, int seconds, Group... groups) throws Exception {
    return recorded(port, warmup, seconds, groups).stream().map(Recorded::stats).toList();
  }

  /**
   * One round of several scenarios (each a set of groups that run together) in turn, one second each, {@code seconds}
   * times over: what changes the machine's speed slowly (other tenants of the host, the CPU's clock) falls on every
   * scenario alike, where back-to-back runs of 10 s each let one scenario draw a slow spell alone (a round once put
   * TokenGuard at 0.755 of no-auth, and Spring at 0.386 against its usual 0.44). For each scenario, one {@link Stats}
   * per group over all its seconds.
   */
  static List<List<Stats>> interleaved(int port, int seconds, List<Group[]> scenarios) throws Exception {
    List<List<Recorded>> all = new ArrayList<>();
    for (Group[] groups : scenarios) {
      List<Recorded> none = new ArrayList<>();
      for (int g = 0; g < groups.length; g++) {
        none.add(new Recorded(new long[0], 0, 0));
      }
      all.add(none);
    }
    for (int second = 0; second < seconds; second++) {
      for (int s = 0; s < scenarios.size(); s++) {
        List<Recorded> now = recorded(port, 0, 1, scenarios.get(s));
        for (int g = 0; g < now.size(); g++) {
          all.get(s).set(g, all.get(s).get(g).plus(now.get(g)));
        }
      }
    }
    return all.stream().map(groups -> groups.stream().map(Recorded::stats).toList()).toList();
  }

  /** One group's latencies (nanoseconds) over {@code seconds}, and its answers other than the expected status. */
  record Recorded(long[] latencies, long errors, int seconds) {
    Recorded plus(Recorded other) {
      long[] both = Arrays.copyOf(latencies, latencies.length + other.latencies.length);
      System.arraycopy(other.latencies, 0, both, latencies.length, other.latencies.length);
      return new Recorded(both, errors + other.errors, seconds + other.seconds);
    }

    Stats stats() {
      long[] sorted = latencies.clone();
      Arrays.sort(sorted);
      return new Stats(sorted.length / (double) seconds, percentile(sorted, 0.50) / 1000, percentile(sorted, 0.99) / 1000, errors);
    }
  }

  static List<Recorded> recorded(int port, int warmup, int seconds, Group... groups) throws Exception {
    List<Client> clients = new ArrayList<>();
    for (Group g : groups) {
      for (int i = 0; i < g.connections(); i++) {
        clients.add(new Client(port, g));
      }
    }
    long now = System.nanoTime();
    long measureFrom = now + warmup * 1_000_000_000L;
    long until = measureFrom + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (Client c : clients) {
      Thread t = new Thread(() -> c.loop(measureFrom, until), "load-" + threads.size());
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    List<Recorded> out = new ArrayList<>();
    for (Group g : groups) {
      long[] all = clients.stream().filter(c -> c.group == g).map(Client::latencies).flatMapToLong(Arrays::stream).sorted().toArray();
      long errors = clients.stream().filter(c -> c.group == g).mapToLong(c -> c.errors).sum();
      clients.stream().filter(c -> c.group == g && c.failure != null).findFirst()
          .ifPresent(c -> { throw new IllegalStateException("a connection of " + g.path() + " failed", c.failure); });
      out.add(new Recorded(all, errors, seconds));
    }
    return out;
  }

  static long percentile(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  static Stats median(List<Stats> runs) {
    return runs.stream().sorted((a, b) -> Double.compare(a.rps(), b.rps())).toList().get(runs.size() / 2);
  }

  /** One keep-alive HTTP/1.1 connection in a closed loop: send, read the whole answer, record, repeat. */
  static final class Client {
    final Group group;
    final int port;
    Socket socket;
    InputStream in;
    OutputStream out;
    final byte[] buf = new byte[16384];
    int start;
    int limit;
    long[] latencies = new long[1 << 16];
    int count;
    long errors;
    Throwable failure;

    Client(int port, Group group) throws IOException {
      this.port = port;
      this.group = group;
      connect();
    }

    void connect() throws IOException {
      if (socket != null) {
        socket.close();
      }
      socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      in = socket.getInputStream();
      out = socket.getOutputStream();
      start = limit = 0;
    }

    long[] latencies() {
      return Arrays.copyOf(latencies, count);
    }

    void loop(long measureFrom, long until) {
      try {
        long now;
        while ((now = System.nanoTime()) < until) {
          byte[] request = ("GET " + group.path() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
              + group.tokens().get() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
          out.write(request);
          int status = readResponse();
          long took = System.nanoTime() - now;
          if (now >= measureFrom) {
            if (count == latencies.length) {
              latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = took;
            if (status != group.status()) {
              errors++;
            }
          }
        }
        socket.close();
      } catch (Throwable e) {
        failure = e;
      }
    }

    /** Reads one response (Content-Length bodies only) and returns its status; reconnects when the server closes. */
    int readResponse() throws IOException {
      int end;
      while ((end = headerEnd()) < 0) {
        fill();
      }
      String head = new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(head.substring(9, 12));
      String lower = head.toLowerCase(Locale.ROOT);
      int cl = lower.indexOf("\r\ncontent-length:");
      if (cl < 0) {
        throw new IOException("an answer without Content-Length: " + head);
      }
      int lineEnd = lower.indexOf("\r\n", cl + 2);
      int length = Integer.parseInt(lower.substring(cl + 17, lineEnd < 0 ? lower.length() : lineEnd).trim());
      start = end + 4;
      while (limit - start < length) {
        fill();
      }
      start += length;
      if (lower.contains("\r\nconnection: close")) {
        connect();
      }
      return status;
    }

    int headerEnd() {
      for (int i = start; i + 3 < limit; i++) {
        if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
          return i;
        }
      }
      return -1;
    }

    void fill() throws IOException {
      if (start == limit) {
        start = limit = 0;
      } else if (limit == buf.length) {
        System.arraycopy(buf, start, buf, 0, limit - start);
        limit -= start;
        start = 0;
      }
      int n = in.read(buf, limit, buf.length - limit);
      if (n < 0) {
        throw new IOException("the server closed the connection mid-answer");
      }
      limit += n;
    }
  }

  static Map<String, Integer> options(String[] args, Map<String, Integer> defaults) {
    Map<String, Integer> o = new LinkedHashMap<>(defaults);
    for (int i = 0; i < args.length; i++) {
      String name = args[i].startsWith("--") ? args[i].substring(2) : null;
      if (name == null || !o.containsKey(name) || i + 1 == args.length) {
        throw new IllegalArgumentException("unknown option or missing value: " + args[i] + "; options: " + defaults.keySet());
      }
      o.put(name, Integer.parseInt(args[++i]));
    }
    return o;
  }
}
