package dev.tokenguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tokenguard.it.RawHttp;
import dev.tokenguard.it.oracle.Route;
import dev.tokenguard.it.oracle.RouteOracle;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The route oracle against the gateway ({@code tokenguard serve --upstream}, the packaged jar as a process) in front
 * of the most lenient upstream router there is: it percent-decodes, ignores case, drops {@code ;params}, reads
 * {@code \} as {@code /} and resolves dot segments before routing (as Express, ASP.NET Core or a PHP front
 * controller may), and records every request it receives. Plus the gateway's own endpoints: every spelling the
 * gateway treats as {@code /metrics} or {@code /health} is answered by the gateway and never reaches the upstream.
 */
class GatewayRouteOracleIT extends RouteOracle {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://[0-9.]+:[0-9]+)");

  private HttpServer upstream;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private Process gateway;
  private int gatewayPort;

  @Override
  protected String startApp(Map<String, String> props) throws Exception {
    upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext("/", this::route);
    upstream.start();
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        System.getProperty("tokenguard.cli.jar"), "serve", "--port", "0",
        "--upstream", "http://127.0.0.1:" + upstream.getAddress().getPort()));
    props.forEach((k, v) -> cmd.addAll(List.of("--set", k + "=" + v)));
    gateway = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BufferedReader reader = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
    String line;
    List<String> lines = new ArrayList<>();
    while ((line = reader.readLine()) != null) {
      lines.add(line);
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        Thread drain = new Thread(() -> reader.lines().forEach(l -> { }));
        drain.setDaemon(true);
        drain.start();
        gatewayPort = Integer.parseInt(m.group(1).substring(m.group(1).lastIndexOf(':') + 1));
        return m.group(1);
      }
    }
    throw new AssertionError("the gateway did not start: " + lines);
  }

  @Override
  protected void stopApp() throws Exception {
    gateway.destroy();
    gateway.waitFor(10, TimeUnit.SECONDS);
    upstream.stop(0);
  }

  /** The lenient upstream router; answers with the route it chose and records the raw path it was sent. */
  private void route(HttpExchange exchange) throws IOException {
    String raw = exchange.getRequestURI().getRawPath();
    received.add(exchange.getRequestMethod() + " " + raw + " " + exchange.getRequestHeaders().keySet());
    String path = lenient(raw);
    List<String> segments = new ArrayList<>(List.of(path.substring(1).split("/")));
    segments.removeIf(String::isEmpty);
    String method = exchange.getRequestMethod();
    Route route;
    if (startsWith(segments, "api", "admin")) {
      route = Route.ADMIN;
    } else if (startsWith(segments, "api", "users", "@me")) {
      route = Route.ME;
    } else if (startsWith(segments, "api", "reports")) {
      route = method.equals("GET") || method.equals("HEAD") ? Route.REPORTS : Route.REPORTS_WRITE;
    } else if (startsWith(segments, "api", "orders") && segments.size() == 3) {
      route = segments.get(2).endsWith(":cancel") ? Route.CANCEL : Route.ORDER;
    } else if (startsWith(segments, "public")) {
      route = Route.PUBLIC;
    } else {
      route = Route.OTHER;
    }
    exchange.getResponseHeaders().add(Route.HEADER, route.headerValue());
    exchange.sendResponseHeaders(200, -1);
    exchange.close();
  }

  private static boolean startsWith(List<String> segments, String... prefix) {
    return segments.size() >= prefix.length && segments.subList(0, prefix.length).equals(List.of(prefix));
  }

  /** Decoded (also '+'-free), lower case, ';params' dropped, '\' as '/', dot segments resolved. */
  private static String lenient(String raw) {
    String decoded = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT).replace('\\', '/');
    Deque<String> out = new ArrayDeque<>();
    for (String segment : decoded.split("/")) {
      int semi = segment.indexOf(';');
      String s = semi >= 0 ? segment.substring(0, semi) : segment;
      if (s.isEmpty() || s.equals(".")) {
        continue;
      }
      if (s.equals("..")) {
        out.pollLast();
      } else {
        out.add(s);
      }
    }
    return "/" + String.join("/", out);
  }

  @Test
  void gatewayEndpointsInEverySpellingAreAnsweredByTheGatewayAndNeverProxied() throws Exception {
    received.clear();
    for (String target : List.of("/metrics", "/metrics/", "/health", "/health/", "/health;/", "/%6Detrics", "/he%61lth/",
        "/metrics;x", "//metrics", "/./health", "/x/../health", "/metrics%2F", "/health%3B")) {
      RawHttp.Response r = RawHttp.send(gatewayPort, "GET", target, List.of());
      assertThat(r.status()).as(target).isIn(200, 400, 503);
      assertThat(r.header(Route.HEADER)).as(target).isNull();
    }
    assertThat(received).as("requests that reached the upstream").isEmpty();
  }

  @Test
  void upstreamReceivesExactlyTheJudgedPathAndNoMethodOverride() throws Exception {
    String token = idp.oidcToken("alice", Map.of("permissions", List.copyOf(Route.ALL_PERMISSIONS)));
    received.clear();
    RawHttp.Response r = RawHttp.send(gatewayPort, "POST", "/api/%61dmin/st%61ts?x=%2F", List.of(
        new String[] {"Authorization", "Bearer " + token}, new String[] {"X-HTTP-Method-Override", "DELETE"},
        new String[] {"X-Method-Override", "DELETE"}, new String[] {"X-HTTP-Method", "DELETE"}));
    assertThat(r.status()).isEqualTo(200);
    RawHttp.send(gatewayPort, "GET", "/api/orders/42%3Acancel", List.<String[]>of(new String[] {"Authorization", "Bearer " + token}));
    assertThat(received).hasSize(2);
    assertThat(received.get(0)).startsWith("POST /api/admin/stats ").doesNotContainIgnoringCase("override").doesNotContainIgnoringCase("X-http-method");
    assertThat(received.get(1)).startsWith("GET /api/orders/42:cancel ");
  }
}
