package dev.tokenguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.RedisServer;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged {@code cli/target/tokenguard.jar}, started as a separate process the way a user runs it.
 * Run by failsafe after {@code package}.
 */
class CliIT {
  private final List<Process> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Result of a command run to its end. */
  record Ran(int exit, String out, String err) {}

  private static List<String> java(String... args) {
    return GatewayProcess.java(args);
  }

  private GatewayProcess serve(boolean devIssuer, String... args) throws Exception {
    return GatewayProcess.serve(processes, devIssuer, args);
  }

  private Ran run(String stdin, String... args) throws Exception {
    Path out = Files.createTempFile("cli", ".out");
    Path err = Files.createTempFile("cli", ".err");
    Process p = new ProcessBuilder(java(args)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.US_ASCII));
    }
    p.getOutputStream().close();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Ran(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private HttpResponse<String> get(String url, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void serveWithoutIssuerThenDevIssuerFlowWorksEndToEndAsPrinted() throws Exception {
    GatewayProcess s = serve(true);
    String reader = s.line("READER_TOKEN=").substring("READER_TOKEN=".length());
    String admin = s.line("ADMIN_TOKEN=").substring("ADMIN_TOKEN=".length());
    assertThat(s.lines()).anyMatch(l -> l.contains("curl -i " + s.baseUrl() + "/api/me"));
    assertThat(s.lines()).as("one slf4j API and its provider in the jar").noneMatch(l -> l.startsWith("SLF4J:"));

    assertThat(get(s.baseUrl() + "/public/health").body()).isEqualTo("{\"status\":\"UP\"}");
    assertThat(get(s.baseUrl() + "/health").body()).as("without --admin-port: the status alone, for anyone")
        .matches("\\{\"status\":\"(UP|DOWN)\"}");
    HttpResponse<String> none = get(s.baseUrl() + "/api/me");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    HttpResponse<String> me = get(s.baseUrl() + "/api/me", "Authorization", "Bearer " + reader);
    assertThat(me.statusCode()).isEqualTo(200);
    Map<String, Object> body = JSONObjectUtils.parse(me.body());
    assertThat(body).containsKeys("subject", "issuer", "audiences", "scopes", "permissions", "roles", "claims", "profile")
        .containsEntry("subject", "alice").containsEntry("profile", null);
    assertThat(get(s.baseUrl() + "/api/admin/stats", "Authorization", "Bearer " + reader).statusCode()).isEqualTo(403);
    assertThat(get(s.baseUrl() + "/api/admin/stats", "Authorization", "Bearer " + admin).statusCode()).isEqualTo(200);
    HttpResponse<String> other = get(s.baseUrl() + "/api/orders/7", "Authorization", "Bearer " + reader);
    assertThat(JSONObjectUtils.parse(other.body())).containsEntry("path", "/api/orders/7").containsEntry("subject", "alice");

    HttpResponse<String> minted = http.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/dev/token"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"sub\":\"bob\",\"permissions\":[\"admin\"]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    String bob = JSONObjectUtils.getString(JSONObjectUtils.parse(minted.body()), "access_token");
    HttpResponse<String> asBob = get(s.baseUrl() + "/api/admin/stats", "Authorization", "Bearer " + bob);
    assertThat(asBob.statusCode()).isEqualTo(200);
    assertThat(asBob.body()).contains("\"subject\":\"bob\"");
  }

  @Test
  void serveThenMetricsCountDecisionsAndHealthFollowsTheJwksEndpoint() throws Exception {
    try (JwksServer idp = new JwksServer().keys(TestKeys.RSA)) {
      GatewayProcess s = serve(false, "--set", "issuer=" + idp.issuer(), "--set", "jwks-uri=" + idp.jwksUri(), "--set", "audience=orders",
          "--set", "jwks.cache-ttl=2s", "--set", "jwks.refresh-ahead=1s", "--set", "jwks.min-refetch-interval=1s", "--admin-port", "0");
      String adminLine = s.lines().stream().filter(l -> l.contains("metrics and health on ")).findFirst().orElseThrow();
      String adminUrl = adminLine.substring(adminLine.indexOf("metrics and health on ") + "metrics and health on ".length()).trim();
      String good = TestTokens.valid(idp.issuer(), "orders", Instant.now()).sign("RS256", TestKeys.RSA);
      assertThat(get(s.baseUrl() + "/api/me", "Authorization", "Bearer " + good).statusCode()).isEqualTo(200);
      String expired = TestTokens.valid(idp.issuer(), "orders", Instant.now()).expiredBy(3600, Instant.now()).sign("RS256", TestKeys.RSA);
      assertThat(get(s.baseUrl() + "/api/me", "Authorization", "Bearer " + expired).statusCode()).isEqualTo(401);
      assertThat(get(s.baseUrl() + "/api/me").statusCode()).isEqualTo(401);

      HttpResponse<String> metrics = get(adminUrl + "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
      String iss = "issuer=\"" + idp.issuer() + "\"";
      assertThat(metrics.body()).contains(
          "tokenguard_validations_total{" + iss + ",outcome=\"allowed\",reason=\"none\"} 1.0",
          "tokenguard_validations_total{" + iss + ",outcome=\"rejected\",reason=\"expired\"} 1.0",
          "tokenguard_validations_total{issuer=\"none\",outcome=\"rejected\",reason=\"missing_token\"} 1.0",
          "tokenguard_jwks_keys{" + iss + "} 1.0",
          "jvm_memory_used_bytes");

      assertThat(get(s.baseUrl() + "/metrics").statusCode()).as("with --admin-port, not on the traffic port").isEqualTo(401);
      assertThat(get(s.baseUrl() + "/health").statusCode()).isEqualTo(401);
      assertThat(get(adminUrl + "/api/me").statusCode()).as("and nothing else on the admin port").isEqualTo(404);
      assertThat(awaitHealth(adminUrl, 200)).contains("\"status\":\"UP\"", "\"keys\":1");
      idp.mode(JwksServer.Mode.ERROR_500);
      assertThat(awaitHealth(adminUrl, 503)).contains("\"status\":\"DOWN\"", "answered HTTP 500");
      idp.mode(JwksServer.Mode.OK);
      awaitHealth(adminUrl, 200);
      assertThat(get(adminUrl + "/metrics").body()).containsPattern(
          "tokenguard_jwks_fetches_seconds_count\\{" + Pattern.quote(iss) + ",result=\"failure\"\\} [1-9]");
    }
  }

  @Test
  void revokePublishedThroughRedisThenTheRunningGatewayRefusesTheSubject() throws Exception {
    try (JwksServer idp = new JwksServer().keys(TestKeys.RSA); RedisServer redis = new RedisServer()) {
      String[] shared = {"--set", "issuer=" + idp.issuer(), "--set", "jwks-uri=" + idp.jwksUri(), "--set", "audience=orders",
          "--set", "cache.redis.uri=" + redis.uri(), "--set", "cache.redis.prefix=cli-it:"};
      GatewayProcess s = serve(false, shared);
      String mallory = TestTokens.valid(idp.issuer(), "orders", Instant.now()).claim("sub", "mallory").sign("RS256", TestKeys.RSA);
      String alice = TestTokens.valid(idp.issuer(), "orders", Instant.now()).claim("sub", "alice").sign("RS256", TestKeys.RSA);
      assertThat(get(s.baseUrl() + "/api/me", "Authorization", "Bearer " + mallory).statusCode()).isEqualTo(200);
      Thread.sleep(500); // the gateway's subscription connects in the background

      List<String> args = new ArrayList<>(List.of("revoke"));
      args.addAll(List.of(shared));
      args.addAll(List.of("--subject", "mallory"));
      Ran revoked = run(null, args.toArray(String[]::new));
      assertThat(revoked.exit()).as(revoked.err()).isZero();
      assertThat(revoked.out()).contains("revoked subject 'mallory' of " + idp.issuer());

      HttpResponse<String> r = get(s.baseUrl() + "/api/me", "Authorization", "Bearer " + mallory);
      for (int i = 0; i < 20 && r.statusCode() == 200; i++) {
        Thread.sleep(50);
        r = get(s.baseUrl() + "/api/me", "Authorization", "Bearer " + mallory);
      }
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token", "revoked");
      assertThat(get(s.baseUrl() + "/api/me", "Authorization", "Bearer " + alice).statusCode()).isEqualTo(200);

      redis.kill();
      Ran down = run(null, args.toArray(String[]::new));
      assertThat(down.exit()).isEqualTo(2);
      assertThat(down.err()).contains("did not take the revocation");
    }
  }

  private String awaitHealth(String base, int status) throws Exception {
    HttpResponse<String> r = get(base + "/health");
    for (int i = 0; i < 75 && r.statusCode() != status; i++) {
      Thread.sleep(200);
      r = get(base + "/health");
    }
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return r.body();
  }

  @Test
  void serveWithARealOidcIssuerThenItsTokensPassAndNoDevIssuerExists() throws Exception {
    MockOAuth2Server oidc = new MockOAuth2Server();
    oidc.start(InetAddress.getByName("127.0.0.1"), 0);
    try {
      String issuer = oidc.issuerUrl("default").toString();
      GatewayProcess s = serve(false, "--set", "issuer=" + issuer, "--set", "audience=orders");
      assertThat(s.lines()).noneMatch(l -> l.startsWith("Dev issuer"));
      String token = oidc.issueToken("default", "carol", "orders", Map.of(), 3600).serialize();
      HttpResponse<String> me = get(s.baseUrl() + "/api/me", "Authorization", "Bearer " + token);
      assertThat(me.statusCode()).isEqualTo(200);
      assertThat(JSONObjectUtils.parse(me.body())).containsEntry("subject", "carol").containsEntry("issuer", issuer);
      assertThat(get(s.baseUrl() + "/dev/jwks").statusCode()).isEqualTo(401);
    } finally {
      oidc.shutdown();
    }
  }

  @Test
  void serveWithUpstreamThenIdentityHeadersAddedAndSpoofedOnesStripped() throws Exception {
    HttpServer echo = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    echo.createContext("/", ex -> {
      Map<String, Object> seen = new java.util.TreeMap<>();
      ex.getRequestHeaders().forEach((k, v) -> {
        String n = k.toLowerCase(Locale.ROOT).replace('_', '-'); // as CGI, WSGI, Rack and PHP read it
        if (n.startsWith("x-auth-") || n.startsWith("x-http-method") || n.startsWith("x-method")) {
          seen.put(k.toLowerCase(Locale.ROOT), String.join("|", v));
        }
      });
      seen.put("path", ex.getRequestURI().getPath());
      byte[] bytes = JSONObjectUtils.toJSONString(seen).getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, bytes.length);
      ex.getResponseBody().write(bytes);
      ex.close();
    });
    echo.start();
    try {
      GatewayProcess s = serve(true, "--dev", "--upstream", "http://127.0.0.1:" + echo.getAddress().getPort());
      assertThat(s.lines()).anyMatch(l -> l.contains("WARNING: the development issuer mints tokens for anyone"));
      String reader = s.line("READER_TOKEN=").substring("READER_TOKEN=".length());
      HttpResponse<String> r = get(s.baseUrl() + "/api/things", "Authorization", "Bearer " + reader,
          "X-Auth-Subject", "admin", "X-Auth-Roles", "superuser", "X_Auth_Subject", "admin", "x_auth_roles", "superuser",
          "X-AUTH_EMAIL", "root@example.com", "X_Auth_Permissions", "admin", "X_HTTP_Method_Override", "DELETE");
      assertThat(r.statusCode()).isEqualTo(200);
      Map<String, Object> seen = JSONObjectUtils.parse(r.body());
      assertThat(seen).containsOnly(Map.entry("x-auth-subject", "alice"), Map.entry("x-auth-permissions", "api:read"),
          Map.entry("x-auth-roles", ""), Map.entry("x-auth-email", ""), Map.entry("path", "/api/things"));
      HttpResponse<String> anonymous = get(s.baseUrl() + "/public/x", "X-Auth-Subject", "admin");
      assertThat(JSONObjectUtils.parse(anonymous.body())).as("set, and empty, on a public path").containsEntry("x-auth-subject", "");
      assertThat(get(s.baseUrl() + "/api/things").statusCode()).isEqualTo(401);
    } finally {
      echo.stop(0);
    }
  }

  @Test
  void anApplicationWrittenForOauth2ProxysHeadersWorksUnchangedWithThePreset() throws Exception {
    HttpServer app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    app.createContext("/", ex -> { // reads what oauth2-proxy passes (pass_user_headers), as such applications do
      Map<String, Object> seen = new java.util.TreeMap<>();
      for (String h : List.of("X-Forwarded-User", "X-Forwarded-Email", "X-Forwarded-Groups", "X-Forwarded-Preferred-Username",
          "Authorization", "X-Auth-Subject")) {
        String v = ex.getRequestHeaders().getFirst(h);
        if (v != null) {
          seen.put(h, v);
        }
      }
      byte[] bytes = JSONObjectUtils.toJSONString(seen).getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, bytes.length);
      ex.getResponseBody().write(bytes);
      ex.close();
    });
    app.start();
    try {
      GatewayProcess s = serve(true, "--dev", "--upstream", "http://127.0.0.1:" + app.getAddress().getPort(),
          "--set", "identity-headers=oauth2-proxy", "--set", "upstream.forward-authorization=false");
      String token = mint(s, "{\"sub\":\"carol\",\"preferred_username\":\"carol.k\",\"email\":\"carol@example.com\","
          + "\"roles\":[\"staff\",\"admin\"]}");
      HttpResponse<String> r = get(s.baseUrl() + "/api/things", "Authorization", "Bearer " + token,
          "X-Forwarded-User", "root", "X_Forwarded_Groups", "superuser", "X-Auth-Subject", "root");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(JSONObjectUtils.parse(r.body())).as("the client's Authorization stays at the gateway; no spoofed value")
          .containsOnly(Map.entry("X-Forwarded-User", "carol"), Map.entry("X-Forwarded-Email", "carol@example.com"),
              Map.entry("X-Forwarded-Groups", "admin,staff"), Map.entry("X-Forwarded-Preferred-Username", "carol.k"));
    } finally {
      app.stop(0);
    }
  }

  @Test
  void aMistypedGatewayKeyExits2NamingIt() throws Exception {
    Ran r = run(null, "serve", "--port", "0", "--dev", "--set", "identity-headers=oauth-proxy");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("identity-headers: expected one of [tokenguard, oauth2-proxy], but was 'oauth-proxy'");
  }

  /** A token from the gateway's development issuer for these claims. */
  private String mint(GatewayProcess s, String claims) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/dev/token"))
        .POST(HttpRequest.BodyPublishers.ofString(claims)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return (String) JSONObjectUtils.parse(r.body()).get("access_token");
  }

  @Test
  void checkThenExitCodesAndStepsForValidExpiredAndWrongAudienceTokens() throws Exception {
    MockOAuth2Server oidc = new MockOAuth2Server();
    oidc.start(InetAddress.getByName("127.0.0.1"), 0);
    try {
      String issuer = oidc.issuerUrl("default").toString();
      Ran valid = run(null, "check", "--set", "issuer=" + issuer, "--set", "audience=orders",
          oidc.issueToken("default", "dave", "orders", Map.of(), 3600).serialize());
      assertThat(valid.exit()).as(valid.out() + valid.err()).isZero();
      assertThat(valid.out()).contains("PASS  signature", "PASS  expiry (exp)", "VALID", "\"subject\":\"dave\"");

      Ran expired = run(oidc.issueToken("default", "dave", "orders", Map.of(), -600).serialize(),
          "check", "--set", "issuer=" + issuer, "--set", "audience=orders", "-");
      assertThat(expired.exit()).isEqualTo(1);
      assertThat(expired.out()).contains("FAIL  expiry (exp)", "the token expired at", "clock skew 60s", "INVALID: HTTP 401 invalid_token");

      Ran audience = run(null, "check", "--set", "issuer=" + issuer, "--set", "audience=orders",
          oidc.issueToken("default", "dave", "billing", Map.of(), 3600).serialize());
      assertThat(audience.exit()).isEqualTo(1);
      assertThat(audience.out()).contains("FAIL  audience (aud)", "[billing], expected one of [orders]");
    } finally {
      oidc.shutdown();
    }
    Ran unreachable = run(null, "check", "--set", "issuer=http://127.0.0.1:1/nowhere", "--set", "jwks.timeout=500ms",
        dev.tokenguard.testing.TestTokens.valid("http://127.0.0.1:1/nowhere", "x", java.time.Instant.now())
            .sign("RS256", dev.tokenguard.testing.TestKeys.RSA));
    assertThat(unreachable.exit()).isEqualTo(2);
    assertThat(unreachable.out()).contains("FAIL  signature", "HTTP 503");
  }

  @Test
  void badConfigurationThenExit2NamingTheKey() throws Exception {
    Ran serve = run(null, "serve", "--port", "0", "--set", "jwks.cache-ttl=soon");
    assertThat(serve.exit()).isEqualTo(2);
    assertThat(serve.err()).contains("configuration error: jwks.cache-ttl:");
    Ran check = run(null, "check", "--set", "issuer=https://idp.example.com/", "--set", "audeince=x", "a.b.c");
    assertThat(check.exit()).isEqualTo(2);
    assertThat(check.err()).contains("audeince: unknown key (did you mean audience?)");
    Ran upstream = run(null, "serve", "--port", "0", "--upstream", "ftp://x");
    assertThat(upstream.exit()).isEqualTo(2);
    assertThat(upstream.err()).contains("--upstream");
  }

  /**
   * The development issuer mints tokens for anyone who asks: it runs only when no issuer key is given, without
   * --upstream, on loopback, or with --dev; a blank issuer (an unset variable) is a mistake, never a request for it.
   * Each refused case exits with 2 before listening anywhere.
   */
  @Test
  void devIssuerOnlyWhereItIsSafe() throws Exception {
    Ran upstream = run(null, "serve", "--port", "0", "--upstream", "http://127.0.0.1:9");
    assertThat(upstream.exit()).isEqualTo(2);
    assertThat(upstream.err()).contains("configuration error: issuer: is required with --upstream", "--dev");
    Ran forwardAuth = run(null, "serve", "--port", "0", "--forward-auth");
    assertThat(forwardAuth.exit()).isEqualTo(2);
    assertThat(forwardAuth.err()).contains("issuer: is required with --upstream or --forward-auth", "--dev");
    Ran badPath = run(null, "serve", "--port", "0", "--dev", "--forward-auth=/auth/../x");
    assertThat(badPath.exit()).isEqualTo(2);
    assertThat(badPath.err()).contains("--forward-auth: expected a plain path");
    Ran blank = run(null, "serve", "--port", "0", "--set", "issuer=");
    assertThat(blank.exit()).isEqualTo(2);
    assertThat(blank.err()).contains("configuration error: issuer: is set but blank");
    Ran blankWithUpstream = run(null, "serve", "--port", "0", "--set", "issuer=  ", "--upstream", "http://127.0.0.1:9");
    assertThat(blankWithUpstream.exit()).isEqualTo(2);
    assertThat(blankWithUpstream.err()).contains("issuer: is set but blank");
    Ran everywhere = run(null, "serve", "--port", "0", "--host", "0.0.0.0");
    assertThat(everywhere.exit()).isEqualTo(2);
    assertThat(everywhere.err()).contains("issuer: is required on 0.0.0.0", "--dev");
    Ran both = run(null, "serve", "--port", "0", "--dev", "--set", "issuer=https://idp.example.com/");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("--dev: runs the development issuer, which a configured issuer excludes");
    Ran block = run(null, "serve", "--port", "0", "--dev", "--set", "issuers.kc.url=https://idp.example.com/");
    assertThat(block.exit()).as("an issuer block is a configured issuer too").isEqualTo(2);
    assertThat(block.err()).contains("--dev: runs the development issuer, which a configured issuer excludes");
  }

  @Test
  void helpAndVersionOnEveryCommand() throws Exception {
    assertThat(run(null, "--version").out()).startsWith("tokenguard 0.1.0");
    assertThat(run(null, "serve", "--help").out()).contains("--upstream", "--set");
    assertThat(run(null, "check", "--help").out()).contains("TOKEN|-");
  }

  @Test
  void serveReadsTokenguardEnvironmentVariables() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(java("check", "x.y.z")).redirectErrorStream(true);
    pb.environment().put("TOKENGUARD_ISSUER", "https://idp.example.com/");
    pb.environment().put("TOKENGUARD_JWKS_CACHE_TTL", "never");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(out).contains("jwks.cache-ttl:");
  }
}
