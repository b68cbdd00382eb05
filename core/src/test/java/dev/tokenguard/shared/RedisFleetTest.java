package dev.tokenguard.shared;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.RejectionReason;
import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.http.Decision;
import dev.tokenguard.observe.TokenGuardMetrics;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.tokenguard.testing.ApiServer;
import dev.tokenguard.testing.ApiServer.Answer;
import dev.tokenguard.testing.FakeRequest;
import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.LogCapture;
import dev.tokenguard.testing.RedisServer;
import dev.tokenguard.testing.TestFiles;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several TokenGuard nodes in one JVM sharing a real Redis server (Debian's redis-server on loopback), a JWKS
 * server and a user API that counts its calls.
 */
class RedisFleetTest {
  static final int NODES = 4;
  static RedisServer redis;
  static JwksServer idp;
  final ApiServer api = new ApiServer();
  final List<TokenGuard> nodes = new ArrayList<>();
  final ExecutorService pool = Executors.newFixedThreadPool(64);
  /** One registry for the fleet: the meters add up over nodes. */
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  String prefix;

  @BeforeAll
  static void servers() {
    redis = new RedisServer();
    idp = new JwksServer().keys(TestKeys.RSA);
  }

  @AfterAll
  static void stopServers() {
    redis.close();
    idp.close();
  }

  @BeforeEach
  void fleet() {
    prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
    for (int i = 0; i < NODES; i++) {
      nodes.add(node());
    }
  }

  @AfterEach
  void stop() {
    nodes.forEach(TokenGuard::close);
    pool.shutdownNow();
    api.close();
    if (redis.command("PING") == null) {
      redis.start();
    }
  }

  TokenGuard node(String... extra) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", idp.issuer());
    p.put("jwks-uri", idp.jwksUri());
    p.put("audience", "orders");
    p.put("user-lookup.provider", "generic");
    p.put("user-lookup.user-url", api.url() + "/users/{sub}");
    p.put("user-lookup.field.id", "id");
    p.put("user-lookup.field.blocked", "blocked");
    p.put("user-lookup.max-retries", "0");
    p.put("cache.redis.uri", redis.uri());
    p.put("cache.redis.prefix", prefix);
    p.put("cache.redis.outage-backoff", "300ms");
    for (int i = 0; i < extra.length; i += 2) {
      p.put(extra[i], extra[i + 1]);
    }
    return TokenGuard.builder(TokenGuardConfig.fromProperties(p)).listener(new TokenGuardMetrics(registry)).build();
  }

  double lookups(String result) {
    var c = Search.in(registry).name("tokenguard.user_lookup.requests").tag("result", result).counter();
    return c == null ? 0 : c.count();
  }

  void user(String id, long delayMillis) {
    api.on("GET", "/users/" + id, Answer.json(200, "{\"id\":\"" + id + "\",\"blocked\":false}").delayed(delayMillis));
  }

  static String token(String subject) {
    return TestTokens.valid(idp.issuer(), "orders", Instant.now()).claim("sub", subject).claim("jti", "jti-" + subject)
        .sign("RS256", TestKeys.RSA);
  }

  /** {@code perNode} concurrent requests on every node at once; the decisions. */
  List<Decision> burst(List<TokenGuard> fleet, String subject, int perNode) throws Exception {
    return burstWith(fleet, token(subject), perNode);
  }

  /** {@code perNode} concurrent requests bearing {@code token} on every node at once; the decisions. */
  List<Decision> burstWith(List<TokenGuard> fleet, String token, int perNode) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Decision>> futures = new ArrayList<>();
    for (TokenGuard node : fleet) {
      for (int i = 0; i < perNode; i++) {
        Callable<Decision> call = () -> {
          go.await();
          return node.check(FakeRequest.get("/orders").bearer(token));
        };
        futures.add(pool.submit(call));
      }
    }
    go.countDown();
    List<Decision> out = new ArrayList<>();
    for (Future<Decision> f : futures) {
      out.add(f.get());
    }
    return out;
  }

  @Test
  void manyConcurrentRequestsForOneNewUserOnEveryNodeThenOneIdentityProviderCall() throws Exception {
    user("u-new", 300);
    List<Decision> decisions = burst(nodes, "u-new", 16);
    assertThat(decisions).hasSize(NODES * 16).allMatch(Decision::allowed);
    assertThat(api.count("GET", "/users/u-new")).isEqualTo(1);
    // counted per request: requests joining the calling node's call are misses, the other nodes' first lookups
    // are shared answers (a request starting after its node's lookup finished is a local hit)
    assertThat(lookups("miss") + lookups("shared") + lookups("hit")).isEqualTo(NODES * 16);
    assertThat(lookups("miss")).isBetween(1.0, 16.0);
    assertThat(lookups("shared")).isBetween(NODES - 1.0, (NODES - 1) * 16.0);
    assertThat(TestFiles.readme()).as("the README lists every meter, the shared tier's too").contains(registry.getMeters()
        .stream().map(m -> "`" + m.getId().getName() + "`").distinct().toList());
    assertThat(redis.command("EXISTS " + prefix + "profile:" + SharedTier.hashed(idp.issuer(), "u-new"))).isEqualTo(":1");

    TokenGuard late = node(); // a node started later finds the profile in Redis
    nodes.add(late);
    assertThat(late.check(FakeRequest.get("/orders").bearer(token("u-new"))).allowed()).isTrue();
    assertThat(api.count("GET", "/users/u-new")).isEqualTo(1);
  }

  @Test
  void userNotFoundThenTheAnswerIsSharedToo() throws Exception {
    api.on("GET", "/users/ghost", Answer.json(404, "{\"error\":\"not found\"}").delayed(200));
    List<Decision> decisions = burst(nodes, "ghost", 4);
    assertThat(decisions).allMatch(d -> d instanceof Decision.Deny deny && deny.cause().reason() == RejectionReason.UNKNOWN_USER);
    assertThat(api.count("GET", "/users/ghost")).isEqualTo(1);
  }

  @Test
  void userApiDownThenANodeThatNeverSawTheUserServesAnotherNodesProfileWithinStaleIfError() throws Exception {
    nodes.forEach(TokenGuard::close);
    nodes.clear();
    for (int i = 0; i < 2; i++) {
      nodes.add(node("user-lookup.cache-ttl", "1s", "user-lookup.refresh-ahead", "0s"));
    }
    api.on("GET", "/users/u-s", Answer.json(200, "{\"id\":\"u-s\",\"blocked\":false}"),
        Answer.json(503, "{\"error\":\"down\"}"));
    assertThat(nodes.get(0).check(FakeRequest.get("/orders").bearer(token("u-s"))).allowed()).isTrue();
    Thread.sleep(1200); // past cache-ttl: the shared copy is stale now, within stale-if-error (1h)
    Decision d = nodes.get(1).check(FakeRequest.get("/orders").bearer(token("u-s")));
    assertThat(api.count("GET", "/users/u-s")).as("node 1 asked and the user API failed").isEqualTo(2);
    assertThat(d.allowed()).as("node 1 serves node 0's stale profile instead of 503").isTrue();
    assertThat(lookups("stale")).isEqualTo(1);
  }

  /** Writes, as another writer of the store could, the profile of {@code id} under the shared key of {@code subject}. */
  void plantProfile(String subject, String id) {
    String json = "{\"v\":1,\"fetchedAt\":" + System.currentTimeMillis() + ",\"profile\":{\"provider\":\"generic\","
        + "\"id\":\"" + id + "\",\"roles\":[\"admin\"],\"permissions\":[\"orders:admin\"],\"blocked\":false}}";
    String key = prefix + "profile:" + SharedTier.hashed(idp.issuer(), subject);
    assertThat(redis.command("SET " + key + " '" + json + "' PX 3600000")).isEqualTo("+OK");
  }

  @Test
  void sharedEntryHoldingAnotherUsersProfileThenNeverServedAndTheUserApiIsAsked() throws Exception {
    user("u-p", 0);
    plantProfile("u-p", "admin");
    try (LogCapture logs = new LogCapture()) {
      Decision d = nodes.get(0).check(FakeRequest.get("/orders").bearer(token("u-p")));
      assertThat(d.allowed()).isTrue();
      assertThat(d.principal().orElseThrow().profile()).hasValueSatisfying(p -> assertThat(p.id()).isEqualTo("u-p"));
      assertThat(d.principal().orElseThrow().roles()).doesNotContain("admin");
      assertThat(api.count("GET", "/users/u-p")).as("a miss: the user API is asked").isEqualTo(1);
      assertThat(logs.lines()).filteredOn(l -> l.startsWith("WARNING") && l.contains("holds the profile of 'admin'")
          && l.contains("subject 'u-p'")).hasSize(1);
    }
    Decision other = nodes.get(1).check(FakeRequest.get("/orders").bearer(token("u-p")));
    assertThat(other.principal().orElseThrow().profile()).as("the entry was overwritten with the right profile")
        .hasValueSatisfying(p -> assertThat(p.id()).isEqualTo("u-p"));
    assertThat(api.count("GET", "/users/u-p")).isEqualTo(1);
  }

  @Test
  void sharedEntryHoldingAnotherUsersProfileWhileUserApiDownThen503AndLoggedOnce() throws Exception {
    api.on("GET", "/users/u-q", Answer.json(503, "{\"error\":\"down\"}"));
    plantProfile("u-q", "admin");
    try (LogCapture logs = new LogCapture()) {
      for (int i = 0; i < 3; i++) {
        Decision d = nodes.get(0).check(FakeRequest.get("/orders").bearer(token("u-q")));
        assertThat(d).as("never the planted profile, not even as a stale copy")
            .isInstanceOfSatisfying(Decision.Deny.class, deny -> assertThat(deny.cause().reason()).isEqualTo(RejectionReason.UNAVAILABLE));
      }
      assertThat(logs.lines()).filteredOn(l -> l.startsWith("WARNING") && l.contains("holds the profile of 'admin'")).hasSize(1);
    }
  }

  @Test
  void redisKilledMidTestThenRequestsKeepSucceedingAndSharingResumesWhenItReturns() throws Exception {
    user("u-a", 100);
    assertThat(burst(nodes, "u-a", 4)).allMatch(Decision::allowed);
    assertThat(api.count("GET", "/users/u-a")).isEqualTo(1);
    // several users at once, so each node's pool holds several connections, all dead after the restart
    List<Future<Decision>> warm = new ArrayList<>();
    for (int u = 0; u < 8; u++) {
      String id = "w-" + u;
      user(id, 50);
      for (TokenGuard node : nodes) {
        warm.add(pool.submit(() -> node.check(FakeRequest.get("/orders").bearer(token(id)))));
      }
    }
    for (Future<Decision> f : warm) {
      assertThat(f.get().allowed()).isTrue();
    }

    try (LogCapture logs = new LogCapture()) {
      redis.kill();
      user("u-b", 100);
      List<Decision> during = burst(nodes, "u-b", 8);
      assertThat(during).as("no request fails because Redis is gone").allMatch(Decision::allowed);
      assertThat(api.count("GET", "/users/u-b")).as("per node: one call each").isEqualTo(NODES);
      // the nodes share one registry here, so the gauge registered is the first node's
      assertThat(Search.in(registry).name("tokenguard.shared_cache.available").gauge().value()).isZero();
      assertThat(burst(nodes, "u-a", 2)).as("profiles cached in each node still serve").allMatch(Decision::allowed);
      assertThat(logs.lines()).filteredOn(l -> l.contains("shared cache at 127.0.0.1:" + redis.port() + " failed"))
          .hasSizeBetween(1, NODES); // once per node, not once per request

      redis.start();
      Thread.sleep(400); // past cache.redis.outage-backoff
      user("u-c", 300);
      assertThat(burst(nodes, "u-c", 8)).allMatch(Decision::allowed);
      assertThat(api.count("GET", "/users/u-c")).isEqualTo(1);
      assertThat(logs.lines()).anyMatch(l -> l.contains("answers again"));
      assertThat(Search.in(registry).name("tokenguard.shared_cache.available").gauge().value()).isEqualTo(1);
    }
  }

  @Test
  void redisHangsThenRequestsWaitAtMostTheCommandTimeoutAndSucceed() throws Exception {
    user("u-h", 0);
    redis.freeze();
    try {
      long start = System.nanoTime();
      List<Decision> decisions = burst(nodes, "u-h", 4);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(decisions).allMatch(Decision::allowed);
      assertThat(api.count("GET", "/users/u-h")).isEqualTo(NODES);
      // cache.redis.timeout is 250ms: a GET that times out, then per-node (the lock is not even tried)
      assertThat(took).as("bounded by the command timeout, not by the hang").isLessThan(Duration.ofSeconds(5));
    } finally {
      redis.thaw();
    }
  }

  @Test
  void revocationPublishedOnOneNodeThenEnforcedByAllWithinASecond() throws Exception {
    user("u-r", 0);
    user("u-ok", 0);
    assertThat(burst(nodes, "u-r", 1)).allMatch(Decision::allowed);
    Thread.sleep(300); // the subscriptions are up (they connect in the background)

    Instant published = Instant.now();
    nodes.get(0).revokeSubject(idp.issuer(), "u-r");
    for (TokenGuard node : nodes) {
      Decision d;
      do {
        d = node.check(FakeRequest.get("/orders").bearer(token("u-r")));
      } while (d.allowed() && Duration.between(published, Instant.now()).toMillis() < 1000);
      assertThat(d.allowed()).as("refused within a second").isFalse();
      assertThat(((Decision.Deny) d).cause().reason()).isEqualTo(RejectionReason.REVOKED);
      assertThat(((Decision.Deny) d).response().status()).isEqualTo(401);
    }
    assertThat(burst(nodes, "u-ok", 1)).as("other users unaffected").allMatch(Decision::allowed);
    dev.tokenguard.Explanation why = nodes.get(3).explain(token("u-r"));
    assertThat(why.valid()).isFalse();
    assertThat(why.steps().get(why.steps().size() - 1).name()).isEqualTo("revocation");
    assertThat(why.failure().reason()).isEqualTo(RejectionReason.REVOKED);

    TokenGuard late = node();
    nodes.add(late);
    Decision lateDecision;
    Instant started = Instant.now();
    do {
      lateDecision = late.check(FakeRequest.get("/orders").bearer(token("u-r")));
    } while (lateDecision.allowed() && Duration.between(started, Instant.now()).toMillis() < 1000);
    assertThat(lateDecision.allowed()).as("a node started later loads the revocation").isFalse();

    nodes.get(2).revokeTokenId("jti-u-ok");
    Thread.sleep(200);
    assertThat(burst(nodes, "u-ok", 1)).allMatch(d -> !d.allowed());
  }

  /**
   * The simulation behind the README's sizing note: N users each arriving on all M nodes at once (the worst
   * case for per-node caches), counted at the user API with and without the shared tier.
   */
  @Test
  void simulationNUsersOnMNodesWithAndWithoutTheSharedTier() throws Exception {
    int users = 40;
    int fleetSize = 8;
    Map<String, Integer> calls = new LinkedHashMap<>();
    for (boolean shared : new boolean[] {false, true}) {
      nodes.forEach(TokenGuard::close);
      nodes.clear();
      for (int i = 0; i < fleetSize; i++) {
        nodes.add(shared ? node() : node("cache.redis.uri", ""));
      }
      int before = api.requests().size();
      for (int u = 0; u < users; u++) {
        String id = (shared ? "s-" : "p-") + u;
        api.on("GET", "/users/" + id, Answer.json(200, auth0LikeUser(id)).delayed(20));
        assertThat(burst(nodes, id, 2)).allMatch(Decision::allowed);
      }
      calls.put(shared ? "shared tier" : "per node", api.requests().size() - before);
    }
    String memory = redis.command("MEMORY USAGE " + prefix + "profile:" + SharedTier.hashed(idp.issuer(), "s-0"));
    System.out.printf("user API calls for %d users arriving on %d nodes at once: %s; Redis memory of one profile "
        + "(%d bytes of user JSON): %s bytes%n", users, fleetSize, calls, auth0LikeUser("s-0").length(), memory.substring(1));
    assertThat(calls.get("per node")).isEqualTo(users * fleetSize);
    assertThat(calls.get("shared tier")).isEqualTo(users);
  }

  /** A user as Auth0's Management API returns one (about 1 KB), for the memory figure. */
  static String auth0LikeUser(String id) {
    return "{\"id\":\"" + id + "\",\"user_id\":\"auth0|" + id + "\",\"email\":\"" + id + "@example.com\","
        + "\"email_verified\":true,\"name\":\"Jane Q. Example\",\"given_name\":\"Jane\",\"family_name\":\"Example\","
        + "\"nickname\":\"jane\",\"picture\":\"https://s.gravatar.com/avatar/2f4e9a1d0c3b5e7f9a1b3c5d7e9f1a3b?s=480&r=pg&d=https%3A%2F%2Fcdn.auth0.com%2Favatars%2Fja.png\","
        + "\"created_at\":\"2025-03-14T09:26:53.589Z\",\"updated_at\":\"2026-11-20T17:02:11.120Z\",\"last_login\":\"2026-11-20T17:02:11.118Z\","
        + "\"last_ip\":\"203.0.113.17\",\"logins_count\":42,\"blocked\":false,"
        + "\"identities\":[{\"provider\":\"auth0\",\"user_id\":\"" + id + "\",\"connection\":\"Username-Password-Authentication\",\"isSocial\":false}],"
        + "\"app_metadata\":{\"plan\":\"business\",\"tenant\":\"acme\",\"roles\":[\"buyer\",\"approver\"]},"
        + "\"user_metadata\":{\"locale\":\"en-GB\",\"theme\":\"dark\",\"newsletter\":true}}";
  }

  @Test
  void managementTokenFetchedOnceForTheFleet() throws Exception {
    nodes.forEach(TokenGuard::close);
    nodes.clear();
    api.on("POST", "/token", Answer.json(200, "{\"access_token\":\"mgmt-1\",\"token_type\":\"Bearer\",\"expires_in\":300}").delayed(100));
    for (int i = 0; i < NODES; i++) {
      nodes.add(node("user-lookup.credential", "client-credentials", "user-lookup.token-url", api.url() + "/token",
          "user-lookup.client-id", "tg", "user-lookup.client-secret", "secret-secret"));
    }
    for (int i = 0; i < NODES; i++) {
      user("m-" + i, 0);
      assertThat(nodes.get(i).check(FakeRequest.get("/orders").bearer(token("m-" + i))).allowed()).isTrue();
    }
    assertThat(api.count("POST", "/token")).isEqualTo(1);
    assertThat(api.requests("GET", "/users/m-3").get(0).header("Authorization")).isEqualTo("Bearer mgmt-1");
  }

  @Test
  void opaqueTokenIntrospectedOnceForTheFleetActiveAndInactiveAlike() throws Exception {
    nodes.forEach(TokenGuard::close);
    nodes.clear();
    long exp = Instant.now().getEpochSecond() + 3600;
    api.on("POST", "/introspect", r -> Answer.json(200, "op-carol".equals(r.form().get("token"))
        ? "{\"active\":true,\"sub\":\"carol\",\"aud\":\"orders\",\"iss\":\"" + idp.issuer() + "\",\"exp\":" + exp + "}"
        : "{\"active\":false}").delayed(300)); // slow, so every node's first request comes while the first call runs
    for (int i = 0; i < NODES; i++) {
      nodes.add(node("token-format", "auto", "introspection.endpoint", api.url() + "/introspect",
          "introspection.client-id", "orders-api", "introspection.client-secret", "s3cret"));
    }
    user("carol", 0);
    assertThat(burstWith(nodes, "op-carol", 8)).allSatisfy(d -> assertThat(d.allowed()).isTrue());
    assertThat(api.count("POST", "/introspect")).as("one call for %d nodes", NODES).isEqualTo(1);
    assertThat(burstWith(nodes, "op-unknown", 8)).allSatisfy(d -> assertThat(d.outcome().orElseThrow().status()).isEqualTo(401));
    assertThat(api.count("POST", "/introspect")).as("an inactive answer is shared too").isEqualTo(2);
    for (String token : List.of("op-carol", "op-unknown")) {
      String hash = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(dev.tokenguard.internal.Sha256.of(token));
      assertThat(redis.command("EXISTS " + prefix + "introspection:" + SharedTier.hashed(idp.issuer(), hash)))
          .as("kept under a hash of issuer and token hash, never the token").isEqualTo(":1");
    }

    TokenGuard late = node("token-format", "auto", "introspection.endpoint", api.url() + "/introspect",
        "introspection.client-id", "orders-api", "introspection.client-secret", "s3cret");
    nodes.add(late);
    assertThat(late.check(FakeRequest.get("/orders").bearer("op-carol")).principal().orElseThrow().getName()).isEqualTo("carol");
    assertThat(api.count("POST", "/introspect")).as("a node started later reads the fleet's answer").isEqualTo(2);
  }
}
