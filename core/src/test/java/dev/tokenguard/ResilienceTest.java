package dev.tokenguard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.lookup.UserLookups;
import dev.tokenguard.testing.ApiServer;
import dev.tokenguard.testing.FakeClock;
import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Concurrency and faults with real loopback servers and counters: many threads, rotating keys, outages, a 429
 * storm. Asserted: every valid token accepted, every invalid one rejected with a typed outcome, no storm of calls
 * upstream. Time moves only through a fake clock.
 */
class ResilienceTest {
  static final String AUDIENCE = "api://load";
  final FakeClock clock = FakeClock.at("2026-11-23T10:00:00Z");
  final List<AutoCloseable> closeables = new ArrayList<>();
  final ExecutorService pool = Executors.newFixedThreadPool(8);

  @AfterEach
  void stop() throws Exception {
    pool.shutdownNow();
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  <T extends AutoCloseable> T closing(T c) {
    closeables.add(c);
    return c;
  }

  TokenGuard guard(JwksServer idp, Map<String, String> extra) {
    Map<String, String> p = new java.util.LinkedHashMap<>(Map.of("issuer", idp.issuer(), "jwks-uri", idp.jwksUri(),
        "audience", AUDIENCE, "token-cache.enabled", "false"));
    p.putAll(extra);
    return closing(TokenGuard.create(TokenGuardConfig.builder().properties(p).clock(clock).build(), Runnable::run));
  }

  String token(TestKeys.TestKey key, String alg) {
    return TestTokens.valid(idpIssuer, AUDIENCE, clock.instant()).sign(alg, key);
  }

  String idpIssuer;

  /** Runs {@code task} {@code times} times on 8 threads and waits for all. */
  void hammer(int times, Callable<Void> task) throws Exception {
    List<Future<Void>> futures = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      futures.add(pool.submit(task));
    }
    for (Future<Void> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void manyThreadsWhileKeysRotateThenValidAcceptedInvalidRejectedAndFetchesBounded() throws Exception {
    JwksServer idp = closing(new JwksServer().keys(TestKeys.RSA));
    idpIssuer = idp.issuer();
    TokenGuard guard = guard(idp, Map.of());
    String oldKey = token(TestKeys.RSA, "RS256");
    String newKey = token(TestKeys.RSA_2, "RS256");
    TestKeys.TestKey attacker = TestKeys.rsa("attacker", 2048);
    AtomicInteger wrong = new AtomicInteger();
    AtomicInteger invalidSeen = new AtomicInteger();
    guard.validator().validate(oldKey);

    Callable<Void> mixed = () -> {
      int n = (int) (Thread.currentThread().getId() % 3);
      String t = switch (n) {
        case 0 -> oldKey;
        case 1 -> TestTokens.valid(idpIssuer, AUDIENCE, clock.instant()).sign("RS256", attacker.withKid("r-" + System.nanoTime()));
        default -> TestTokens.valid(idpIssuer, "api://other", clock.instant()).sign("RS256", TestKeys.RSA);
      };
      try {
        guard.validator().validate(t);
        if (n != 0) wrong.incrementAndGet();
      } catch (InvalidTokenException e) {
        if (n == 0) wrong.incrementAndGet();
        invalidSeen.incrementAndGet();
      }
      return null;
    };
    hammer(300, mixed);

    idp.keys(TestKeys.RSA, TestKeys.RSA_2); // rotation: a new key is published
    clock.advance(Duration.ofSeconds(30));
    hammer(300, () -> {
      guard.validator().validate(newKey); // throws (and fails the test) if a valid token is refused
      guard.validator().validate(oldKey);
      return null;
    });
    hammer(300, mixed);

    assertThat(wrong.get()).as("valid tokens rejected or invalid ones accepted").isZero();
    assertThat(invalidSeen.get()).isPositive();
    assertThat(idp.jwksHits()).as("JWKS fetches: the first, at most one per interval").isLessThanOrEqualTo(3);
  }

  @Test
  void outageUnderLoadThenStaleKeysServeEveryValidTokenAndTheIdpSeesFewCalls() throws Exception {
    JwksServer idp = closing(new JwksServer().keys(TestKeys.EC_P256));
    idpIssuer = idp.issuer();
    TokenGuard guard = guard(idp, Map.of("jwks.stale-if-error", "1h"));
    guard.validator().validate(token(TestKeys.EC_P256, "ES256"));
    idp.mode(JwksServer.Mode.ERROR_500);
    clock.advance(Duration.ofMinutes(10)); // past the TTL: every request would like fresh keys
    String valid = token(TestKeys.EC_P256, "ES256");
    hammer(400, () -> {
      guard.validator().validate(valid); // no 401 and no 503 for a valid token while stale keys serve
      return null;
    });
    assertThat(idp.jwksHits()).as("one failed refresh in this interval, not a storm").isLessThanOrEqualTo(2);
  }

  @Test
  void userApi429StormThenBoundedCallsAndOnly503s() throws Exception {
    JwksServer idp = closing(new JwksServer().keys(TestKeys.EC_P256));
    idpIssuer = idp.issuer();
    ApiServer users = closing(new ApiServer());
    for (int u = 0; u < 10; u++) {
      users.on("GET", "/users/u" + u, ApiServer.Answer.json(429, "{}").withHeader("Retry-After", "1"));
    }
    TokenGuardConfig config = TokenGuardConfig.builder().properties(Map.of("issuer", idp.issuer(), "jwks-uri", idp.jwksUri(),
        "audience", AUDIENCE, "user-lookup.provider", "generic", "user-lookup.user-url", users.url() + "/users/{sub}",
        "user-lookup.field.id", "id", "user-lookup.max-retries", "3")).clock(clock).build();
    List<Duration> waits = java.util.Collections.synchronizedList(new ArrayList<>());
    UserLookup lookup = UserLookups.create(config, Runnable::run, waits::add);
    TokenGuard guard = closing(TokenGuard.builder(config).refreshExecutor(Runnable::run).userLookup(lookup).build());
    List<String> tokens = new ArrayList<>();
    for (int u = 0; u < 10; u++) {
      tokens.add(TestTokens.valid(idp.issuer(), AUDIENCE, clock.instant()).claim("sub", "u" + u).sign("ES256", TestKeys.EC_P256));
    }
    AtomicInteger unavailable = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();
    AtomicInteger i = new AtomicInteger();
    hammer(500, () -> {
      try {
        guard.authenticate(tokens.get(i.getAndIncrement() % tokens.size()));
        other.incrementAndGet();
      } catch (TokenServiceException e) {
        unavailable.incrementAndGet();
      } catch (RuntimeException e) {
        other.incrementAndGet();
      }
      return null;
    });
    assertThat(other.get()).as("anything but 503").isZero();
    assertThat(unavailable.get()).isEqualTo(500);
    assertThat(users.requests().size()).as("calls: each user once plus 3 retries, then failure-backoff").isLessThanOrEqualTo(10 * 4);
    assertThat(waits).allSatisfy(w -> assertThat(w).isEqualTo(Duration.ofSeconds(1)));
  }
}
