package dev.tokenguard.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.testing.FakeClock;
import dev.tokenguard.testing.FakeRequest;
import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Forward authentication ({@link TokenGuard#checkForwarded}): the original request named by the proxy's headers is
 * judged exactly as a direct one, and every way a client could choose what is judged is refused.
 */
class ForwardedRequestTest {
  static final String AUDIENCE = "api://orders";
  final FakeClock clock = FakeClock.at("2026-11-23T10:00:00Z");
  JwksServer idp;
  TokenGuard guard;

  @BeforeEach
  void start() {
    idp = new JwksServer().keys(TestKeys.RSA);
    guard = TokenGuard.create(TokenGuardConfig.builder().properties(OutcomesTest.props(
        "issuer", idp.issuer(), "jwks-uri", idp.jwksUri(), "audience", AUDIENCE, "realm", "orders",
        "public-paths", "/public/**", "allow-query-token", "true",
        "rule.write.paths", "/api/orders/**", "rule.write.methods", "POST,DELETE", "rule.write.permissions", "orders:write",
        "rule.admin.paths", "/api/admin/**", "rule.admin.permissions", "admin")).clock(clock).build(), Runnable::run);
  }

  @AfterEach
  void stop() {
    guard.close();
    idp.close();
  }

  String token(String... permissions) {
    return TestTokens.valid(idp.issuer(), AUDIENCE, clock.instant()).claim("permissions", List.of(permissions))
        .sign("RS256", TestKeys.RSA);
  }

  /** What nginx's auth_request sends: its own GET to the auth path, the original in X-Original-*. */
  static FakeRequest nginx(String method, String uri) {
    return FakeRequest.get("/_tokenguard/auth").header("X-Original-Method", method).header("X-Original-URI", uri);
  }

  /** What Caddy's forward_auth sends. */
  static FakeRequest caddy(String method, String uri) {
    return FakeRequest.get("/_tokenguard/auth").header("X-Forwarded-Method", method).header("X-Forwarded-Uri", uri)
        .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "shop.example.com");
  }

  Decision check(FakeRequest r) {
    return guard.checkForwarded(r, r.headerNames(), IdentityHeaders.TOKENGUARD);
  }

  static Outcome denied(Decision d) {
    assertThat(d.allowed()).as("allowed").isFalse();
    return d.outcome().orElseThrow();
  }

  @Test
  void theOriginalMethodAndPathAreJudgedNotTheProxysOwn() {
    assertThat(check(nginx("GET", "/api/orders/7").bearer(token())).principal()).isPresent();
    Outcome o = denied(check(nginx("DELETE", "/api/orders/7").bearer(token())));
    assertThat(o.status()).isEqualTo(403);
    assertThat(o.challenge()).contains("error=\"insufficient_scope\"", "scope=\"orders:write\"");
    assertThat(check(caddy("DELETE", "/api/orders/7?x=1").bearer(token("orders:write"))).allowed()).isTrue();
    assertThat(denied(check(caddy("GET", "/api/admin/stats").bearer(token()))).status()).isEqualTo(403);
    assertThat(denied(check(caddy("GET", "/api/me"))).challenge()).isEqualTo("Bearer realm=\"orders\"");
    Decision open = check(nginx("GET", "/public/logo.png"));
    assertThat(open.allowed()).isTrue();
    assertThat(open.principal()).isEmpty();
  }

  @Test
  void aQueryTokenIsReadFromTheOriginalUri() {
    assertThat(check(nginx("GET", "/api/orders?access_token=" + token())).principal()).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/public/../api/admin/stats", "/public/%2e%2e/api/admin/stats", "//api/admin/stats",
      "/public;/../api/admin", "/api/admin%2Fstats", "api/admin", "http://evil/api/admin", "/api/admin#x", ""})
  void anAmbiguousOrNonPathOriginalUriIs400(String uri) {
    Outcome o = denied(check(nginx("GET", uri).bearer(token())));
    assertThat(o.status()).as(uri).isEqualTo(400);
    assertThat(o.challenge()).contains("error=\"invalid_request\"");
  }

  @Test
  void aClientCannotChooseWhatIsJudged() {
    // nginx sets X-Original-*; a client adding Caddy's names (or the other way round) makes the request ambiguous
    Outcome twice = denied(check(nginx("GET", "/api/admin/stats").header("X-Forwarded-Uri", "/public/x").bearer(token())));
    assertThat(twice.status()).isEqualTo(400);
    assertThat(twice.body()).contains("names the original request twice");
    assertThat(denied(check(caddy("GET", "/api/admin/stats").header("X-Original-URI", "/public/x"))).status()).isEqualTo(400);
    assertThat(denied(check(nginx("GET", "/api/admin/stats").header("X-Original-URI", "/public/x"))).body())
        .contains("expected one X-Original-URI header, but found 2");
    assertThat(denied(check(FakeRequest.get("/_tokenguard/auth").bearer(token()))).body())
        .contains("the proxy did not name the original request");
    assertThat(denied(check(FakeRequest.get("/x").header("X-Original-URI", "/public/x"))).body())
        .as("half a convention").contains("expected one X-Original-Method header, but found 0");
    assertThat(denied(check(nginx("GET /api HTTP/1.1\r\nX: y", "/public/x"))).body()).contains("is not an HTTP method");
  }

  @ParameterizedTest
  @ValueSource(strings = {"X-Auth-Subject", "x-auth-roles", "X_Auth_Permissions", "X-AUTH_EMAIL", "X-HTTP-Method-Override",
      "x_http_method", "X-Forwarded-User", "x_auth_request_groups", "X-Forwarded-Preferred-Username"})
  void anIdentityOrMethodOverrideHeaderInAnySpellingIs400(String header) {
    Outcome o = denied(check(nginx("GET", "/api/orders").bearer(token()).header(header, "root")));
    assertThat(o.status()).isEqualTo(400);
    assertThat(o.body()).contains("which only the gateway sets");
  }

  @Test
  void identityHeadersAreAllSetEvenWhenEmpty() {
    Map<String, String> h = IdentityHeaders.TOKENGUARD.answer(check(nginx("GET", "/api/orders").bearer(token("b", "a"))).principal().orElseThrow());
    assertThat(h).containsOnlyKeys(IdentityHeaders.TOKENGUARD.names()).containsEntry("X-Auth-Email", "");
    assertThat(h.get("X-Auth-Permissions")).as("sorted, space-separated").startsWith("a b ");
    assertThat(IdentityHeaders.TOKENGUARD.upstream(null)).containsOnlyKeys(IdentityHeaders.TOKENGUARD.names())
        .allSatisfy((k, v) -> assertThat(v).isEmpty());
  }

  @Test
  void corsPreflightsPassOnlyWhenConfiguredAndOnlyAsPreflights() {
    FakeRequest preflight = FakeRequest.of("OPTIONS", "/api/orders/7").header("Origin", "https://shop.example.com")
        .header("Access-Control-Request-Method", "DELETE");
    assertThat(denied(guard.check(preflight)).status()).as("cors-preflight=authenticate by default").isEqualTo(401);
    guard.close();
    guard = TokenGuard.create(TokenGuardConfig.builder().properties(OutcomesTest.props("issuer", idp.issuer(), "jwks-uri",
        idp.jwksUri(), "audience", AUDIENCE, "cors-preflight", "pass", "rule.write.paths", "/api/orders/**",
        "rule.write.permissions", "orders:write")).clock(clock).build(), Runnable::run);
    Decision passed = guard.check(preflight);
    assertThat(passed.allowed()).isTrue();
    assertThat(passed.principal()).isEmpty();
    assertThat(denied(guard.check(FakeRequest.of("OPTIONS", "/api/orders/7").header("Access-Control-Request-Method", "DELETE")))
        .status()).as("no Origin: not a preflight").isEqualTo(401);
    assertThat(denied(guard.check(FakeRequest.of("OPTIONS", "/api/orders/7").header("Origin", "https://x"))).status())
        .as("no Access-Control-Request-Method: not a preflight").isEqualTo(401);
    assertThat(denied(guard.check(FakeRequest.of("DELETE", "/api/orders/7").header("Origin", "https://x")
        .header("Access-Control-Request-Method", "DELETE"))).status()).as("only OPTIONS").isEqualTo(401);
    assertThat(denied(guard.check(FakeRequest.of("OPTIONS", "/public/../api/orders").header("Origin", "https://x")
        .header("Access-Control-Request-Method", "DELETE"))).status()).as("the firewall first").isEqualTo(400);
    assertThat(check(nginx("OPTIONS", "/api/orders/7").header("Origin", "https://x").header("Access-Control-Request-Method", "PUT"))
        .allowed()).as("through forward authentication too").isTrue();
  }
}
