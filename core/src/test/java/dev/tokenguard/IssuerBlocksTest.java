package dev.tokenguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenguard.http.Decision;
import dev.tokenguard.testing.ApiServer;
import dev.tokenguard.testing.ApiServer.Answer;
import dev.tokenguard.testing.FakeClock;
import dev.tokenguard.testing.FakeRequest;
import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code issuers.<name>.*}: each issuer judged by its own block (audience, algorithms, claim paths, user lookup),
 * unset members taken from the top-level keys, a user lookup never shared between issuers, and every mistake named
 * at start-up by its block key. Two real JWKS servers and two user APIs on loopback.
 */
class IssuerBlocksTest {
  final FakeClock clock = FakeClock.at("2026-12-03T10:00:00Z");
  JwksServer shop;
  JwksServer partner;
  ApiServer shopUsers;
  ApiServer partnerUsers;
  TokenGuard guard;

  @BeforeEach
  void start() {
    shop = new JwksServer().keys(TestKeys.RSA);
    partner = new JwksServer().keys(TestKeys.EC_P256);
    shopUsers = new ApiServer();
    partnerUsers = new ApiServer();
  }

  @AfterEach
  void stop() {
    if (guard != null) {
      guard.close();
    }
    shop.close();
    partner.close();
    shopUsers.close();
    partnerUsers.close();
  }

  /** The shop as the one-issuer shorthand with top-level values, the partner as a block with values of its own. */
  Map<String, String> twoIssuers() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", shop.issuer());
    p.put("jwks-uri", shop.jwksUri());
    p.put("audience", "orders");
    p.put("roles-claims", "realm_access.roles");
    p.put("issuers.partner.url", partner.issuer());
    p.put("issuers.partner.jwks-uri", partner.jwksUri());
    p.put("issuers.partner.audience", "partner-api");
    p.put("issuers.partner.algorithms", "ES256");
    p.put("issuers.partner.roles-claims", "groups");
    return p;
  }

  TokenGuard guard(Map<String, String> p) {
    guard = TokenGuard.builder(TokenGuardConfig.builder().properties(p).clock(clock).tokenCacheEnabled(false).build())
        .refreshExecutor(Runnable::run).build();
    return guard;
  }

  String shopToken(String audience) {
    return TestTokens.valid(shop.issuer(), audience, clock.instant())
        .claim("realm_access", Map.of("roles", List.of("clerk"))).claim("groups", List.of("from-groups")).sign("RS256", TestKeys.RSA);
  }

  String partnerToken(String audience, String alg, TestKeys.TestKey key) {
    return TestTokens.valid(partner.issuer(), audience, clock.instant())
        .claim("realm_access", Map.of("roles", List.of("from-realm"))).claim("groups", List.of("reseller")).sign(alg, key);
  }

  @Test
  void eachIssuerIsJudgedByItsOwnBlock() {
    guard(twoIssuers());
    TokenPrincipal s = guard.validator().validate(shopToken("orders"));
    assertThat(s.roles()).containsExactly("clerk");
    TokenPrincipal p = guard.validator().validate(partnerToken("partner-api", "ES256", TestKeys.EC_P256));
    assertThat(p.roles()).containsExactly("reseller");
    assertThat(p.issuer()).isEqualTo(partner.issuer());
  }

  @Test
  void aTokenWithTheOtherIssuersAudienceIsRefused() {
    guard(twoIssuers());
    assertThatThrownBy(() -> guard.validator().validate(shopToken("partner-api"))).isInstanceOf(InvalidTokenException.class)
        .hasMessageContaining("audience");
    assertThatThrownBy(() -> guard.validator().validate(partnerToken("orders", "ES256", TestKeys.EC_P256)))
        .isInstanceOf(InvalidTokenException.class).hasMessageContaining("audience");
  }

  @Test
  void anAlgorithmAnotherIssuerAcceptsIsRefusedForThisOne() {
    partner.keys(TestKeys.EC_P256, TestKeys.RSA_2);
    guard(twoIssuers());
    assertThatThrownBy(() -> guard.validator().validate(partnerToken("partner-api", "RS256", TestKeys.RSA_2)))
        .isInstanceOf(InvalidTokenException.class).hasMessageContaining("signed with RS256, but only [ES256]");
    assertThat(guard.explain(partnerToken("partner-api", "RS256", TestKeys.RSA_2)).steps())
        .anySatisfy(step -> assertThat(step.name()).isEqualTo("signature"));
  }

  /** The top-level HMAC secret must not verify tokens naming a block's issuer (it would forge that issuer's users). */
  @Test
  void aBlockNeverTakesTheTopLevelSecrets() {
    byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Map<String, String> p = twoIssuers();
    p.put("hmac-secret", new String(secret, java.nio.charset.StandardCharsets.UTF_8));
    p.remove("issuers.partner.algorithms");
    p.put("introspection.client-id", "top-client");
    p.put("introspection.client-secret", "top-secret");
    guard(p);
    String forged = TestTokens.valid(partner.issuer(), "partner-api", clock.instant()).signHmac("HS256", secret);
    assertThatThrownBy(() -> guard.validator().validate(forged)).isInstanceOf(InvalidTokenException.class);
    String shopHmac = TestTokens.valid(shop.issuer(), "orders", clock.instant()).signHmac("HS256", secret);
    assertThat(guard.validator().validate(shopHmac).getName()).as("the top level's own issuer").isEqualTo("user-123");
    IssuerSettings partnerSettings = guard.config().issuer(partner.issuer());
    assertThat(partnerSettings.hmacSecret()).isNull();
    assertThat(partnerSettings.get(TokenGuardConfig.INTROSPECTION_CLIENT_ID)).isNull();
    assertThat(partnerSettings.get(TokenGuardConfig.INTROSPECTION_CLIENT_SECRET)).isNull();
    assertThat(partnerSettings.algorithms()).noneMatch(a -> a.getName().startsWith("HS"));
  }

  @Test
  void anUnsetBlockMemberTakesTheTopLevelValue() {
    Map<String, String> p = twoIssuers();
    p.remove("issuers.partner.audience");
    p.put("clock-skew", "0s");
    guard(p);
    IssuerSettings s = guard.config().issuer(partner.issuer());
    assertThat(s.audiences()).containsExactly("orders");
    assertThat(s.clockSkew()).isEqualTo(Duration.ZERO);
    assertThat(s.rolesClaims()).containsExactly("groups");
    assertThat(guard.validator().validate(partnerToken("orders", "ES256", TestKeys.EC_P256)).getName()).isEqualTo("user-123");
  }

  @Test
  void blocksAloneNeedNoShorthand() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuers.a.url", shop.issuer());
    p.put("issuers.a.jwks-uri", shop.jwksUri());
    p.put("issuers.a.audience", "orders");
    guard(p);
    assertThat(guard.config().issuers()).containsExactly(shop.issuer());
    assertThat(guard.validator().validate(shopToken("orders")).getName()).isEqualTo("user-123");
  }

  /**
   * The same subject at both providers gets each provider's own profile: a block's user lookup answers for its issuer
   * only, and a profile is cached under (issuer, subject).
   */
  @Test
  void eachIssuerHasItsOwnUserLookup() {
    shopUsers.on("GET", "/users/u-1", Answer.json(200, "{\"id\":\"u-1\",\"email\":\"u@shop.example\",\"roles\":[\"shop-admin\"]}"));
    partnerUsers.on("GET", "/users/u-1", Answer.json(200, "{\"id\":\"u-1\",\"email\":\"u@partner.example\",\"roles\":[\"partner-user\"]}"));
    Map<String, String> p = twoIssuers();
    lookup(p, "", shopUsers);
    lookup(p, "issuers.partner.", partnerUsers);
    guard(p);

    Decision s = guard.check(FakeRequest.get("/x").bearer(TestTokens.valid(shop.issuer(), "orders", clock.instant())
        .claim("sub", "u-1").sign("RS256", TestKeys.RSA)));
    Decision q = guard.check(FakeRequest.get("/x").bearer(TestTokens.valid(partner.issuer(), "partner-api", clock.instant())
        .claim("sub", "u-1").sign("ES256", TestKeys.EC_P256)));

    assertThat(s.principal().orElseThrow().profile().orElseThrow().email()).isEqualTo("u@shop.example");
    assertThat(s.principal().orElseThrow().roles()).contains("shop-admin").doesNotContain("partner-user");
    assertThat(q.principal().orElseThrow().profile().orElseThrow().email()).isEqualTo("u@partner.example");
    assertThat(q.principal().orElseThrow().roles()).contains("partner-user").doesNotContain("shop-admin");
    assertThat(shopUsers.count("GET", "/users/u-1")).isEqualTo(1);
    assertThat(partnerUsers.count("GET", "/users/u-1")).isEqualTo(1);
    assertThat(guard.health().checks()).hasSize(4); // two key sets, two user APIs
  }

  @Test
  void aBlockWithoutALookupOfItsOwnGetsNoProfile() {
    shopUsers.on("GET", "/users/u-1", Answer.json(200, "{\"id\":\"u-1\",\"email\":\"u@shop.example\",\"roles\":[\"shop-admin\"]}"));
    Map<String, String> p = twoIssuers();
    lookup(p, "", shopUsers);
    p.put("user-lookup.issuer", shop.issuer());
    guard(p);
    Decision q = guard.check(FakeRequest.get("/x").bearer(TestTokens.valid(partner.issuer(), "partner-api", clock.instant())
        .claim("sub", "u-1").sign("ES256", TestKeys.EC_P256)));
    assertThat(q.principal().orElseThrow().profile()).isEmpty();
    assertThat(q.principal().orElseThrow().roles()).doesNotContain("shop-admin");
    assertThat(shopUsers.count("GET", "/users/u-1")).isZero();
  }

  static void lookup(Map<String, String> p, String prefix, ApiServer api) {
    p.put(prefix + "user-lookup.provider", "generic");
    p.put(prefix + "user-lookup.user-url", api.url() + "/users/{sub}");
    p.put(prefix + "user-lookup.field.id", "id");
    p.put(prefix + "user-lookup.field.email", "email");
    p.put(prefix + "user-lookup.field.roles", "roles");
    p.put(prefix + "user-lookup.max-retries", "0");
  }

  @Test
  void mistakesAreNamedByTheirBlockKey() {
    assertThatThrownBy(() -> config(Map.of("issuers.p.audience", "x")))
        .hasMessage("issuers.p.url: is required: the issuer URL of block p");
    assertThatThrownBy(() -> config(Map.of("issuer", shop.issuer(), "issuers.p.url", shop.issuer())))
        .hasMessage("issuers.p.url: '" + shop.issuer() + "' is already configured by issuer");
    assertThatThrownBy(() -> config(Map.of("issuers.p.url", shop.issuer(), "issuers.p.audiense", "x")))
        .hasMessageStartingWith("issuers.p.audiense: unknown key (did you mean audience?)");
    assertThatThrownBy(() -> config(Map.of("issuers.p.url", shop.issuer(), "issuers.p.realm", "x")))
        .hasMessageStartingWith("issuers.p.realm: cannot differ per issuer");
    assertThatThrownBy(() -> config(Map.of("issuers.p.url", shop.issuer(), "issuers.p.clock-skew", "1h")))
        .hasMessage("issuers.p.clock-skew: must be at most 10m, but was 1h");
    assertThatThrownBy(() -> config(Map.of("issuers.p.url", shop.issuer(), "issuers.p.jwks-uri", shop.jwksUri() + "," + partner.jwksUri())))
        .hasMessage("issuers.p.jwks-uri: expected one URL, but found 2");
    assertThatThrownBy(() -> config(Map.of("issuers.p.url", shop.issuer(), "issuers.p.user-lookup.client-id", "c")))
        .hasMessageStartingWith("issuers.p.user-lookup.provider: is required when issuers.p.user-lookup.client-id is set");
    assertThatThrownBy(() -> config(Map.of("issuers.p.url", shop.issuer(), "issuers.p.user-lookup.provider", "generic")))
        .hasMessage("issuers.p.user-lookup.user-url: is required for issuers.p.user-lookup.provider=generic");
    assertThatThrownBy(() -> config(Map.of("issuers.p.url", shop.issuer(), "issuers.p.algorithms", "HS256")))
        .hasMessage("issuers.p.algorithms: HS256 needs hmac-secret; set it or remove HS256");
    assertThatThrownBy(() -> config(Map.of("issuers.p/q.url", shop.issuer())))
        .hasMessageStartingWith("issuers.p/q.url: expected issuers.<name>.url");
    Map<String, String> both = twoIssuers();
    lookup(both, "", shopUsers);
    lookup(both, "issuers.partner.", partnerUsers);
    both.put("user-lookup.issuer", partner.issuer());
    assertThatThrownBy(() -> config(both)).hasMessage("user-lookup.issuer: names " + partner.issuer()
        + ", which has a user lookup of its own (issuers.partner.user-lookup.*)");
  }

  static TokenGuardConfig config(Map<String, String> p) {
    return TokenGuardConfig.fromProperties(p);
  }
}
