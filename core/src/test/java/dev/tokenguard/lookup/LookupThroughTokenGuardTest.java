package dev.tokenguard.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenGuardConfigException;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.http.Decision;
import dev.tokenguard.http.Outcome;
import dev.tokenguard.testing.ApiServer.Answer;
import dev.tokenguard.testing.FakeRequest;
import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lookup inside the request path: profile on the principal, its outcomes, and never for a bad token. */
class LookupThroughTokenGuardTest extends LookupFixture {
  JwksServer idp;
  TokenGuard guard;

  @BeforeEach
  void start() {
    idp = new JwksServer().keys(TestKeys.RSA);
    api.on("POST", "/realms/shop/protocol/openid-connect/token", ProviderPresetsTest.token("kc", 300));
    Map<String, String> p = new java.util.LinkedHashMap<>(Map.of(
        "issuer", idp.issuer(), "jwks-uri", idp.jwksUri(), "audience", "orders",
        "user-lookup.provider", "keycloak", "user-lookup.base-url", api.url() + "/realms/shop",
        "user-lookup.client-id", "tg", "user-lookup.client-secret", "s",
        "rule.admin.paths", "/admin/**", "rule.admin.permissions", "orders:admin"));
    p.put("user-lookup.max-retries", "0");
    guard = TokenGuard.builder(TokenGuardConfig.builder().properties(p).clock(clock).build())
        .refreshExecutor(Runnable::run).build();
  }

  @AfterEach
  void stop() {
    guard.close();
    idp.close();
    closeServer();
  }

  String token(String subject) {
    return TestTokens.valid(idp.issuer(), "orders", clock.instant()).claim("sub", subject).sign("RS256", TestKeys.RSA);
  }

  void user(String id, boolean enabled, String... roles) {
    api.on("GET", "/admin/realms/shop/users/" + id, Answer.json(200,
        "{\"id\":\"" + id + "\",\"username\":\"u\",\"email\":\"u@example.com\",\"enabled\":" + enabled + "}"));
    StringBuilder r = new StringBuilder("[");
    for (String role : roles) {
      r.append(r.length() > 1 ? "," : "").append("{\"name\":\"").append(role).append("\"}");
    }
    api.on("GET", "/admin/realms/shop/users/" + id + "/role-mappings/realm/composite", Answer.json(200, r + "]"));
  }

  @Test
  void checkWhenUserFoundThenPrincipalCarriesProfileAndMergedRoles() {
    user("u-1", true, "support");
    Decision d = guard.check(FakeRequest.get("/orders/1").bearer(token("u-1")));
    assertThat(d.allowed()).isTrue();
    TokenPrincipal p = d.principal().orElseThrow();
    assertThat(p.profile()).hasValueSatisfying(profile -> assertThat(profile.email()).isEqualTo("u@example.com"));
    assertThat(p.roles()).contains("support");
  }

  /**
   * A user API knows one issuer's subjects: with two issuers, a token of the other one whose sub equals a user's id
   * at the provider must not get that user's profile and roles.
   */
  @Test
  void checkWhenTokenOfAnotherIssuerThenNotLookedUpAndNoRolesMerged() {
    user("u-1", true, "support");
    try (JwksServer other = new JwksServer().keys(TestKeys.RSA_2)) {
      Map<String, String> p = new java.util.LinkedHashMap<>(Map.of(
          "issuer", idp.issuer() + "," + other.issuer(), "jwks-uri", idp.jwksUri() + "," + other.jwksUri(),
          "audience", "orders",
          "user-lookup.provider", "keycloak", "user-lookup.base-url", api.url() + "/realms/shop",
          "user-lookup.client-id", "tg", "user-lookup.client-secret", "s", "user-lookup.max-retries", "0"));
      assertThatThrownBy(() -> TokenGuardConfig.fromProperties(p)).isInstanceOf(TokenGuardConfigException.class)
          .hasMessageStartingWith("user-lookup.issuer: is required with several issuers");
      p.put("user-lookup.issuer", idp.issuer());
      try (TokenGuard two = TokenGuard.builder(TokenGuardConfig.builder().properties(p).clock(clock).build())
          .refreshExecutor(Runnable::run).build()) {
        String foreign = TestTokens.valid(other.issuer(), "orders", clock.instant()).claim("sub", "u-1").sign("RS256", TestKeys.RSA_2);
        Decision d = two.check(FakeRequest.get("/orders/1").bearer(foreign));
        assertThat(d.allowed()).isTrue();
        assertThat(d.principal().orElseThrow().profile()).isEmpty();
        assertThat(d.principal().orElseThrow().roles()).doesNotContain("support");
        assertThat(api.count("GET", "/admin/realms/shop/users/u-1")).isZero();
        assertThat(two.explain(foreign).steps()).last().satisfies(step -> assertThat(step.detail()).contains("not asked"));

        String own = TestTokens.valid(idp.issuer(), "orders", clock.instant()).claim("sub", "u-1").sign("RS256", TestKeys.RSA);
        assertThat(two.check(FakeRequest.get("/orders/1").bearer(own)).principal().orElseThrow().profile()).isPresent();
        assertThat(api.count("GET", "/admin/realms/shop/users/u-1")).isEqualTo(1);
      }
    }
  }

  @Test
  void checkWhenUserDisabledThen401InvalidToken() {
    user("u-2", false);
    Outcome o = guard.check(FakeRequest.get("/orders").bearer(token("u-2"))).outcome().orElseThrow();
    assertThat(o.status()).isEqualTo(401);
    assertThat(o.challenge()).isEqualTo("Bearer error=\"invalid_token\", error_description=\"the user 'u-2' is blocked at the identity provider\"");
  }

  @Test
  void checkWhenUserApiDownThen503WithRetryAfter() {
    api.on("GET", "/admin/realms/shop/users/u-3", Answer.json(502, "bad gateway"));
    Outcome o = guard.check(FakeRequest.get("/orders").bearer(token("u-3"))).outcome().orElseThrow();
    assertThat(o.status()).isEqualTo(503);
    assertThat(o.headers()).containsEntry("Retry-After", "5");
    assertThat(o.body()).contains("the user API of keycloak is unavailable (HTTP 502)");
  }

  @Test
  void checkWhenUserApiStoppedThen503NamesNoInternals() {
    String port = Integer.toString(java.net.URI.create(api.url()).getPort());
    closeServer();
    Outcome o = guard.check(FakeRequest.get("/orders").bearer(token("u-6"))).outcome().orElseThrow();
    assertThat(o.status()).isEqualTo(503);
    assertThat(o.body()).isEqualTo("{\"error\":\"temporarily_unavailable\",\"error_description\":"
        + "\"the user API of keycloak is unavailable (no answer)\"}");
    assertThat(o.body() + " " + o.headers()).doesNotContain("http", "127.0.0.1", port, "Exception", "java.");
  }

  @Test
  void checkWhenTokenInvalidThenUserApiNeverCalled() {
    user("u-4", true);
    String expired = TestTokens.valid(idp.issuer(), "orders", clock.instant()).claim("sub", "u-4")
        .expiredBy(3600, clock.instant()).sign("RS256", TestKeys.RSA);
    assertThat(guard.check(FakeRequest.get("/orders").bearer(expired)).allowed()).isFalse();
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void checkWhenRuleNeedsPermissionNeitherTokenNorProfileGrantsThen403() {
    user("u-5", true, "buyer");
    assertThat(guard.check(FakeRequest.get("/admin/x").bearer(token("u-5"))).outcome().orElseThrow().status()).isEqualTo(403);
  }
}
