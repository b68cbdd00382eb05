package dev.tokenguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenguard.http.Decision;
import dev.tokenguard.observe.TokenGuardListener;
import dev.tokenguard.testing.FakeClock;
import dev.tokenguard.testing.FakeRequest;
import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TokenGuard#completeWithoutBlocking} and {@link TokenGuard#authenticateWithoutBlocking}, what adapters on an
 * event loop call first: they answer only what needs no I/O (a token the verified-token cache holds), and then exactly
 * what {@link TokenGuard#complete} and {@link TokenGuard#authenticate} answer; everything else is left to those.
 */
class CompleteWithoutBlockingTest {
  static final String AUDIENCE = "api://orders";
  final FakeClock clock = FakeClock.at("2026-12-04T10:00:00Z");
  final JwksServer idp = new JwksServer().keys(TestKeys.RSA);
  final AtomicInteger hits = new AtomicInteger();
  final AtomicInteger misses = new AtomicInteger();
  TokenGuard guard;

  TokenGuard start(UserLookup lookup, String... extra) {
    Map<String, String> p = new LinkedHashMap<>(Map.of("issuer", idp.issuer(), "jwks-uri", idp.jwksUri(), "audience", AUDIENCE,
        "public-paths", "/public/**", "rule.write.paths", "/api/orders/**", "rule.write.methods", "POST",
        "rule.write.permissions", "orders:write"));
    for (int i = 0; i < extra.length; i += 2) {
      p.put(extra[i], extra[i + 1]);
    }
    TokenGuard.Builder b = TokenGuard.builder(TokenGuardConfig.builder().properties(p).clock(clock).build())
        .listener(new TokenGuardListener() {
          @Override
          public void tokenCacheLookup(boolean hit) {
            (hit ? hits : misses).incrementAndGet();
          }
        });
    if (lookup != null) {
      b.userLookup(lookup);
    }
    guard = b.build();
    return guard;
  }

  @AfterEach
  void stop() {
    if (guard != null) {
      guard.close();
    }
    idp.close();
  }

  String token(String subject, String... permissions) {
    return TestTokens.valid(idp.issuer(), AUDIENCE, clock.instant()).claim("sub", subject)
        .claim("permissions", List.of(permissions)).sign("RS256", TestKeys.RSA);
  }

  @Test
  void aTokenNotYetVerifiedIsLeftToCompleteWithoutAnyFetchThenARepeatIsDecidedAsCompleteDecides() {
    start(null);
    String token = token("alice", "orders:read");
    int fetches = idp.jwksHits();
    assertThat(guard.completeWithoutBlocking(guard.preflight(FakeRequest.get("/api/orders").bearer(token)))).isNull();
    assertThat(idp.jwksHits()).as("no key fetch").isEqualTo(fetches);
    assertThat(hits.get() + misses.get()).as("nothing counted: complete counts this request").isZero();

    Decision slow = guard.complete(guard.preflight(FakeRequest.get("/api/orders").bearer(token)));
    Decision fast = guard.completeWithoutBlocking(guard.preflight(FakeRequest.get("/api/orders").bearer(token)));
    assertThat(slow.allowed()).isTrue();
    assertThat(fast).isNotNull();
    assertThat(fast.allowed()).isTrue();
    assertThat(fast.principal().orElseThrow().getName()).isEqualTo("alice");
    assertThat(fast.principal().orElseThrow().permissions()).isEqualTo(slow.principal().orElseThrow().permissions())
        .contains("orders:read");
    assertThat(misses.get()).as("the first request's miss").isEqualTo(1);
    assertThat(hits.get()).as("the repeat's hit, counted once").isEqualTo(1);

    Decision ruled = guard.completeWithoutBlocking(guard.preflight(FakeRequest.of("POST", "/api/orders/1").bearer(token)));
    assertThat(ruled).as("a rule refuses a cached token here as complete does").isNotNull();
    assertThat(ruled.outcome().orElseThrow().status()).isEqualTo(403);
    assertThat(ruled.outcome().orElseThrow()).isEqualTo(
        guard.complete(guard.preflight(FakeRequest.of("POST", "/api/orders/1").bearer(token))).outcome().orElseThrow());
  }

  @Test
  void requestsPreflightDecidedAreAnsweredAsPreflightDecidedThem() {
    start(null);
    assertThat(guard.completeWithoutBlocking(guard.preflight(FakeRequest.get("/public/page"))).allowed()).isTrue();
    Decision missing = guard.completeWithoutBlocking(guard.preflight(FakeRequest.get("/api/orders")));
    assertThat(missing.outcome().orElseThrow().status()).isEqualTo(401);
    Decision ambiguous = guard.completeWithoutBlocking(guard.preflight(FakeRequest.get("/public/..%2fapi/orders")));
    assertThat(ambiguous.outcome().orElseThrow().status()).isEqualTo(400);
  }

  @Test
  void aMalformedTokenIsRefusedHereAsCompleteRefusesItWithoutAFetchOrACountedMiss() {
    start(null);
    int fetches = idp.jwksHits();
    for (String malformed : List.of("a,b", "abc\u20ac", "x=y")) {
      Decision here = guard.completeWithoutBlocking(guard.preflight(FakeRequest.get("/api/orders").bearer(malformed)));
      Decision there = guard.complete(guard.preflight(FakeRequest.get("/api/orders").bearer(malformed)));
      assertThat(here).as(malformed).isNotNull();
      assertThat(here.outcome().orElseThrow()).isEqualTo(there.outcome().orElseThrow());
      assertThat(here.outcome().orElseThrow().status()).isEqualTo(400);
    }
    assertThat(idp.jwksHits()).as("no key fetch").isEqualTo(fetches);
    assertThat(hits.get() + misses.get()).as("a malformed token is not a cache miss").isZero();
  }

  @Test
  void aRevokedSubjectsCachedTokenIsNoLongerAnsweredHereAndCompleteRefusesIt() {
    start(null);
    String token = token("mallory", "orders:read");
    assertThat(guard.complete(guard.preflight(FakeRequest.get("/api/orders").bearer(token))).allowed()).isTrue();
    guard.revokeSubject(idp.issuer(), "mallory");
    assertThat(guard.completeWithoutBlocking(guard.preflight(FakeRequest.get("/api/orders").bearer(token)))).isNull();
    Decision d = guard.complete(guard.preflight(FakeRequest.get("/api/orders").bearer(token)));
    assertThat(d.outcome().orElseThrow().status()).isEqualTo(401);
    // complete verified the token again (revocation is checked after validation), so it is cached again: refused here too
    assertThat(guard.completeWithoutBlocking(guard.preflight(FakeRequest.get("/api/orders").bearer(token))).outcome()
        .orElseThrow()).isEqualTo(d.outcome().orElseThrow());
    assertThatThrownBy(() -> guard.authenticateWithoutBlocking(token)).isInstanceOf(InvalidTokenException.class)
        .hasMessageContaining("revoked");
  }

  @Test
  void anIssuerWithAUserLookupIsLeftToCompleteAndItsHitCountedThereOnly() {
    AtomicInteger asked = new AtomicInteger();
    start((principal, token) -> {
      asked.incrementAndGet();
      return null;
    });
    String token = token("bob");
    assertThat(guard.complete(guard.preflight(FakeRequest.get("/api/orders").bearer(token))).allowed()).isTrue();
    assertThat(guard.completeWithoutBlocking(guard.preflight(FakeRequest.get("/api/orders").bearer(token)))).isNull();
    assertThat(guard.authenticateWithoutBlocking(token)).isNull();
    assertThat(asked.get()).as("the user API is asked only by complete").isEqualTo(1);
    assertThat(hits.get()).as("the cache was read here, but the hit is complete's to count").isZero();
  }

  @Test
  void withoutTheTokenCacheNothingIsAnsweredHere() {
    start(null, "token-cache.enabled", "false");
    String token = token("carol");
    assertThat(guard.complete(guard.preflight(FakeRequest.get("/api/orders").bearer(token))).allowed()).isTrue();
    assertThat(guard.completeWithoutBlocking(guard.preflight(FakeRequest.get("/api/orders").bearer(token)))).isNull();
    assertThat(guard.authenticateWithoutBlocking(token)).isNull();
  }

  @Test
  void aDpopRequestIsLeftToCompleteEvenWithItsTokenCached() {
    start(null, "dpop.mode", "allowed");
    String bound = TestTokens.valid(idp.issuer(), AUDIENCE, clock.instant()).claim("cnf", Map.of("jkt", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"))
        .sign("RS256", TestKeys.RSA);
    guard.validator().validate(bound); // verified and cached
    FakeRequest dpop = FakeRequest.get("/api/orders").header("Authorization", "DPoP " + bound).header("DPoP", "a.b.c");
    assertThat(guard.completeWithoutBlocking(guard.preflight(dpop))).isNull();
    assertThatThrownBy(() -> guard.authenticateWithoutBlocking(bound)).as("a bound token without its proof, as authenticate refuses it")
        .isInstanceOf(InvalidTokenException.class).hasMessageContaining("DPoP");
  }

  @Test
  void authenticateWithoutBlockingAnswersACachedTokenAsAuthenticateDoes() {
    start(null);
    String token = token("dave", "orders:read");
    assertThat(guard.authenticateWithoutBlocking(token)).isNull();
    TokenPrincipal slow = guard.authenticate(token);
    TokenPrincipal fast = guard.authenticateWithoutBlocking(token);
    assertThat(fast).isNotNull();
    assertThat(fast.getName()).isEqualTo(slow.getName());
    assertThat(fast.permissions()).isEqualTo(slow.permissions());
  }
}
