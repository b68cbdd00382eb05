package dev.tokenguard.it.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.it.RawHttp;
import dev.tokenguard.it.TestIdentityProviders;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The route oracle: does any spelling of a request reach a handler whose rule it did not satisfy? A subclass starts
 * the application of {@link Route} on its host, protected by TokenGuard with {@link #oracleProperties}; this class
 * sends every line of {@code route-oracle/corpus.txt} (and seeded random spellings) over a raw socket, so nothing
 * is normalised by a client, and checks what served it:
 *
 * <ul>
 *   <li>sent with a token holding every permission, the request is refused (400 by the firewall, 403, 404 or 405
 *       by the host, or a closed connection), redirected by the host (Jetty sends {@code /app;p} to {@code /app/}
 *       before any filter; where it leads is judged on its own), or served by some handler; any other status (a
 *       5xx) is a failure;</li>
 *   <li>if a handler served it, the same request without a token must be refused with 401 unless the handler is
 *       public, and with a token lacking any one permission the handler needs, with 403.</li>
 * </ul>
 * Controls make sure the oracle cannot pass by refusing everything: each canonical path reaches its handler with
 * the right token, public handlers without one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RouteOracle {
  /**
   * What a request with every permission may get besides 2xx: the firewall's 400, a host's 404 or 405, or a host's
   * 403 (Jetty's default descriptor forbids TRACE); TokenGuard itself cannot answer 403 to every permission.
   */
  static final Set<Integer> NOT_SERVED = Set.of(400, 403, 404, 405);

  /**
   * The seed of the random spellings in every build, so that CI is repeatable; explore others with
   * {@code -Dtokenguard.oracle.seed=N} (a failure names its seed).
   */
  static final long DEFAULT_SEED = 20261202L;

  /** Random spellings generated per host, besides the corpus. */
  static final int GENERATED = 300;

  protected TestIdentityProviders idp;
  private int port;
  private String context;
  private String fullToken;
  private final Map<String, String> tokensLacking = new LinkedHashMap<>();

  /** Starts the oracle application with this TokenGuard configuration; returns its base URL (with any context path). */
  protected abstract String startApp(Map<String, String> tokenGuardProperties) throws Exception;

  /** Stops it. */
  protected abstract void stopApp() throws Exception;

  /** The identity providers (a framework that starts the application first returns the ones it configured). */
  protected TestIdentityProviders identityProviders() {
    return new TestIdentityProviders();
  }

  /** The TokenGuard configuration of the oracle application: a rule per route, {@code /public/**} public. */
  public static Map<String, String> oracleProperties(Map<String, String> base) {
    Map<String, String> p = new LinkedHashMap<>(base);
    p.keySet().removeIf(k -> k.startsWith("rule."));
    p.put("public-paths", "/public/**");
    p.put("rule.admin.paths", "/api/admin/**");
    p.put("rule.admin.permissions", "admin");
    p.put("rule.order.paths", "/api/orders/*");
    p.put("rule.order.permissions", "orders:read");
    p.put("rule.cancel.paths", "/api/orders/*:cancel");
    p.put("rule.cancel.permissions", "orders:cancel");
    p.put("rule.me.paths", "/api/users/@me/**");
    p.put("rule.me.permissions", "profile");
    p.put("rule.reports.paths", "/api/reports/**");
    p.put("rule.reports.methods", "GET");
    p.put("rule.reports.permissions", "reports:read");
    return p;
  }

  @BeforeAll
  void startAll() throws Exception {
    idp = identityProviders();
    URI base = URI.create(startApp(oracleProperties(idp.appProperties())));
    port = base.getPort();
    context = base.getRawPath() == null || base.getRawPath().equals("/") ? "" : base.getRawPath();
    fullToken = token(Route.ALL_PERMISSIONS);
    for (String p : Route.ALL_PERMISSIONS) {
      Set<String> lacking = new HashSet<>(Route.ALL_PERMISSIONS);
      lacking.remove(p);
      tokensLacking.put(p, token(lacking));
    }
  }

  private String token(Set<String> permissions) {
    return idp.oidcToken("alice", Map.of("permissions", List.copyOf(permissions)));
  }

  @AfterAll
  void stopAll() throws Exception {
    stopApp();
    idp.close();
  }

  @Test
  void controlsEveryCanonicalPathReachesItsHandlerWithTheRightTokenOnly() throws Exception {
    for (Route route : Route.values()) {
      String target = context + route.canonicalPath;
      RawHttp.Response full = send(route.method, target, fullToken);
      assertThat(full.status()).as("%s %s with every permission", route.method, target).isEqualTo(200);
      assertThat(full.header(Route.HEADER)).as("%s %s served by", route.method, target).isEqualTo(route.headerValue());
      RawHttp.Response anonymous = send(route.method, target, null);
      assertThat(anonymous.status()).as("%s %s without a token", route.method, target).isEqualTo(route.needs == null ? 200 : 401);
      if (route.needs != null) {
        for (String p : route.needs) {
          assertThat(send(route.method, target, tokensLacking.get(p)).status()).as("%s %s lacking %s", route.method, target, p).isEqualTo(403);
        }
      }
    }
  }

  /**
   * A path that only begins with the context path's characters ({@code /apple} under {@code /app}) belongs to no
   * application: the host's 404 (or a refusal), never a failure (WebFlux's base-path handler threw on it: 500).
   */
  @Test
  void aPathThatOnlyBeginsWithTheContextPathIsNotServed() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(context.isEmpty(), "no context path");
    for (String target : List.of(context + "le/api/orders", context + "%41/api/orders", context + ":x/api/orders")) {
      assertThat(send("GET", target, fullToken).status()).as(target).isIn(NOT_SERVED);
    }
  }

  @Test
  void corpusNeverReachesAHandlerWhoseRuleItDidNotSatisfy() throws Exception {
    List<String> violations = new ArrayList<>();
    int served = 0;
    List<String[]> corpus = corpus();
    for (String[] line : corpus) {
      served += judge(line[0], line[1].replace("{ctx}", context), violations) ? 1 : 0;
    }
    assertThat(violations).as("served by a handler whose rule was not satisfied, or answered otherwise than 400/401/403 (404/405 by the host)").isEmpty();
    assertThat(corpus).hasSizeGreaterThanOrEqualTo(300);
    assertThat(served).as("corpus lines some handler served").isGreaterThan(50);
  }

  @Test
  void generatedSpellingsNeverReachAHandlerWhoseRuleTheyDidNotSatisfy() throws Exception {
    long seed = Long.getLong("tokenguard.oracle.seed", DEFAULT_SEED);
    Random random = new Random(seed);
    List<String> violations = new ArrayList<>();
    for (int i = 0; i < GENERATED; i++) {
      String[] request = Spellings.mutate(random);
      judge(request[0], context + request[1], violations);
    }
    assertThat(violations).as("generated with -Dtokenguard.oracle.seed=%d", seed).isEmpty();
  }

  /** Sends one request as described in the class comment; returns whether a handler served it. */
  private boolean judge(String method, String target, List<String> violations) throws IOException {
    RawHttp.Response full = trySend(method, target, fullToken);
    if (full == null) {
      return false;
    }
    if (full.status() / 100 != 2 && full.status() / 100 != 3 && !NOT_SERVED.contains(full.status())) {
      violations.add(method + " " + target + " -> " + full.status() + " with every permission");
      return false;
    }
    Route route = full.status() / 100 == 2 ? Route.of(full.header(Route.HEADER)) : null;
    if (route == null) {
      return false;
    }
    if (route.needs == null) {
      return true;
    }
    RawHttp.Response anonymous = trySend(method, target, null);
    if (anonymous != null && reached(anonymous, route)) {
      violations.add(method + " " + target + " -> " + route.headerValue() + " without a token");
    } else if (anonymous == null || anonymous.status() != 401) {
      violations.add(method + " " + target + " without a token -> " + (anonymous == null ? "no answer" : anonymous.status()) + ", not 401");
    }
    for (String p : route.needs) {
      RawHttp.Response lacking = trySend(method, target, tokensLacking.get(p));
      if (lacking != null && reached(lacking, route)) {
        violations.add(method + " " + target + " -> " + route.headerValue() + " without permission " + p);
      } else if (lacking == null || lacking.status() != 403) {
        violations.add(method + " " + target + " lacking " + p + " -> " + (lacking == null ? "no answer" : lacking.status()) + ", not 403");
      }
    }
    return true;
  }

  private static boolean reached(RawHttp.Response r, Route route) {
    return r.status() / 100 == 2 && route.headerValue().equals(r.header(Route.HEADER));
  }

  private RawHttp.Response send(String method, String target, String token) throws IOException {
    return RawHttp.send(port, method, target, token == null ? List.of() : List.<String[]>of(new String[] {"Authorization", "Bearer " + token}));
  }

  /** Sends, or {@code null} when the server closed the connection without an answer (not served). */
  private RawHttp.Response trySend(String method, String target, String token) {
    try {
      return send(method, target, token);
    } catch (IOException e) {
      return null;
    }
  }

  /** The corpus: method and request target per line, {@code {ctx}} standing for the context path. */
  public static List<String[]> corpus() {
    List<String[]> lines = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        RouteOracle.class.getResourceAsStream("/route-oracle/corpus.txt"), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.isBlank() && !line.startsWith("#")) {
          int space = line.indexOf(' ');
          lines.add(new String[] {line.substring(0, space), line.substring(space + 1)});
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }
}
