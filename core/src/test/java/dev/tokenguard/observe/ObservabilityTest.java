package dev.tokenguard.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.HealthReport;
import dev.tokenguard.RejectionReason;
import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.http.Decision;
import dev.tokenguard.testing.ApiServer.Answer;
import dev.tokenguard.testing.ApiServer;
import dev.tokenguard.testing.FakeClock;
import dev.tokenguard.testing.FakeRequest;
import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.LogCapture;
import dev.tokenguard.testing.TestFiles;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Meters, listener events and health after a scripted sequence of requests, against a JWKS server and a
 * user API (Keycloak preset) on loopback.
 */
class ObservabilityTest {
  final FakeClock clock = FakeClock.at("2026-11-23T10:00:00Z");
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final ApiServer api = new ApiServer();
  JwksServer idp;
  TokenGuard guard;
  String issuer;

  @BeforeEach
  void start() {
    idp = new JwksServer().keys(TestKeys.RSA);
    issuer = idp.issuer();
    api.on("POST", "/realms/shop/protocol/openid-connect/token",
        Answer.json(200, "{\"access_token\":\"mgmt\",\"token_type\":\"Bearer\",\"expires_in\":300}"));
    guard = guard(new TokenGuardMetrics(registry));
  }

  TokenGuard guard(TokenGuardListener... listeners) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", issuer);
    p.put("jwks-uri", idp.jwksUri());
    p.put("audience", "orders");
    p.put("jwks.cache-ttl", "5m");
    p.put("jwks.min-refetch-interval", "30s");
    p.put("user-lookup.provider", "keycloak");
    p.put("user-lookup.base-url", api.url() + "/realms/shop");
    p.put("user-lookup.client-id", "tg");
    p.put("user-lookup.client-secret", "s3cret-value-123");
    p.put("user-lookup.max-retries", "1");
    p.put("rule.admin.paths", "/admin/**");
    p.put("rule.admin.permissions", "orders:admin");
    TokenGuard.Builder b = TokenGuard.builder(TokenGuardConfig.builder().properties(p).clock(clock).build())
        .refreshExecutor(Runnable::run);
    for (TokenGuardListener l : listeners) {
      b.listener(l);
    }
    return b.build();
  }

  @AfterEach
  void stop() {
    guard.close();
    idp.close();
    api.close();
  }

  void user(String id, Answer... answers) {
    api.on("GET", "/admin/realms/shop/users/" + id, answers);
    api.on("GET", "/admin/realms/shop/users/" + id + "/role-mappings/realm/composite", Answer.json(200, "[]"));
  }

  static Answer profile(String id) {
    return Answer.json(200, "{\"id\":\"" + id + "\",\"username\":\"u\",\"enabled\":true}");
  }

  TestTokens token(String subject) {
    return TestTokens.valid(issuer, "orders", clock.instant()).claim("sub", subject);
  }

  Decision get(String path, String token) {
    FakeRequest r = FakeRequest.get(path);
    return guard.check(token == null ? r : r.bearer(token));
  }

  double validations(String outcome, String reason, String issuerTag) {
    return Search.in(registry).name("tokenguard.validations")
        .tags("outcome", outcome, "reason", reason, "issuer", issuerTag).counter().count();
  }

  double counter(String name, String... tags) {
    var c = Search.in(registry).name(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  long timerCount(String name, String... tags) {
    var t = Search.in(registry).name(name).tags(tags).timer();
    return t == null ? 0 : t.count();
  }

  double gauge(String name) {
    return Search.in(registry).name(name).tags("issuer", issuer).gauge().value();
  }

  @Test
  void scriptedRequestsThenEveryMeterCountsWhatHappened() throws Exception {
    user("u-1", profile("u-1"));
    String good = token("u-1").sign("RS256", TestKeys.RSA);
    assertThat(get("/orders", good).allowed()).isTrue();
    assertThat(get("/orders", good).allowed()).isTrue(); // token cache and profile cache hits
    get("/orders", token("u-1").expiredBy(3600, clock.instant()).sign("RS256", TestKeys.RSA));
    get("/orders", token("u-1").claim("aud", "billing").sign("RS256", TestKeys.RSA));
    get("/orders", TestTokens.valid("https://evil.example/", "orders", clock.instant()).claim("sub", "x").sign("RS256", TestKeys.RSA));
    get("/orders", null);
    get("/orders", "not-a-jwt");
    get("/orders", token("u-1").sign("RS256", TestKeys.RSA_2)); // kid rsa-2 unknown; refetch refused for 30 s
    TestTokens forged = token("u-1");
    get("/orders", forged.signRaw("RS256", "rsa-1", forged.encodedClaims(), TestKeys.RSA_2.pair().getPrivate()));
    get("/admin/users", good); // valid, but the rule needs orders:admin
    user("u-2", Answer.json(429, "{\"error\":\"slow down\"}").withHeader("Retry-After", "0"), profile("u-2"));
    assertThat(get("/orders", token("u-2").sign("RS256", TestKeys.RSA)).allowed()).isTrue();
    assertThat(get("/public-is-not-configured", null).allowed()).isFalse();

    assertThat(validations("allowed", "none", issuer)).isEqualTo(3);
    assertThat(validations("rejected", "expired", issuer)).isEqualTo(1);
    assertThat(validations("rejected", "wrong_audience", issuer)).isEqualTo(1);
    assertThat(validations("rejected", "wrong_issuer", "none")).isEqualTo(1); // never the attacker's iss
    assertThat(validations("rejected", "missing_token", "none")).isEqualTo(2);
    assertThat(validations("rejected", "malformed", "none")).isEqualTo(1);
    assertThat(validations("rejected", "unknown_key", issuer)).isEqualTo(1);
    assertThat(validations("rejected", "bad_signature", issuer)).isEqualTo(1);
    assertThat(validations("rejected", "forbidden", issuer)).isEqualTo(1);
    assertThat(Search.in(registry).name("tokenguard.validations").tag("issuer", "https://evil.example/").counters()).isEmpty();

    // every request with a token asks the cache; the forbidden one reuses the verified good token
    assertThat(counter("tokenguard.token_cache.requests", "result", "hit")).isEqualTo(2); // good twice more
    assertThat(counter("tokenguard.token_cache.requests", "result", "miss")).isEqualTo(8);

    assertThat(timerCount("tokenguard.jwks.fetches", "issuer", issuer, "result", "success")).isEqualTo(1);
    assertThat(timerCount("tokenguard.jwks.fetches", "issuer", issuer, "result", "failure")).isZero();
    assertThat(counter("tokenguard.jwks.refetches.skipped", "issuer", issuer)).isEqualTo(1);
    assertThat(gauge("tokenguard.jwks.keys")).isEqualTo(1);
    clock.advance(Duration.ofSeconds(90));
    assertThat(gauge("tokenguard.jwks.age")).isEqualTo(90);
    assertThat(gauge("tokenguard.jwks.stale")).isZero();

    assertThat(counter("tokenguard.user_lookup.requests", "provider", "keycloak", "result", "miss")).isEqualTo(2);
    assertThat(counter("tokenguard.user_lookup.requests", "provider", "keycloak", "result", "hit")).isEqualTo(2);
    assertThat(counter("tokenguard.user_api.retries", "provider", "keycloak", "status", "429")).isEqualTo(1);
    assertThat(timerCount("tokenguard.user_api.calls", "provider", "keycloak", "status", "429")).isEqualTo(1);
    // token endpoint once; u-1 profile + roles; u-2 profile (after the 429) + roles
    assertThat(timerCount("tokenguard.user_api.calls", "provider", "keycloak", "status", "200")).isEqualTo(5);
    assertThat(TestFiles.readme()).as("the README lists every meter").contains(registry.getMeters().stream()
        .map(m -> "`" + m.getId().getName() + "`").distinct().toList());
  }

  @Test
  void jwksEndpointDiesThenHealthDownStaleServedAndBackUpWhenItReturns() {
    user("u-1", profile("u-1"));
    String good = token("u-1").sign("RS256", TestKeys.RSA);
    HealthReport first = guard.health(); // a health check fetches the keys when none are cached
    assertThat(first.up()).isTrue();
    assertThat(first.checks()).extracting(HealthReport.Check::name).containsExactly("jwks " + issuer, "user-api keycloak");
    assertThat(first.checks().get(0).details()).containsEntry("keys", 1).containsEntry("jwksUri", idp.jwksUri());
    assertThat(first.checks().get(1).details()).containsEntry("cachedProfiles", 0L);
    assertThat(get("/orders", good).allowed()).isTrue();
    assertThat(guard.health().checks().get(1).details()).as("the profile looked up is cached").containsEntry("cachedProfiles", 1L);

    idp.mode(JwksServer.Mode.ERROR_500);
    clock.advance(Duration.ofMinutes(6)); // past the 5 min TTL
    HealthReport down = guard.health();
    assertThat(down.up()).isFalse();
    assertThat(down.checks().get(0).up()).isFalse();
    assertThat(String.valueOf(down.checks().get(0).details().get("lastFailure"))).contains("500");
    assertThat(timerCount("tokenguard.jwks.fetches", "issuer", issuer, "result", "failure")).isEqualTo(1);
    assertThat(gauge("tokenguard.jwks.stale")).isEqualTo(1);
    assertThat(get("/orders", good).allowed()).as("stale keys still serve").isTrue();

    idp.mode(JwksServer.Mode.OK);
    assertThat(guard.health().up()).as("within min-refetch-interval nothing is fetched").isFalse();
    clock.advance(Duration.ofSeconds(31));
    assertThat(guard.health().up()).isTrue();
    assertThat(gauge("tokenguard.jwks.stale")).isZero();
    assertThat(timerCount("tokenguard.jwks.fetches", "issuer", issuer, "result", "success")).isEqualTo(2);
  }

  @Test
  void userApiFailsThenItsHealthIsDownUntilItAnswersAgainAndSecretsStayOut() {
    user("u-3", Answer.json(503, "{\"error\":\"down\",\"echo\":\"s3cret-value-123\"}").withHeader("Retry-After", "0"));
    assertThat(get("/orders", token("u-3").sign("RS256", TestKeys.RSA)).outcome().orElseThrow().status()).isEqualTo(503);
    HealthReport.Check apiCheck = guard.health().checks().get(1);
    assertThat(apiCheck.up()).isFalse();
    assertThat(apiCheck.details()).containsEntry("provider", "keycloak").containsKey("lastFailureAt");
    assertThat(apiCheck.details().toString()).doesNotContain("s3cret-value-123");
    assertThat(counter("tokenguard.user_lookup.requests", "provider", "keycloak", "result", "failed")).isEqualTo(1);
    assertThat(counter("tokenguard.user_api.retries", "provider", "keycloak", "status", "503")).isEqualTo(1);
    assertThat(validations("rejected", "unavailable", issuer)).isEqualTo(1);

    user("u-4", profile("u-4"));
    assertThat(get("/orders", token("u-4").sign("RS256", TestKeys.RSA)).allowed()).isTrue();
    assertThat(guard.health().checks().get(1).up()).isTrue();
  }

  @Test
  void metricsBoundAfterStartThenGaugesAndCountersStillRegistered() {
    guard.close();
    TokenGuardMetrics late = new TokenGuardMetrics();
    guard = guard(late);
    get("/orders", null); // before binding: not counted, not an error
    SimpleMeterRegistry later = new SimpleMeterRegistry();
    late.bindTo(later);
    get("/orders", null);
    assertThat(Search.in(later).name("tokenguard.validations").tags("reason", "missing_token", "issuer", "none").counter().count()).isEqualTo(1);
    assertThat(Search.in(later).name("tokenguard.jwks.keys").tags("issuer", issuer).gauge()).isNotNull();
  }

  @Test
  void listenerThatThrowsThenDecisionsUnchangedAndLoggedOnce() {
    guard.close();
    List<String> seen = new ArrayList<>();
    TokenGuardListener broken = new TokenGuardListener() {
      @Override
      public void requestDecided(String iss, RejectionReason reason) {
        throw new IllegalStateException("listener bug");
      }
    };
    TokenGuardListener recording = new TokenGuardListener() {
      @Override
      public void requestDecided(String iss, RejectionReason reason) {
        seen.add(iss + " " + reason);
      }
    };
    try (LogCapture logs = new LogCapture()) {
      guard = guard(broken, recording);
      user("u-5", profile("u-5"));
      assertThat(get("/orders", token("u-5").sign("RS256", TestKeys.RSA)).allowed()).isTrue();
      assertThat(get("/orders", "x.y.z").allowed()).isFalse();
      assertThat(seen).containsExactly(issuer + " null", "null MALFORMED");
      assertThat(logs.lines()).filteredOn(l -> l.contains("listener")).hasSize(1);
    }
  }
}
