package dev.tokenguard.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tokenguard.it.oracle.Route;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The most lenient upstream router there is, for the route oracle behind the gateway: it percent-decodes, ignores case,
 * drops {@code ;params}, reads {@code \} as {@code /} and resolves dot segments before routing (as Express, ASP.NET
 * Core or a PHP front controller may), answers with the {@link Route} it chose, and records every request it receives.
 */
final class LenientUpstream implements AutoCloseable {
  private final HttpServer server;
  /** Every request received: method, raw path and header names. */
  final List<String> received = new CopyOnWriteArrayList<>();

  LenientUpstream() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::route);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

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

  @Override
  public void close() {
    server.stop(0);
  }
}
