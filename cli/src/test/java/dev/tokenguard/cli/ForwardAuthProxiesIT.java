package dev.tokenguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tokenguard.it.RawHttp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import dev.tokenguard.it.JoseSigner;
import dev.tokenguard.it.TestIdentityProviders;
import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Forward authentication with real proxies: Debian's nginx ({@code auth_request}) and Caddy ({@code forward_auth}),
 * each configured with the README's file, in front of an application that records every request it receives, and
 * the packaged gateway ({@code serve --forward-auth}) beside them, configured as the scenario catalogue's applications
 * are ({@link TestIdentityProviders}: a real OIDC server and JWKS servers, a user API, an opaque issuer). The
 * catalogue's HTTP scenarios run through each proxy; what the application sees is the identity headers. Requests go
 * over raw sockets, so no client normalises what is sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForwardAuthProxiesIT {
  private final List<Process> processes = new ArrayList<>();
  private final Map<ReverseProxy, ReverseProxy.Running> proxies = new LinkedHashMap<>();
  /** What the application received: raw path and every header that reads as an identity header, as CGI reads it. */
  private final List<Map<String, String>> received = new CopyOnWriteArrayList<>();
  private HttpServer app;
  private GatewayProcess gateway;
  private TestIdentityProviders idp;
  private String reader;
  private String admin;

  @BeforeAll
  void start() throws Exception {
    app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    app.createContext("/", this::record);
    app.start();
    idp = new TestIdentityProviders();
    List<String> args = new ArrayList<>(List.of("--forward-auth"));
    idp.appProperties().forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
    gateway = GatewayProcess.serve(processes, false, args.toArray(String[]::new));
    reader = idp.oidcToken("alice", Map.of("permissions", List.of("orders:read")));
    admin = idp.oidcToken("alice", Map.of("permissions", List.of("admin:write")));
    for (ReverseProxy p : ReverseProxy.values()) {
      proxies.put(p, p.start(gateway.port(), app.getAddress().getPort()));
    }
  }

  @AfterAll
  void stop() throws Exception {
    for (ReverseProxy.Running r : proxies.values()) {
      r.close();
    }
    for (Process p : processes) {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    app.stop(0);
    idp.close();
  }

  @BeforeEach
  void clear() {
    received.clear();
  }

  private void record(HttpExchange ex) throws IOException {
    Map<String, String> seen = new java.util.TreeMap<>();
    ex.getRequestHeaders().forEach((k, v) -> {
      String n = k.toLowerCase(Locale.ROOT).replace('_', '-'); // as CGI, WSGI, Rack and PHP read it
      if (n.startsWith("x-auth-") || n.startsWith("x-http-method") || n.startsWith("x-method")) {
        seen.merge(n, String.join("|", v), (a, b) -> a + "|" + b); // two spellings of one header: both values kept
      }
    });
    seen.put("path", ex.getRequestURI().getRawPath());
    received.add(seen);
    byte[] bytes = JSONObjectUtils.toJSONString(new LinkedHashMap<>(seen)).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  private RawHttp.Response send(ReverseProxy proxy, String method, String target, String... headers) throws IOException {
    List<String[]> h = new ArrayList<>();
    for (int i = 0; i < headers.length; i += 2) {
      h.add(new String[] {headers[i], headers[i + 1]});
    }
    return RawHttp.send(proxies.get(proxy).port(), method, target, h);
  }

  private String why(ReverseProxy proxy) throws IOException {
    return proxy + " log: " + proxies.get(proxy).log() + " gateway: " + gateway.lines();
  }

  @ParameterizedTest
  @EnumSource(ReverseProxy.class)
  void anAcceptedRequestReachesTheApplicationWithTheCallersIdentity(ReverseProxy proxy) throws Exception {
    RawHttp.Response r = send(proxy, "GET", "/api/things?x=1", "Authorization", "Bearer " + reader);
    assertThat(r.status()).as(why(proxy)).isEqualTo(200);
    assertThat(received).singleElement().satisfies(seen -> assertThat(seen)
        .containsEntry("path", "/api/things").containsEntry("x-auth-subject", "alice")
        .containsEntry("x-auth-permissions", "orders:read").containsEntry("x-auth-email", "alice@example.com"));
  }

  @ParameterizedTest
  @EnumSource(ReverseProxy.class)
  void withoutATokenThe401AndItsChallengeReachTheClientAndNothingTheApplication(ReverseProxy proxy) throws Exception {
    RawHttp.Response r = send(proxy, "GET", "/api/things");
    assertThat(r.status()).as(why(proxy)).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate")).isEqualTo(dev.tokenguard.it.ScenarioCatalogue.MISSING_TOKEN_CHALLENGE);
    RawHttp.Response forged = send(proxy, "GET", "/api/things", "Authorization", "Bearer " + reader + "x");
    assertThat(forged.status()).isEqualTo(401);
    assertThat(forged.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
    assertThat(received).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ReverseProxy.class)
  void aDpopBoundTokenPassesWithAProofForTheProxysUrlAndItsReplayIsRefused(ReverseProxy proxy) throws Exception {
    try (JoseSigner jose = new JoseSigner()) {
      JoseSigner.KeyPair key = jose.keys("ES256", "client");
      String token = idp.oidcToken("alice", Map.of("cnf", Map.of("jkt", jose.thumbprint(key.publicJwk())),
          "permissions", List.of("orders:read")));
      // the client addresses the proxy; the proxy tells the gateway that origin (X-Forwarded-Proto and -Host)
      String url = "http://127.0.0.1:" + proxies.get(proxy).port() + "/api/things";
      String proof = jose.proof(key, "GET", url, token, Map.of());
      RawHttp.Response r = send(proxy, "GET", "/api/things?page=1", "Authorization", "DPoP " + token, "DPoP", proof);
      assertThat(r.status()).as(why(proxy)).isEqualTo(200);
      assertThat(received).singleElement().satisfies(seen -> assertThat(seen).containsEntry("x-auth-subject", "alice"));
      RawHttp.Response replay = send(proxy, "GET", "/api/things", "Authorization", "DPoP " + token, "DPoP", proof);
      assertThat(replay.status()).isEqualTo(401);
      assertThat(replay.header("WWW-Authenticate")).contains("error=\"invalid_dpop_proof\"", "used before");
      RawHttp.Response asBearer = send(proxy, "GET", "/api/things", "Authorization", "Bearer " + token);
      assertThat(asBearer.status()).isEqualTo(401);
      assertThat(received).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(ReverseProxy.class)
  void aMissingPermissionIs403WithItsScopeAndTheRightOneIsLetThrough(ReverseProxy proxy) throws Exception {
    RawHttp.Response r = send(proxy, "GET", "/api/admin/stats", "Authorization", "Bearer " + reader);
    assertThat(r.status()).as(why(proxy)).isEqualTo(403);
    assertThat(r.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"", "scope=\"admin:write\"");
    assertThat(received).isEmpty();
    assertThat(send(proxy, "GET", "/api/admin/stats", "Authorization", "Bearer " + admin).status()).isEqualTo(200);
    assertThat(received).singleElement().satisfies(seen -> assertThat(seen).containsEntry("x-auth-permissions", "admin:write"));
  }

  @ParameterizedTest
  @EnumSource(ReverseProxy.class)
  void aPublicPathNeedsNoTokenAndCarriesNoIdentity(ReverseProxy proxy) throws Exception {
    assertThat(send(proxy, "GET", "/public/logo.png").status()).as(why(proxy)).isEqualTo(200);
    assertThat(received).singleElement().satisfies(seen -> assertThat(seen).allSatisfy((k, v) -> {
      if (!k.equals("path")) {
        assertThat(v).as(k).isEmpty();
      }
    }));
  }

  @ParameterizedTest
  @EnumSource(ReverseProxy.class)
  void aSpoofedIdentityHeaderNeverReachesTheApplicationInAnySpelling(ReverseProxy proxy) throws Exception {
    for (String header : List.of("X-Auth-Subject", "x-auth-subject", "X_Auth_Subject", "X-AUTH_SUBJECT", "X_Auth_Roles",
        "X-Auth-Permissions", "X_Auth_Email", "X-HTTP-Method-Override", "X_HTTP_Method_Override")) {
      for (String token : new String[] {reader, null}) {
        List<String> h = new ArrayList<>(List.of(header, "root"));
        if (token != null) {
          h.addAll(List.of("Authorization", "Bearer " + token));
        }
        for (String path : List.of("/api/things", "/public/x")) {
          RawHttp.Response r = send(proxy, "GET", path, h.toArray(String[]::new));
          assertThat(r.status()).as("%s %s %s", header, path, why(proxy)).isLessThan(500);
        }
      }
    }
    assertThat(received).as("nginx drops headers with '_' before anyone sees them; what does reach the application"
        + " carries no value the client chose").allSatisfy(seen -> assertThat(String.join(",", seen.values())).doesNotContain("root"));
  }

  @ParameterizedTest
  @EnumSource(ReverseProxy.class)
  void anAmbiguousPathIsRefusedAndNeverReachesTheApplication(ReverseProxy proxy) throws Exception {
    for (String path : List.of("/public/../api/admin/stats", "/public/%2e%2e/api/admin/stats", "/public/..%2fapi/admin/stats",
        "/public;x/../api/admin/stats", "//api/admin/stats", "/api/admin%2fstats")) {
      RawHttp.Response r = send(proxy, "GET", path, "Authorization", "Bearer " + reader);
      assertThat(r.status()).as("%s %s", path, why(proxy)).isIn(400, 403, 404);
    }
    assertThat(received).as("an ambiguous path is judged by no one and served by no one").isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ReverseProxy.class)
  void theApplicationReceivesTheRawPathTokenGuardJudged(ReverseProxy proxy) throws Exception {
    RawHttp.Response r = send(proxy, "GET", "/api/%61dmin/stats", "Authorization", "Bearer " + reader);
    assertThat(r.status()).as("an escaped 'a' is still /api/admin: " + why(proxy)).isEqualTo(403);
    assertThat(send(proxy, "GET", "/API/Admin/stats", "Authorization", "Bearer " + reader).status())
        .as("paths.case-insensitive defaults to true with --forward-auth").isEqualTo(403);
    assertThat(received).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ReverseProxy.class)
  void expiredWrongAudienceUnknownKeyAndBlockedUserAre401WithTheirDescription(ReverseProxy proxy) throws Exception {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put(idp.oidcToken("alice", TestIdentityProviders.AUDIENCE, Map.of(), -3600), "the token expired at ");
    cases.put(idp.oidcToken("alice", "another-api", Map.of(), 3600), "the audience (aud) is [another-api]");
    cases.put(idp.rotatingToken(TestKeys.RSA_2.withKid("never-published")), "no key with kid 'never-published'");
    cases.put(idp.oidcToken(TestIdentityProviders.BLOCKED_USER, Map.of()), "is blocked at the identity provider");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      RawHttp.Response r = send(proxy, "GET", "/api/me", "Authorization", "Bearer " + c.getKey());
      assertThat(r.status()).as(c.getValue() + " " + why(proxy)).isEqualTo(401);
      assertThat(r.header("WWW-Authenticate")).contains("error=\"invalid_token\"", c.getValue());
    }
    assertThat(received).isEmpty();
  }

  /** One test over both proxies: once the issuer is back, its keys stay cached and it cannot be "down" again. */
  @Test
  void anIssuerDownIs503WithRetryAfterNeverA401AndRecovers() throws Exception {
    idp.outage.mode(JwksServer.Mode.DOWN);
    for (ReverseProxy proxy : ReverseProxy.values()) {
      RawHttp.Response down = send(proxy, "GET", "/api/me", "Authorization", "Bearer " + idp.outageToken());
      assertThat(down.status()).as(why(proxy)).isEqualTo(503);
      assertThat(down.header("Retry-After")).as("the proxy passes TokenGuard's Retry-After").isNotNull();
      assertThat(down.header("WWW-Authenticate")).isNull();
    }
    idp.outage.mode(JwksServer.Mode.OK);
    for (ReverseProxy proxy : ReverseProxy.values()) {
      RawHttp.Response up = send(proxy, "GET", "/api/me", "Authorization", "Bearer " + idp.outageToken());
      for (int i = 0; i < 50 && up.status() != 200; i++) {
        Thread.sleep(200);
        up = send(proxy, "GET", "/api/me", "Authorization", "Bearer " + idp.outageToken());
      }
      assertThat(up.status()).as(why(proxy)).isEqualTo(200);
    }
    assertThat(received).hasSize(2);
  }

  @ParameterizedTest
  @EnumSource(ReverseProxy.class)
  void opaqueTokensPassAndFailAsTheirJwtTwins(ReverseProxy proxy) throws Exception {
    RawHttp.Response ok = send(proxy, "GET", "/api/me", "Authorization", "Bearer "
        + idp.opaqueToken("dana", TestIdentityProviders.AUDIENCE, "orders:read", 3600));
    assertThat(ok.status()).as(why(proxy)).isEqualTo(200);
    assertThat(received).singleElement().satisfies(seen -> assertThat(seen).containsEntry("x-auth-subject", "dana"));
    assertThat(send(proxy, "GET", "/api/admin/users", "Authorization", "Bearer "
        + idp.opaqueToken("dana", TestIdentityProviders.AUDIENCE, "orders:read", 3600)).status()).isEqualTo(403);
    assertThat(send(proxy, "GET", "/api/me", "Authorization", "Bearer op_" + "0".repeat(32)).status()).isEqualTo(401);
  }
}
