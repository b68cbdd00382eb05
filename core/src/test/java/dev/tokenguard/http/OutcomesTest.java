package dev.tokenguard.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenPrincipal;
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
 * One test per row of the DESIGN.md outcomes table, through {@link TokenGuard#check}, the neutral HTTP layer
 * every adapter calls: exact status, exact {@code WWW-Authenticate} and a body without the token.
 */
class OutcomesTest {
  static final String AUDIENCE = "api://orders";

  final FakeClock clock = FakeClock.at("2026-11-23T10:00:00Z");
  JwksServer idp;
  TokenGuard guard;

  @BeforeEach
  void start() {
    idp = new JwksServer().keys(TestKeys.RSA);
    guard = TokenGuard.create(TokenGuardConfig.builder().properties(props(
        "issuer", idp.issuer(),
        "jwks-uri", idp.jwksUri(),
        "audience", AUDIENCE,
        "realm", "orders",
        "public-paths", "/health,/public/**",
        "rule.write.paths", "/api/orders/**",
        "rule.write.methods", "POST,DELETE",
        "rule.write.permissions", "orders:write",
        "rule.admin.paths", "/api/admin/**",
        "rule.admin.permissions", "admin,root",
        "rule.admin.match", "any")).clock(clock).build(), Runnable::run);
  }

  static Map<String, String> props(String... kv) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @AfterEach
  void stop() {
    guard.close();
    idp.close();
  }

  String token(String... permissions) {
    return TestTokens.valid(idp.issuer(), AUDIENCE, clock.instant())
        .claim("permissions", List.of(permissions))
        .sign("RS256", TestKeys.RSA);
  }

  Outcome denied(FakeRequest request) {
    Decision d = guard.check(request);
    assertThat(d.allowed()).as("allowed").isFalse();
    return d.outcome().orElseThrow();
  }

  @Test
  void noTokenOnProtectedPathThen401WithBareRealmChallenge() {
    Outcome o = denied(FakeRequest.get("/api/orders"));
    assertThat(o.status()).isEqualTo(401);
    assertThat(o.challenge()).isEqualTo("Bearer realm=\"orders\"");
    assertThat(o.headers()).containsEntry("Cache-Control", "no-store");
    assertThat(o.body()).isEqualTo("{\"error\":\"unauthorized\",\"error_description\":\"a bearer token is required\"}");
  }

  @Test
  void noTokenWithoutRealmThenBareBearer() {
    assertThat(Outcome.missingToken(Outcome.Challenges.bearer(null)).challenge()).isEqualTo("Bearer");
  }

  @Test
  void badTokenThen401InvalidToken() {
    String expired = TestTokens.valid(idp.issuer(), AUDIENCE, clock.instant()).expiredBy(3600, clock.instant())
        .sign("RS256", TestKeys.RSA);
    Outcome o = denied(FakeRequest.get("/api/orders").bearer(expired));
    assertThat(o.status()).isEqualTo(401);
    assertThat(o.challenge()).startsWith("Bearer realm=\"orders\", error=\"invalid_token\", error_description=\"the token expired at 2026-11-23T09:00:00Z");
    assertThat(o.body()).startsWith("{\"error\":\"invalid_token\",\"error_description\":\"the token expired");
    assertThat(o.body() + o.challenge()).doesNotContain(expired.substring(expired.lastIndexOf('.') + 1));
  }

  @Test
  void wrongAudienceThen401NamingExpectedAndFound() {
    String t = TestTokens.valid(idp.issuer(), "api://billing", clock.instant()).sign("RS256", TestKeys.RSA);
    assertThat(denied(FakeRequest.get("/api/x").bearer(t)).challenge())
        .isEqualTo("Bearer realm=\"orders\", error=\"invalid_token\", error_description=\"the audience (aud) is "
            + "[api://billing], expected one of [api://orders]\"");
  }

  @Test
  void malformedRequestThen400InvalidRequest() {
    Outcome o = denied(FakeRequest.get("/api/orders").bearer("a.b.c").bearer("a.b.c"));
    assertThat(o.status()).isEqualTo(400);
    assertThat(o.challenge()).isEqualTo("Bearer realm=\"orders\", error=\"invalid_request\", "
        + "error_description=\"the request has 2 Authorization headers; expected one\"");
  }

  @Test
  void missingPermissionThen403InsufficientScopeWithScope() {
    Outcome o = denied(FakeRequest.of("POST", "/api/orders/1").bearer(token("orders:read")));
    assertThat(o.status()).isEqualTo(403);
    assertThat(o.challenge()).startsWith("Bearer realm=\"orders\", error=\"insufficient_scope\", error_description=\"rule 'write' requires all of [orders:write]")
        .endsWith(", scope=\"orders:write\"");
  }

  @Test
  void anyOfRuleThenOnePermissionIsEnough() {
    assertThat(guard.check(FakeRequest.get("/api/admin/users").bearer(token("root"))).allowed()).isTrue();
    Outcome o = denied(FakeRequest.get("/api/admin/users").bearer(token("orders:write")));
    assertThat(o.challenge()).endsWith("scope=\"admin root\"");
  }

  @Test
  void keysUnavailableThen503WithRetryAfterAndNoChallenge() {
    idp.mode(JwksServer.Mode.ERROR_500);
    Outcome o = denied(FakeRequest.get("/api/orders").bearer(token()));
    assertThat(o.status()).isEqualTo(503);
    assertThat(o.headers()).containsEntry("Retry-After", "30").doesNotContainKey("WWW-Authenticate");
    assertThat(o.body()).startsWith("{\"error\":\"temporarily_unavailable\"");
  }

  @Test
  void validTokenWithPermissionThenAllowedWithPrincipal() {
    Decision d = guard.check(FakeRequest.of("POST", "/api/orders/1").bearer(token("orders:write")));
    assertThat(d.allowed()).isTrue();
    assertThat(d.principal()).map(TokenPrincipal::getName).contains("user-123");
  }

  @Test
  void ruleMethodsLimitWhereItApplies() {
    assertThat(guard.check(FakeRequest.get("/api/orders/1").bearer(token())).allowed()).isTrue();
  }

  @Test
  void publicPathThenAllowedWithoutTokenAndWithoutPrincipal() {
    Decision d = guard.check(FakeRequest.get("/public/logo.png"));
    assertThat(d.allowed()).isTrue();
    assertThat(d.principal()).isEmpty();
    assertThat(guard.check(FakeRequest.get("/health")).allowed()).isTrue();
    assertThat(guard.check(FakeRequest.get("/healthz")).allowed()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/%6Frders/1", "/api/%6frders/1", "/%61pi/orders/1"})
  void ruleWhenPathSpelledWithEscapesOfUnreservedCharactersThenStillApplies(String path) {
    Outcome o = denied(FakeRequest.of("DELETE", path).bearer(token("orders:read")));
    assertThat(o.status()).isEqualTo(403);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api//orders/1", "/api/./orders/1", "/api/x/../orders/1", "/api/orders;x=y/1",
      "/public/../api/orders/1", "/public/%2e%2e/api/orders/1", "/public%2F..%2Fapi/orders/1", "/public\\..\\api"})
  void pathWhenAmbiguousThen400BeforeAnyRuleOrPublicPath(String path) {
    Outcome withToken = denied(FakeRequest.of("DELETE", path).bearer(token("orders:read", "orders:write")));
    assertThat(withToken.status()).isEqualTo(400);
    assertThat(withToken.challenge()).contains("error=\"invalid_request\"");
    assertThat(denied(FakeRequest.get(path)).status()).isEqualTo(400);
  }

  @Test
  void pathEscapingRootThen400() {
    assertThat(denied(FakeRequest.get("/public/%2e%2e/%2e%2e/etc")).status()).isEqualTo(400);
  }

  @Test
  void descriptionIsRestrictedToRfc6750CharactersAndLength() {
    assertThat(Outcome.sanitise("a\"b\\c\u00e9\nd" + "x".repeat(400))).startsWith("a'b/c??d").hasSize(Outcome.MAX_DESCRIPTION);
  }

  /** {@link TokenGuard.Mode#AUTHENTICATE}: the host's own rules decide about anonymous callers; the rest holds. */
  @Test
  void whenTheHostAuthorizesAnonymousCallersPassButBadTokensRulesAndTheFirewallStillRefuse() {
    TokenGuard.Mode host = TokenGuard.Mode.AUTHENTICATE;
    Decision anonymous = guard.complete(guard.preflight(FakeRequest.get("/api/orders"), host));
    assertThat(anonymous.allowed()).isTrue();
    assertThat(anonymous.principal()).isEmpty();

    String expired = TestTokens.valid(idp.issuer(), AUDIENCE, clock.instant().minusSeconds(7200)).sign("RS256", TestKeys.RSA);
    Decision bad = guard.complete(guard.preflight(FakeRequest.get("/public/page").bearer(expired), host));
    assertThat(bad.outcome().orElseThrow().status()).as("public-paths are not consulted: the token is checked").isEqualTo(401);

    Decision ruledAnonymous = guard.complete(guard.preflight(FakeRequest.of("POST", "/api/orders/1"), host));
    assertThat(ruledAnonymous.outcome().orElseThrow().challenge()).isEqualTo("Bearer realm=\"orders\"");
    Decision ruled = guard.complete(guard.preflight(FakeRequest.of("POST", "/api/orders/1").bearer(token("orders:read")), host));
    assertThat(ruled.outcome().orElseThrow().status()).isEqualTo(403);
    assertThat(guard.complete(guard.preflight(FakeRequest.of("POST", "/api/orders/1").bearer(token("orders:write")), host))
        .principal()).isPresent();

    Decision ambiguous = guard.complete(guard.preflight(FakeRequest.get("/public/..%2fapi/orders"), host));
    assertThat(ambiguous.outcome().orElseThrow().status()).isEqualTo(400);
  }
}
