package dev.tokenguard.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.TokenServiceException;
import dev.tokenguard.UserLookup;
import dev.tokenguard.UserProfile;
import dev.tokenguard.testing.ApiServer.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The policy around every lookup (caching, single flight, retries, failure handling), against the Auth0 preset
 * on a loopback double. Waits between retries are recorded, not slept; time moves only through the fake clock.
 */
class LookupPolicyTest extends LookupFixture {
  static final String USER = "/api/v2/users/auth0%7C1";

  @BeforeEach
  void start() {
    api.on("POST", "/oauth/token", ProviderPresetsTest.token("mgmt", 86400));
  }

  @AfterEach
  void stop() {
    closeServer();
  }

  UserLookup auth0(String... extra) {
    List<String> kv = new ArrayList<>(List.of("user-lookup.provider", "auth0", "user-lookup.base-url", api.url(),
        "user-lookup.client-id", "c", "user-lookup.client-secret", "s"));
    kv.addAll(List.of(extra));
    return lookup(kv.toArray(String[]::new));
  }

  static Answer user(String id) {
    return Answer.json(200, "{\"user_id\":\"" + id + "\",\"email\":\"u@example.com\",\"blocked\":false}");
  }

  @Test
  void lookUpWhenCachedThenNoSecondCallUntilTtl() {
    api.on("GET", USER, user("auth0|1"));
    UserLookup lookup = auth0();
    lookup.lookUp(principal("auth0|1"), "t");
    clock.advance(Duration.ofMinutes(4));
    lookup.lookUp(principal("auth0|1"), "t");
    assertThat(api.count("GET", USER)).isEqualTo(1);
    clock.advance(Duration.ofSeconds(31)); // inside refresh-ahead: background refresh (runs inline here)
    lookup.lookUp(principal("auth0|1"), "t");
    assertThat(api.count("GET", USER)).isEqualTo(2);
  }

  @Test
  void lookUpWhenTwentyConcurrentMissesForOneUserThenOneCall() throws Exception {
    api.on("GET", USER, user("auth0|1"));
    UserLookup lookup = auth0();
    assertThatThrownBy(() -> lookup.lookUp(principal("auth0|other"), "t")) // fetches the management token first
        .isInstanceOf(InvalidTokenException.class);
    CountDownLatch release = api.hold();
    ExecutorService pool = Executors.newFixedThreadPool(20);
    List<Future<UserProfile>> results = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      results.add(pool.submit(() -> lookup.lookUp(principal("auth0|1"), "t")));
    }
    while (api.count("GET", USER) == 0) {
      Thread.onSpinWait();
    }
    release.countDown();
    for (Future<UserProfile> f : results) {
      assertThat(f.get(10, TimeUnit.SECONDS).id()).isEqualTo("auth0|1");
    }
    pool.shutdown();
    assertThat(api.count("GET", USER)).isEqualTo(1);
  }

  @Test
  void lookUpWhenManyUsersThenManagementTokenFetchedOnce() {
    for (int i = 0; i < 5; i++) {
      api.on("GET", "/api/v2/users/auth0%7C" + i, user("auth0|" + i));
    }
    UserLookup lookup = auth0();
    for (int i = 0; i < 5; i++) {
      lookup.lookUp(principal("auth0|" + i), "t");
    }
    assertThat(api.count("POST", "/oauth/token")).isEqualTo(1);
    clock.advance(Duration.ofHours(24).minusSeconds(59)); // within the last minute of the token's life: refreshed
    api.on("GET", "/api/v2/users/auth0%7C9", user("auth0|9"));
    lookup.lookUp(principal("auth0|9"), "t");
    assertThat(api.count("POST", "/oauth/token")).isEqualTo(2);
  }

  @Test
  void lookUpWhen429WithRetryAfterThenWaitsAndSucceeds() {
    api.on("GET", USER, Answer.json(429, "{\"statusCode\":429,\"error\":\"Too Many Requests\"}").withHeader("Retry-After", "2"),
        user("auth0|1"));
    assertThat(auth0().lookUp(principal("auth0|1"), "t").id()).isEqualTo("auth0|1");
    assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void lookUpWhen429WithRateLimitResetThenWaitsUntilReset() {
    long reset = clock.instant().getEpochSecond() + 3;
    api.on("GET", USER, Answer.json(429, "{}").withHeader("x-ratelimit-limit", "2")
        .withHeader("x-ratelimit-remaining", "0").withHeader("x-ratelimit-reset", Long.toString(reset)), user("auth0|1"));
    auth0().lookUp(principal("auth0|1"), "t");
    assertThat(sleeps).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void lookUpWhenRetryAfterTooLongThenGivesUpAtOnce() {
    api.on("GET", USER, Answer.json(429, "{}").withHeader("Retry-After", "120"));
    assertThatThrownBy(() -> auth0().lookUp(principal("auth0|1"), "t"))
        .isInstanceOf(TokenServiceException.class)
        .satisfies(e -> assertThat(((TokenServiceException) e).retryAfter()).isEqualTo(Duration.ofSeconds(120)));
    assertThat(api.count("GET", USER)).isEqualTo(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void lookUpWhen500sExhaustRetriesThenFailClosedWith503AndErrorDetails() {
    api.on("GET", USER, Answer.json(500, "{\"statusCode\":500,\"error\":\"Internal\",\"message\":\"db down\",\"errorCode\":\"internal\"}")
        .withHeader("x-request-id", "req-77"));
    assertThatThrownBy(() -> auth0().lookUp(principal("auth0|1"), "t"))
        .isInstanceOf(TokenServiceException.class)
        .hasMessage("the user API of auth0 is unavailable (HTTP 500)")
        .satisfies(e -> {
          UserLookupException cause = (UserLookupException) e.getCause();
          assertThat(cause.provider()).isEqualTo("auth0");
          assertThat(cause.status()).isEqualTo(500);
          assertThat(cause.code()).isEqualTo("internal");
          assertThat(cause.requestId()).isEqualTo("req-77");
          assertThat(cause.getMessage()).contains("db down");
        });
    assertThat(api.count("GET", USER)).isEqualTo(4); // 1 + 3 retries
    assertThat(sleeps).hasSize(3);
    assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(sleeps.get(2)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
  }

  /**
   * An outage of the user API: of 200 users arriving, only the first calls reach it (breaker.failures exchanges in a
   * row open the breaker); every later lookup fails at once, 503 with the breaker's Retry-After, without waiting out
   * retries. After open-for one probe goes out; the API is back, so the breaker closes and lookups work again.
   */
  @Test
  void outageOpensTheBreakerSoTwoHundredUsersCostFiveCalls() {
    for (int i = 0; i < 200; i++) {
      api.on("GET", "/api/v2/users/auth0%7C" + i, Answer.json(503, "{}"));
    }
    UserLookup lookup = auth0();
    for (int i = 0; i < 200; i++) {
      int sleptBefore = sleeps.size();
      String subject = "auth0|" + i;
      Throwable failure = catchThrowable(() -> lookup.lookUp(principal(subject), "t"));
      assertThat(failure).as(subject).isInstanceOf(TokenServiceException.class);
      if (i >= 2) {
        assertThat(sleeps.size()).as("%s waits for nothing", subject).isEqualTo(sleptBefore);
        assertThat(((TokenServiceException) failure).retryAfter()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(30));
      }
    }
    long calls = api.requests().stream().filter(r -> r.method().equals("GET")).count();
    assertThat(calls).as("user API calls for 200 users during the outage").isEqualTo(5);
    assertThat(sleeps).as("the first user's 3 retries and the second's one").hasSize(4);
    assertThat(lookup.health().up()).isFalse();
    assertThat(lookup.health().details()).containsEntry("breaker", "open");

    clock.advance(Duration.ofSeconds(31));
    api.on("GET", "/api/v2/users/auth0%7C7", user("auth0|7"));
    assertThat(lookup.lookUp(principal("auth0|7"), "t").id()).as("the probe").isEqualTo("auth0|7");
    assertThat(lookup.health().details()).containsEntry("breaker", "closed");
    api.on("GET", "/api/v2/users/auth0%7C8", user("auth0|8"));
    assertThat(lookup.lookUp(principal("auth0|8"), "t").id()).isEqualTo("auth0|8");
  }

  /** While the probe is out, other lookups do not call the API; a failed probe opens the breaker again. */
  @Test
  void aFailedProbeOpensTheBreakerAgain() {
    for (int i = 0; i < 10; i++) {
      api.on("GET", "/api/v2/users/auth0%7C" + i, Answer.json(500, "{}"));
    }
    UserLookup lookup = auth0("user-lookup.breaker.failures", "2", "user-lookup.max-retries", "0",
        "user-lookup.breaker.open-for", "10s");
    catchThrowable(() -> lookup.lookUp(principal("auth0|0"), "t"));
    catchThrowable(() -> lookup.lookUp(principal("auth0|1"), "t"));
    catchThrowable(() -> lookup.lookUp(principal("auth0|2"), "t"));
    assertThat(api.requests().stream().filter(r -> r.method().equals("GET")).count()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(11));
    catchThrowable(() -> lookup.lookUp(principal("auth0|3"), "t")); // the probe, still 500
    catchThrowable(() -> lookup.lookUp(principal("auth0|4"), "t"));
    assertThat(api.requests().stream().filter(r -> r.method().equals("GET")).count()).as("one probe").isEqualTo(3);
    assertThat(lookup.health().details()).containsEntry("breaker", "open");
  }

  @Test
  void lookUpWhen500sAndFailOpenThenNoProfile() {
    api.on("GET", USER, Answer.json(503, "{}"));
    assertThat(auth0("user-lookup.on-failure", "fail-open", "user-lookup.max-retries", "1").lookUp(principal("auth0|1"), "t")).isNull();
    assertThat(api.count("GET", USER)).isEqualTo(2);
  }

  @Test
  void lookUpWhenFailedRecentlyThenSameUserNotAskedAgainWithinBackoff() {
    api.on("GET", USER, Answer.json(500, "{}"));
    UserLookup lookup = auth0("user-lookup.max-retries", "0");
    assertThatThrownBy(() -> lookup.lookUp(principal("auth0|1"), "t")).isInstanceOf(TokenServiceException.class);
    assertThatThrownBy(() -> lookup.lookUp(principal("auth0|1"), "t")).isInstanceOf(TokenServiceException.class);
    assertThat(api.count("GET", USER)).isEqualTo(1);
    clock.advance(Duration.ofSeconds(5));
    api.on("GET", USER, user("auth0|1"));
    assertThat(lookup.lookUp(principal("auth0|1"), "t")).isNotNull();
  }

  @Test
  void lookUpWhenOutageThenStaleProfileServedWithinBound() {
    api.on("GET", USER, user("auth0|1"));
    UserLookup lookup = auth0("user-lookup.max-retries", "0");
    lookup.lookUp(principal("auth0|1"), "t");
    api.on("GET", USER, Answer.json(503, "{}"));
    clock.advance(Duration.ofMinutes(30));
    assertThat(lookup.lookUp(principal("auth0|1"), "t").id()).isEqualTo("auth0|1");
    clock.advance(Duration.ofMinutes(36)); // past cache-ttl (5m) + stale-if-error (1h)
    assertThatThrownBy(() -> lookup.lookUp(principal("auth0|1"), "t")).isInstanceOf(TokenServiceException.class);
  }

  @Test
  void lookUpWhenUserGoneThenRememberedForNotFoundTtl() {
    api.on("GET", USER, Answer.json(404, "{\"errorCode\":\"inexistent_user\"}"));
    UserLookup lookup = auth0();
    assertThatThrownBy(() -> lookup.lookUp(principal("auth0|1"), "t")).isInstanceOf(InvalidTokenException.class);
    assertThatThrownBy(() -> lookup.lookUp(principal("auth0|1"), "t")).isInstanceOf(InvalidTokenException.class);
    assertThat(api.count("GET", USER)).isEqualTo(1);
    clock.advance(Duration.ofMinutes(1));
    api.on("GET", USER, user("auth0|1"));
    assertThat(lookup.lookUp(principal("auth0|1"), "t")).isNotNull();
  }

  @Test
  void lookUpWhenProfileIdDiffersFromSubjectThenInvalidTokenAndNotCached() {
    api.on("GET", USER, user("auth0|someone-else"));
    UserLookup lookup = auth0();
    assertThatThrownBy(() -> lookup.lookUp(principal("auth0|1"), "t"))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessageContaining("answered with the profile of 'auth0|someone-else' for the subject 'auth0|1'");
    assertThatThrownBy(() -> lookup.lookUp(principal("auth0|1"), "t")).isInstanceOf(InvalidTokenException.class);
    assertThat(api.count("GET", USER)).isEqualTo(2);
  }

  @Test
  void lookUpWhenBlockedAndRejectBlockedOffThenProfileReturned() {
    api.on("GET", USER, Answer.json(200, "{\"user_id\":\"auth0|1\",\"blocked\":true}"));
    assertThat(auth0("user-lookup.reject-blocked", "false").lookUp(principal("auth0|1"), "t").blocked()).isTrue();
  }

  @Test
  void lookUpWhenMalformedJsonThenUnavailableNotInvalid() {
    api.on("GET", USER, Answer.json(200, "<html>oops"));
    assertThatThrownBy(() -> auth0().lookUp(principal("auth0|1"), "t"))
        .isInstanceOf(TokenServiceException.class)
        .satisfies(e -> assertThat(((UserLookupException) e.getCause()).code()).isEqualTo("malformed_response"));
  }

  @Test
  void lookUpWhenSlowerThanTimeoutThenUnavailable() {
    api.on("GET", USER, user("auth0|1").delayed(1500));
    assertThatThrownBy(() -> auth0("user-lookup.timeout", "200ms", "user-lookup.max-retries", "0").lookUp(principal("auth0|1"), "t"))
        .isInstanceOf(TokenServiceException.class)
        .hasMessage("the user API of auth0 is unavailable (no answer)")
        .satisfies(e -> assertThat(e.getCause().getMessage()).contains("within 200 ms"));
  }

  @Test
  void lookUpWhenManagementApiRejectsOurTokenThenRefreshedOnceThen503NotCallers401() {
    api.on("GET", USER, Answer.json(401, "{\"statusCode\":401,\"error\":\"Unauthorized\",\"message\":\"Invalid token\"}"));
    assertThatThrownBy(() -> auth0().lookUp(principal("auth0|1"), "t"))
        .isInstanceOf(TokenServiceException.class)
        .hasMessage("the user API of auth0 is unavailable (HTTP 401)");
    assertThat(api.count("POST", "/oauth/token")).isEqualTo(2);
    assertThat(api.count("GET", USER)).isEqualTo(2);
  }

  @Test
  void lookUpWhenTokenEndpointRefusesOurCredentialsThen503() {
    api.on("POST", "/oauth/token", Answer.json(401, "{\"error\":\"access_denied\",\"error_description\":\"Unauthorized\"}"));
    assertThatThrownBy(() -> auth0().lookUp(principal("auth0|1"), "t"))
        .isInstanceOf(TokenServiceException.class)
        .satisfies(e -> assertThat(((UserLookupException) e.getCause()).code()).isEqualTo("access_denied"));
    assertThat(api.count("GET", USER)).isZero();
  }

  @Test
  void lookUpWhenTokenHasNoSubjectThenInvalidToken() {
    var p = new dev.tokenguard.TokenPrincipal("n", null, ISSUER, List.of(), java.util.Set.of(), java.util.Set.of(),
        java.util.Set.of(), java.util.Map.of(), clock.instant().plusSeconds(60), null);
    assertThatThrownBy(() -> auth0().lookUp(p, "t")).isInstanceOf(InvalidTokenException.class).hasMessageContaining("no subject");
  }
}
