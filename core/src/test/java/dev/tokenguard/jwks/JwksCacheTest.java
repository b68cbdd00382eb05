package dev.tokenguard.jwks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenServiceException;
import dev.tokenguard.observe.GuardStatus;
import dev.tokenguard.observe.TokenGuardListener;
import dev.tokenguard.testing.FakeClock;
import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.JwksServer.Mode;
import dev.tokenguard.testing.LogCapture;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JWKS cache against a real HTTP server on 127.0.0.1 with fetch counters. Time moves only through a
 * fake clock; background refreshes run on the calling thread so each test is deterministic.
 */
class JwksCacheTest {
  static final String AUDIENCE = "api://orders";

  final FakeClock clock = FakeClock.at("2026-11-23T10:00:00Z");
  JwksServer idp;
  final List<TokenGuard> guards = new ArrayList<>();

  @BeforeEach
  void start() {
    idp = new JwksServer().keys(TestKeys.RSA, TestKeys.EC_P256);
  }

  @AfterEach
  void stop() {
    guards.forEach(TokenGuard::close);
    idp.close();
  }

  TokenGuard guard(Consumer<TokenGuardConfig.Builder> customise) {
    TokenGuardConfig.Builder b = TokenGuardConfig.builder()
        .issuer(idp.issuer())
        .jwksUri(idp.jwksUri())
        .audience(AUDIENCE)
        .clock(clock)
        .tokenCacheEnabled(false);
    customise.accept(b);
    TokenGuard g = TokenGuard.create(b.build(), Runnable::run);
    guards.add(g);
    return g;
  }

  String token(TestKeys.TestKey key, String alg) {
    return TestTokens.valid(idp.issuer(), AUDIENCE, clock.instant()).sign(alg, key);
  }

  String rsaToken() {
    return token(TestKeys.RSA, "RS256");
  }

  // ---- discovery ----

  @Test
  void validateWhenNoJwksUriThenDiscoversOnceAndCaches() {
    TokenGuard g = TokenGuard.create(TokenGuardConfig.builder().issuer(idp.issuer()).audience(AUDIENCE).clock(clock)
        .tokenCacheEnabled(false).build(), Runnable::run);
    guards.add(g);
    g.validator().validate(rsaToken());
    g.validator().validate(token(TestKeys.EC_P256, "ES256"));
    assertThat(idp.hits("/.well-known/openid-configuration")).isEqualTo(1);
    assertThat(idp.jwksHits()).isEqualTo(1);
  }

  @Test
  void validateWhenOidcDiscoveryMissingThenUsesOAuthMetadata() {
    idp.discovery(false);
    TokenGuard g = TokenGuard.create(TokenGuardConfig.builder().issuer(idp.issuer()).audience(AUDIENCE).clock(clock)
        .build(), Runnable::run);
    guards.add(g);
    assertThat(g.validator().validate(rsaToken())).isNotNull();
    assertThat(idp.hits("/.well-known/oauth-authorization-server")).isEqualTo(1);
  }

  @Test
  void validateWhenDiscoveryDeclaresAnotherIssuerThenUnavailable() {
    idp.discoveryIssuer("https://evil.example.com");
    TokenGuard g = TokenGuard.create(TokenGuardConfig.builder().issuer(idp.issuer()).audience(AUDIENCE).clock(clock)
        .build(), Runnable::run);
    guards.add(g);
    assertThatThrownBy(() -> g.validator().validate(rsaToken()))
        .isInstanceOf(TokenServiceException.class)
        .hasMessageContaining("declares issuer 'https://evil.example.com'");
    assertThat(idp.jwksHits()).isZero();
  }

  // ---- lazy start, outage, recovery ----

  @Test
  void createWhenIdpDownThenStartsAndFetchesNothing() {
    idp.mode(Mode.DOWN);
    guard(b -> {});
    assertThat(idp.jwksHits()).isZero();
  }

  @Test
  void validateWhenIdpDownAtStartThenUnavailableThenRecoversWithoutRestart() {
    idp.mode(Mode.DOWN);
    TokenGuard g = guard(b -> {});
    assertThatThrownBy(() -> g.validator().validate(rsaToken()))
        .isInstanceOf(TokenServiceException.class)
        .hasMessageContaining("answered HTTP 503");
    // within min-refetch-interval nothing is fetched again
    assertThatThrownBy(() -> g.validator().validate(rsaToken())).isInstanceOf(TokenServiceException.class)
        .satisfies(e -> assertThat(((TokenServiceException) e).retryAfter()).isEqualTo(Duration.ofSeconds(30)));
    assertThat(idp.jwksHits()).isEqualTo(1);

    idp.mode(Mode.OK);
    clock.advance(Duration.ofSeconds(30));
    assertThat(g.validator().validate(rsaToken())).isNotNull();
    assertThat(idp.jwksHits()).isEqualTo(2);
  }

  @Test
  void validateWhenOutageAfterGoodFetchThenStaleKeysServedWithinBound() {
    TokenGuard g = guard(b -> b.jwksCacheTtl(Duration.ofMinutes(5)).jwksStaleIfError(Duration.ofMinutes(10)));
    g.validator().validate(rsaToken());
    idp.mode(Mode.ERROR_500);

    try (LogCapture logs = new LogCapture()) {
      clock.advance(Duration.ofMinutes(6)); // past the TTL: refresh fails, stale keys still serve
      assertThat(g.validator().validate(rsaToken())).isNotNull();
      assertThat(idp.jwksHits()).isEqualTo(2);
      assertThat(logs.lines()).anySatisfy(l -> assertThat(l).startsWith("WARNING JWKS fetch for issuer " + idp.issuer())
          .contains("serving STALE keys fetched at 2026-11-23T10:00:00Z until 2026-11-23T10:15:00Z"));

      clock.advance(Duration.ofMinutes(8)); // 14 min: still inside TTL + stale-if-error (15 min)
      assertThat(g.validator().validate(rsaToken())).isNotNull();

      clock.advance(Duration.ofMinutes(2)); // 16 min: nothing may be served any more
      assertThatThrownBy(() -> g.validator().validate(rsaToken())).isInstanceOf(TokenServiceException.class);
      assertThat(logs.lines()).anySatisfy(l -> assertThat(l).contains("no keys to serve"));
    }

    idp.mode(Mode.OK);
    clock.advance(Duration.ofMinutes(1));
    assertThat(g.validator().validate(rsaToken())).isNotNull();
  }

  @Test
  void validateWhenFailedRefreshesThenAtMostOneFetchPerInterval() {
    TokenGuard g = guard(b -> {});
    g.validator().validate(rsaToken());
    idp.mode(Mode.ERROR_500);
    clock.advance(Duration.ofMinutes(6));
    for (int i = 0; i < 50; i++) {
      g.validator().validate(rsaToken());
    }
    assertThat(idp.jwksHits()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(30));
    g.validator().validate(rsaToken());
    assertThat(idp.jwksHits()).isEqualTo(3);
  }

  @Test
  void validateWhenTtlNearThenRefreshesAheadInBackground() {
    java.util.concurrent.atomic.AtomicReference<GuardStatus> status = new java.util.concurrent.atomic.AtomicReference<>();
    TokenGuard g = TokenGuard.builder(TokenGuardConfig.builder().issuer(idp.issuer()).jwksUri(idp.jwksUri()).audience(AUDIENCE)
            .clock(clock).tokenCacheEnabled(false).jwksCacheTtl(Duration.ofMinutes(5)).jwksRefreshAhead(Duration.ofSeconds(30)).build())
        .refreshExecutor(Runnable::run).listener(new TokenGuardListener() {
          @Override
          public void started(GuardStatus s) {
            status.set(s);
          }
        }).build();
    guards.add(g);
    g.validator().validate(rsaToken());
    clock.advance(Duration.ofSeconds(269));
    g.validator().validate(rsaToken());
    assertThat(idp.jwksHits()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1)); // 4:30 = TTL - refresh-ahead
    g.validator().validate(rsaToken());
    assertThat(idp.jwksHits()).isEqualTo(2);
    assertThat(status.get().keySet(idp.issuer()).fetchedAt()).isEqualTo(clock.instant());
  }

  // ---- rotation and unknown kids ----

  @Test
  void validateWhenKidUnknownThenRefetchesOnceAndAcceptsRotatedKey() {
    TokenGuard g = guard(b -> {});
    g.validator().validate(rsaToken());
    idp.keys(TestKeys.RSA, TestKeys.RSA_2);
    clock.advance(Duration.ofSeconds(30));
    assertThat(g.validator().validate(token(TestKeys.RSA_2, "RS256"))).isNotNull();
    assertThat(idp.jwksHits()).isEqualTo(2);
  }

  @Test
  void validateWhenKidUnknownWithinIntervalThenRejectedWithoutFetch() {
    TokenGuard g = guard(b -> {});
    g.validator().validate(rsaToken());
    idp.keys(TestKeys.RSA, TestKeys.RSA_2);
    assertThatThrownBy(() -> g.validator().validate(token(TestKeys.RSA_2, "RS256")))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessageContaining("no key with kid 'rsa-2'");
    assertThat(idp.jwksHits()).isEqualTo(1);
  }

  @Test
  void validateWhenUnknownKidFloodFromManyThreadsThenOneFetchAndKnownKidsUnaffected() throws Exception {
    TokenGuard g = guard(b -> {});
    g.validator().validate(rsaToken());
    clock.advance(Duration.ofSeconds(30));
    String valid = rsaToken();
    TestKeys.TestKey attacker = TestKeys.rsa("x", 2048);
    List<String> random = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      random.add(token(attacker.withKid("random-" + i), "RS256"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      String t = i % 2 == 0 ? valid : random.get(i / 2);
      futures.add(pool.submit(() -> {
        go.await();
        try {
          g.validator().validate(t);
          accepted.incrementAndGet();
        } catch (InvalidTokenException e) {
          rejected.incrementAndGet();
        } catch (RuntimeException e) {
          other.incrementAndGet();
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(accepted.get()).isEqualTo(200);
    assertThat(rejected.get()).isEqualTo(200);
    assertThat(other.get()).isZero();
    assertThat(idp.jwksHits()).isEqualTo(2);
  }

  @Test
  void validateWhenRefetchInFlightThenKnownKidDoesNotWait() throws Exception {
    TokenGuard g = guard(b -> {});
    g.validator().validate(rsaToken());
    clock.advance(Duration.ofSeconds(30));
    CountDownLatch release = idp.hold();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Future<?> unknown = pool.submit(() -> {
      try {
        g.validator().validate(token(TestKeys.RSA_2, "RS256"));
      } catch (InvalidTokenException expected) {
        // rsa-2 is still not published
      }
    });
    idp.awaitHeld(); // the refetch is now stuck inside the IdP
    assertThat(g.validator().validate(rsaToken())).isNotNull(); // a known kid does not wait for it
    assertThat(unknown.isDone()).isFalse();
    release.countDown();
    unknown.get(10, TimeUnit.SECONDS);
    pool.shutdown();
  }

  @Test
  void validateWhenKeyLeavesJwksThenCachedTokenIsDropped() {
    TokenGuard g = guard(b -> b.tokenCacheEnabled(true));
    String t = rsaToken();
    g.validator().validate(t);
    idp.keys(TestKeys.RSA_2, TestKeys.EC_P256);
    clock.advance(Duration.ofSeconds(270)); // refresh-ahead window: the next request refreshes
    g.validator().validate(token(TestKeys.EC_P256, "ES256"));
    assertThat(idp.jwksHits()).isEqualTo(2);
    assertThatThrownBy(() -> g.validator().validate(t)).isInstanceOf(InvalidTokenException.class)
        .hasMessageContaining("no key with kid 'rsa-1'");
  }

  // ---- endpoint faults: each is a 503, never a 401 ----

  @Test
  void validateWhenJwksAnswers500ThenUnavailable() {
    idp.mode(Mode.ERROR_500);
    assertUnavailable(guard(b -> {}), "answered HTTP 500");
  }

  @Test
  void validateWhenJwksAnswersHtmlThenUnavailable() {
    idp.mode(Mode.HTML);
    assertUnavailable(guard(b -> {}), "expected JSON");
  }

  @Test
  void validateWhenJwksIsHugeThenUnavailable() {
    idp.mode(Mode.HUGE);
    assertUnavailable(guard(b -> {}), "larger than");
  }

  @Test
  void validateWhenJwksIsSlowerThanTimeoutThenUnavailable() {
    idp.mode(Mode.SLOW).slowMillis(2000);
    assertUnavailable(guard(b -> b.jwksTimeout(Duration.ofMillis(200))), "within 200 ms");
  }

  @Test
  void validateWhenJwksRedirectsToAnotherHostThenUnavailable() {
    idp.mode(Mode.REDIRECT_OTHER_HOST);
    assertUnavailable(guard(b -> {}), "another origin");
    assertThat(idp.hits("/moved-jwks")).isZero();
  }

  @Test
  void validateWhenJwksRedirectsWithinSameOriginThenFollowed() {
    idp.mode(Mode.REDIRECT_SAME_HOST);
    assertThat(guard(b -> {}).validator().validate(rsaToken())).isNotNull();
    assertThat(idp.hits("/moved-jwks")).isEqualTo(1);
  }

  @Test
  void validateWhenJwksPortClosedThenUnavailable() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String closed = "http://127.0.0.1:" + port + "/jwks";
    assertUnavailable(guard(b -> b.jwksUri(closed)), "failed");
  }

  @Test
  void validateWhenJwksNotJsonThenUnavailable() {
    idp.body("not json at all");
    assertUnavailable(guard(b -> {}), "unusable");
  }

  private void assertUnavailable(TokenGuard g, String messagePart) {
    assertThatThrownBy(() -> g.validator().validate(rsaToken()))
        .isInstanceOf(TokenServiceException.class)
        .hasMessageContaining(messagePart);
  }
}
