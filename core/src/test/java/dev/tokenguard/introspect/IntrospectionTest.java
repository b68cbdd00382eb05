package dev.tokenguard.introspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.Explanation;
import dev.tokenguard.RejectionReason;
import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.http.Decision;
import dev.tokenguard.http.Outcome;
import dev.tokenguard.testing.ApiServer;
import dev.tokenguard.testing.ApiServer.Answer;
import dev.tokenguard.testing.FakeClock;
import dev.tokenguard.testing.FakeRequest;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Opaque tokens through introspection (RFC 7662), against a loopback authorization server that serves discovery,
 * its JWKS and an introspection endpoint: the answer checked as a JWT's claims, client authentication, caching of
 * active and inactive answers, one call per distinct token at a time, and every endpoint failure a 503 (never a 401).
 */
class IntrospectionTest {
  static final String AUDIENCE = "orders";
  final FakeClock clock = FakeClock.at("2026-12-03T10:00:00Z");
  ApiServer as;
  TokenGuard guard;
  /** Active tokens the server knows: token -> answer members. */
  final Map<String, Map<String, Object>> known = new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeEach
  void start() {
    as = new ApiServer();
    as.on("GET", "/.well-known/openid-configuration", r -> Answer.json(200, "{\"issuer\":\"" + as.url() + "\",\"jwks_uri\":\""
        + as.url() + "/jwks\",\"introspection_endpoint\":\"" + as.url() + "/token/introspection\"}"));
    as.on("GET", "/jwks", r -> Answer.json(200, TestKeys.jwks(TestKeys.RSA)));
    as.on("POST", "/token/introspection", r -> {
      Map<String, Object> m = known.get(r.form().get("token"));
      return Answer.json(200, m == null ? "{\"active\":false}" : dev.tokenguard.testing.Json.write(m));
    });
  }

  @AfterEach
  void stop() {
    if (guard != null) {
      guard.close();
    }
    as.close();
  }

  Map<String, String> props(String format) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", as.url());
    p.put("audience", AUDIENCE);
    p.put("token-format", format);
    p.put("introspection.client-id", "orders-api");
    p.put("introspection.client-secret", "s3cret:+/");
    return p;
  }

  /** Introspection events: "lookup hit|miss" and "call active|inactive|error", per issuer. */
  final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());

  TokenGuard guard(Map<String, String> p) {
    guard = TokenGuard.builder(TokenGuardConfig.builder().properties(p).clock(clock).build()).refreshExecutor(Runnable::run)
        .listener(new dev.tokenguard.observe.TokenGuardListener() {
          @Override
          public void introspectionLookup(String issuer, boolean hit) {
            events.add(issuer + " lookup " + (hit ? "hit" : "miss"));
          }

          @Override
          public void introspectionCall(String issuer, String result, Duration latency) {
            events.add(issuer + " call " + result);
          }
        }).build();
    return guard;
  }

  String opaque(String sub, String scope) {
    String token = "op_" + sub + "_" + known.size();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("active", true);
    m.put("sub", sub);
    m.put("client_id", "web-app");
    m.put("scope", scope);
    m.put("aud", AUDIENCE);
    m.put("iss", as.url());
    m.put("iat", clock.instant().getEpochSecond());
    m.put("exp", clock.instant().getEpochSecond() + 3600);
    m.put("token_type", "Bearer");
    known.put(token, m);
    return token;
  }

  Decision get(String token) {
    return guard.check(FakeRequest.get("/orders").bearer(token));
  }

  static Outcome denied(Decision d) {
    assertThat(d.allowed()).as("denied").isFalse();
    return d.outcome().orElseThrow();
  }

  /** What the client reads: the challenge and the body. */
  static String text(Outcome o) {
    return o.headers().getOrDefault("WWW-Authenticate", "") + " " + o.body();
  }

  /**
   * A request's token is checked against RFC 6750's syntax only when the verified-token cache does not hold it, so the
   * cache must never hold a token outside that syntax: here the server calls such a token active, and validator() (which
   * takes any string) has validated it, yet a request carrying it is still 400.
   */
  @Test
  void aTokenOutsideTheBearerSyntaxIsRefusedFromARequestEvenAfterValidatorAcceptedIt() {
    guard(props("opaque"));
    String malformed = "op_alice_{0}";
    known.put(malformed, Map.of("active", true, "sub", "alice", "aud", AUDIENCE, "iss", as.url(),
        "exp", clock.instant().getEpochSecond() + 3600));
    assertThat(guard.validator().validate(malformed).getName()).isEqualTo("alice");
    assertThat(guard.validator().validate(malformed).getName()).isEqualTo("alice");
    Outcome refused = denied(get(malformed));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(text(refused)).contains("invalid_request").contains("'{'");
  }

  @Test
  void anActiveTokenBecomesAPrincipalFromTheAnswer() {
    guard(props("opaque"));
    Decision d = get(opaque("alice", "orders:read orders:write"));
    TokenPrincipal p = d.principal().orElseThrow();
    assertThat(p.getName()).isEqualTo("alice");
    assertThat(p.issuer()).isEqualTo(as.url());
    assertThat(p.permissions()).containsExactlyInAnyOrder("orders:read", "orders:write");
    ApiServer.Recorded call = as.requests("POST", "/token/introspection").get(0);
    assertThat(call.form()).containsEntry("token_type_hint", "access_token").doesNotContainKey("client_secret");
    assertThat(new String(Base64.getDecoder().decode(call.header("Authorization").substring("Basic ".length())), StandardCharsets.UTF_8))
        .as("RFC 6749 2.3.1: id and secret form-encoded before Basic").isEqualTo("orders-api:s3cret%3A%2B%2F");
  }

  @Test
  void clientSecretPostSendsTheCredentialsInTheForm() {
    Map<String, String> p = props("opaque");
    p.put("introspection.auth-method", "client_secret_post");
    guard(p);
    assertThat(get(opaque("alice", "orders:read")).allowed()).isTrue();
    ApiServer.Recorded call = as.requests("POST", "/token/introspection").get(0);
    assertThat(call.header("Authorization")).isNull();
    assertThat(call.form()).containsEntry("client_id", "orders-api").containsEntry("client_secret", "s3cret:+/");
  }

  @Test
  void privateKeyJwtSendsAFreshSignedAssertion() throws Exception {
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
    g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    java.security.KeyPair pair = g.generateKeyPair();
    Map<String, String> p = props("opaque");
    p.remove("introspection.client-secret");
    p.put("introspection.auth-method", "private_key_jwt");
    p.put("introspection.key-id", "k1");
    p.put("introspection.private-key", "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----");
    guard(p);
    assertThat(get(opaque("alice", "x")).allowed()).isTrue();
    assertThat(get(opaque("bob", "x")).allowed()).isTrue();
    List<ApiServer.Recorded> calls = as.requests("POST", "/token/introspection");
    com.nimbusds.jwt.SignedJWT first = com.nimbusds.jwt.SignedJWT.parse(calls.get(0).form().get("client_assertion"));
    com.nimbusds.jwt.SignedJWT second = com.nimbusds.jwt.SignedJWT.parse(calls.get(1).form().get("client_assertion"));
    assertThat(calls.get(0).form()).containsEntry("client_id", "orders-api")
        .containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    assertThat(calls.get(0).header("Authorization")).isNull();
    assertThat(first.verify(new com.nimbusds.jose.crypto.ECDSAVerifier((java.security.interfaces.ECPublicKey) pair.getPublic()))).isTrue();
    assertThat(first.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
    assertThat(first.getHeader().getKeyID()).isEqualTo("k1");
    assertThat(first.getJWTClaimsSet().getIssuer()).isEqualTo("orders-api");
    assertThat(first.getJWTClaimsSet().getSubject()).isEqualTo("orders-api");
    assertThat(first.getJWTClaimsSet().getAudience()).containsExactly(as.url());
    assertThat(first.getJWTClaimsSet().getJWTID()).isNotEqualTo(second.getJWTClaimsSet().getJWTID());
  }

  @Test
  void introspectionMistakesFailAtStartNamingTheKey() {
    Map<String, String> noSecret = props("opaque");
    noSecret.remove("introspection.client-secret");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenGuardConfig.fromProperties(noSecret))
        .hasMessageStartingWith("introspection.client-secret: is required with token-format=opaque");
    Map<String, String> noKey = props("auto");
    noKey.put("introspection.auth-method", "private_key_jwt");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenGuardConfig.fromProperties(noKey))
        .hasMessageStartingWith("introspection.private-key: is required with token-format=auto");
    Map<String, String> badKey = props("opaque");
    badKey.put("introspection.private-key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenGuardConfig.fromProperties(badKey))
        .hasMessage("introspection.private-key: expected an RSA or EC private key in PKCS#8 PEM");
    Map<String, String> two = props("opaque");
    two.put("issuers.b.url", "https://b.example.com/");
    two.put("issuers.b.token-format", "auto");
    two.put("issuers.b.introspection.client-id", "x");
    two.put("issuers.b.introspection.client-secret", "y");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenGuardConfig.fromProperties(two))
        .hasMessageStartingWith("issuers.b.token-format: one issuer at most may take tokens that are not JWTs");
    Map<String, String> noId = props("opaque");
    noId.remove("introspection.client-id");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenGuardConfig.fromProperties(noId))
        .hasMessageStartingWith("introspection.client-id: is required with token-format=opaque");
  }

  /** The answer to {@code token} signed as RFC 9701 describes, by {@code key}, for {@code audience}. */
  String signedAnswer(String token, TestKeys.TestKey key, String iss, String audience) {
    Map<String, Object> m = known.get(token);
    return TestTokens.empty().header("typ", "token-introspection+jwt").claim("iss", iss).claim("aud", audience)
        .claim("iat", clock.instant().getEpochSecond())
        .claim("token_introspection", m == null ? Map.of("active", false) : m).sign("RS256", key);
  }

  void answerSigned(TestKeys.TestKey key, String iss, String audience) {
    as.on("POST", "/token/introspection", r -> new Answer(200, Map.of("Content-Type", Introspector.JWT_ANSWER),
        signedAnswer(r.form().get("token"), key, iss, audience), 0));
  }

  @Test
  void signedAnswersAreCheckedWithTheIssuersKeys() {
    Map<String, String> p = props("opaque");
    p.put("introspection.jwt-answer", "true");
    guard(p);
    answerSigned(TestKeys.RSA, as.url(), "orders-api");
    assertThat(get(opaque("alice", "orders:read")).principal().orElseThrow().getName()).isEqualTo("alice");
    assertThat(as.requests("POST", "/token/introspection").get(0).header("Accept")).isEqualTo(Introspector.JWT_ANSWER);
    assertThat(denied(get("made-up")).status()).as("a signed inactive answer").isEqualTo(401);

    answerSigned(TestKeys.RSA_2, as.url(), "orders-api"); // a key the issuer does not publish
    assertThat(denied(get(opaque("bob", "x"))).status()).isEqualTo(503);
    answerSigned(TestKeys.RSA, "https://evil.example.com/", "orders-api");
    assertThat(denied(get(opaque("bob", "x"))).status()).isEqualTo(503);
    answerSigned(TestKeys.RSA, as.url(), "another-client");
    assertThat(denied(get(opaque("bob", "x"))).status()).isEqualTo(503);
    as.on("POST", "/token/introspection", r -> Answer.json(200, "{\"active\":true,\"sub\":\"bob\"}"));
    assertThat(denied(get(opaque("bob", "x"))).status()).as("plain JSON when a signed answer was asked for").isEqualTo(503);
  }

  @Test
  void aSignedAnswerNobodyAskedForIsCheckedToo() {
    guard(props("opaque"));
    answerSigned(TestKeys.RSA, as.url(), "orders-api");
    assertThat(get(opaque("alice", "orders:read")).allowed()).isTrue();
    answerSigned(TestKeys.RSA_2, as.url(), "orders-api");
    assertThat(denied(get(opaque("bob", "x"))).status()).isEqualTo(503);
  }

  @Test
  void anActiveAnswerIsCheckedLikeAJwtsClaims() {
    guard(props("opaque"));
    String otherAudience = opaque("alice", "x");
    known.get(otherAudience).put("aud", "billing");
    assertThat(text(denied(get(otherAudience)))).contains("audience");
    String otherIssuer = opaque("alice", "x");
    known.get(otherIssuer).put("iss", "https://evil.example.com/");
    assertThat(text(denied(get(otherIssuer)))).contains("names issuer").doesNotContain(as.url());
    String expired = opaque("alice", "x");
    known.get(expired).put("exp", clock.instant().getEpochSecond() - 120);
    assertThat(text(denied(get(expired)))).contains("expired");
    String noSub = opaque("alice", "x");
    known.get(noSub).remove("sub");
    assertThat(denied(get(noSub)).status()).isEqualTo(401);
  }

  @Test
  void anAnswerAboutAnotherKindOfTokenIsRefusedAndJsonNullsAreKept() {
    guard(props("opaque"));
    String refresh = opaque("alice", "orders:read");
    known.get(refresh).put("token_use", "refresh_token"); // Ory Hydra: a refresh token sent as the bearer token
    assertThat(text(denied(get(refresh)))).contains("not an access token");
    String keycloakRefresh = opaque("alice", "orders:read");
    known.get(keycloakRefresh).put("typ", "Refresh");
    assertThat(denied(get(keycloakRefresh)).status()).isEqualTo(401);
    String withNull = opaque("alice", "orders:read");
    known.get(withNull).put("username", null);
    assertThat(get(withNull).allowed()).as("a JSON null member, as a JWT's null claim").isTrue();
    String access = opaque("alice", "orders:read");
    known.get(access).put("token_use", "access_token");
    assertThat(get(access).allowed()).isTrue();
  }

  @Test
  void anInactiveTokenIs401AndRememberedForTheNegativeTtl() {
    guard(props("opaque"));
    Outcome o = denied(get("made-up-token"));
    assertThat(o.status()).isEqualTo(401);
    assertThat(text(o)).contains("inactive");
    assertThat(denied(get("made-up-token")).status()).isEqualTo(401);
    assertThat(as.count("POST", "/token/introspection")).isEqualTo(1);
    clock.advance(Duration.ofSeconds(31));
    denied(get("made-up-token"));
    assertThat(as.count("POST", "/token/introspection")).isEqualTo(2);
  }

  /** With the verified-token cache on (the default) or off: neither keeps an introspected verdict past the cap. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"true", "false"})
  void anActiveAnswerIsReusedUntilTheCapThenAskedAgainSoARevocationIsSeen(String tokenCache) {
    Map<String, String> p = props("opaque");
    p.put("token-cache.enabled", tokenCache);
    guard(p);
    String token = opaque("alice", "orders:read");
    assertThat(get(token).allowed()).isTrue();
    clock.advance(Duration.ofSeconds(119));
    assertThat(get(token).allowed()).isTrue();
    assertThat(as.count("POST", "/token/introspection")).isEqualTo(1);
    known.remove(token); // revoked at the issuer
    clock.advance(Duration.ofSeconds(2));
    assertThat(denied(get(token)).status()).isEqualTo(401);
    assertThat(as.count("POST", "/token/introspection")).isEqualTo(2);
  }

  @Test
  void aVerdictFromAnAnswerGivenEarlierIsTrustedOnlyAsLongAsThatAnswer() {
    Map<String, String> p = props("opaque");
    p.put("token-cache.enabled", "true");
    guard(p);
    String token = opaque("alice", "orders:read");
    assertThat(guard.explain(token).valid()).as("the answer is cached; the verdict is not").isTrue();
    clock.advance(Duration.ofSeconds(90));
    assertThat(get(token).allowed()).as("verdict built from the 90 s old answer").isTrue();
    assertThat(as.count("POST", "/token/introspection")).isEqualTo(1);
    known.remove(token); // revoked at the issuer
    clock.advance(Duration.ofSeconds(31)); // the answer's cache-ttl (2m) is over; 2m from the verdict would not be
    assertThat(denied(get(token)).status()).isEqualTo(401);
    assertThat(as.count("POST", "/token/introspection")).isEqualTo(2);
  }

  @Test
  void concurrentRequestsForOneTokenMakeOneCall() throws Exception {
    guard(props("opaque"));
    String token = opaque("alice", "orders:read");
    CountDownLatch release = as.hold();
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Future<Decision>> all = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        all.add(pool.submit(() -> get(token)));
      }
      Thread.sleep(200);
      release.countDown();
      for (Future<Decision> f : all) {
        assertThat(f.get().allowed()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(as.count("POST", "/token/introspection")).isEqualTo(1);
  }

  @Test
  void aFloodOfMadeUpTokensCostsOneCallEachAndLeavesValidTokensCached() {
    guard(props("opaque"));
    String valid = opaque("alice", "orders:read");
    assertThat(get(valid).allowed()).isTrue();
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 500; i++) {
        assertThat(denied(get("random-" + i)).status()).isEqualTo(401);
      }
    }
    assertThat(get(valid).allowed()).isTrue();
    assertThat(as.count("POST", "/token/introspection")).isEqualTo(501);
    assertThat(events).filteredOn(e -> e.endsWith("call inactive")).hasSize(500);
    assertThat(events).filteredOn(e -> e.endsWith("call active")).hasSize(1);
    assertThat(events).filteredOn(e -> e.equals(as.url() + " lookup hit")).hasSize(500); // the second round

  }

  @Test
  void everyEndpointFailureIs503NeverA401() {
    guard(props("opaque"));
    AtomicInteger mode = new AtomicInteger();
    as.on("POST", "/token/introspection", r -> switch (mode.get()) {
      case 0 -> Answer.json(500, "{}");
      case 1 -> Answer.json(429, "{}").withHeader("Retry-After", "7");
      case 2 -> new Answer(200, Map.of("Content-Type", "text/html"), "<html>login</html>", 0);
      case 3 -> Answer.json(200, "x".repeat(11 * 1024 * 1024));
      case 4 -> Answer.json(200, "{\"active\":\"yes\"}");
      default -> Answer.json(200, "{\"active\":true}").delayed(3000);
    });
    Map<Integer, Outcome> outcomes = new LinkedHashMap<>();
    for (int m = 0; m <= 4; m++) {
      mode.set(m);
      outcomes.put(m, denied(get(opaque("alice", "x"))));
      clock.advance(Duration.ofSeconds(8)); // past the backoff of the last failure
    }
    outcomes.values().forEach(o -> {
      assertThat(o.status()).isEqualTo(503);
      assertThat(text(o)).doesNotContain(as.url()).doesNotContain("127.0.0.1");
    });
    assertThat(outcomes.get(1).headers()).containsEntry("Retry-After", "7");
    assertThat(events).filteredOn(e -> e.endsWith("call error")).hasSize(5);
    dev.tokenguard.HealthReport.Check health = guard.health().checks().stream()
        .filter(c -> c.name().startsWith("introspection ")).findFirst().orElseThrow();
    assertThat(health.up()).isFalse();
    assertThat(health.details()).containsKey("lastFailure").containsEntry("endpoint", as.url() + "/token/introspection");
    mode.set(99);
    as.on("POST", "/token/introspection", r -> Answer.json(200, "{\"active\":false}"));
    denied(get("anything"));
    assertThat(guard.health().checks()).filteredOn(c -> c.name().startsWith("introspection ")).allMatch(c -> c.up());
    as.close(); // down
    assertThat(denied(get(opaque("bob", "x"))).status()).isEqualTo(503);
  }

  @Test
  void afterAFailureNewTokensGet503AtOnceUntilRetryAfterWhileCachedOnesAreServed() {
    guard(props("opaque"));
    String cached = opaque("carol", "x");
    assertThat(get(cached).allowed()).isTrue();
    AtomicInteger calls = new AtomicInteger();
    as.on("POST", "/token/introspection", r -> {
      calls.incrementAndGet();
      return Answer.json(429, "{}").withHeader("Retry-After", "20");
    });
    assertThat(denied(get(opaque("alice", "x"))).headers()).containsEntry("Retry-After", "20");
    clock.advance(Duration.ofSeconds(5));
    Outcome waiting = denied(get(opaque("bob", "x")));
    assertThat(waiting.status()).isEqualTo(503);
    assertThat(waiting.headers()).as("the rest of the endpoint's wait").containsEntry("Retry-After", "15");
    assertThat(text(waiting)).doesNotContain(as.url());
    assertThat(calls).as("no call while the endpoint asked us to wait").hasValue(1);
    assertThat(get(cached).allowed()).as("a cached answer is still served").isTrue();
    clock.advance(Duration.ofSeconds(16));
    as.on("POST", "/token/introspection", r -> {
      calls.incrementAndGet();
      Map<String, Object> m = known.get(r.form().get("token"));
      return Answer.json(200, m == null ? "{\"active\":false}" : dev.tokenguard.testing.Json.write(m));
    });
    assertThat(get(opaque("dave", "x")).allowed()).as("asked again after the wait").isTrue();
    assertThat(calls).hasValue(2);
  }

  @Test
  void aSlowEndpointIs503AfterTheTimeout() {
    Map<String, String> p = props("opaque");
    p.put("introspection.timeout", "300ms");
    guard(p);
    as.on("POST", "/token/introspection", r -> Answer.json(200, "{\"active\":true}").delayed(3000));
    assertThat(denied(get(opaque("alice", "x"))).status()).isEqualTo(503);
  }

  @Test
  void autoChecksJwtsLocallyAndIntrospectsEverythingElse() {
    guard(props("auto"));
    String jwt = TestTokens.valid(as.url(), AUDIENCE, clock.instant()).sign("RS256", TestKeys.RSA);
    assertThat(get(jwt).allowed()).isTrue();
    assertThat(as.count("POST", "/token/introspection")).isZero();
    assertThat(get(opaque("alice", "orders:read")).allowed()).isTrue();
    assertThat(as.count("POST", "/token/introspection")).isEqualTo(1);
  }

  @Test
  void jwtFormatNeverSendsATokenToIntrospection() {
    Map<String, String> p = props("jwt");
    guard(p);
    assertThat(denied(get(opaque("alice", "x"))).status()).isEqualTo(401);
    assertThat(as.count("POST", "/token/introspection")).isZero();
  }

  @Test
  void checkExplainsAnOpaqueToken() {
    guard(props("opaque"));
    Explanation e = guard.explain(opaque("alice", "orders:read"));
    assertThat(e.valid()).isTrue();
    assertThat(e.steps()).extracting(Explanation.Step::name)
        .startsWith("form", "introspection", "issuer (iss)", "expiry (exp)");
    Explanation inactive = guard.explain("made-up");
    assertThat(inactive.valid()).isFalse();
    assertThat(inactive.failure().reason()).isEqualTo(RejectionReason.INACTIVE);
  }

  /** A Pangea AuthN double: {@code POST /v2/client/token/check} answering in Pangea's envelope. */
  Map<String, String> pangea() {
    as.on("POST", "/v2/client/token/check", r -> {
      if (!"Bearer pts_service".equals(r.header("Authorization"))) {
        return Answer.json(401, envelope("Unauthorized", null));
      }
      Object token;
      try {
        token = com.nimbusds.jose.util.JSONObjectUtils.parse(r.body()).get("token");
      } catch (java.text.ParseException e) {
        return Answer.json(400, envelope("ValidationError", null));
      }
      Map<String, Object> m = known.get(String.valueOf(token));
      if (m == null) {
        return Answer.json(400, envelope("NotFound", null));
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("id", "pmt_1");
      result.put("type", "user");
      result.put("life", 3600);
      result.put("expire", java.time.Instant.ofEpochSecond(((Number) m.get("exp")).longValue()).toString());
      result.put("enabled", !"disabled".equals(m.get("sub")));
      result.put("identity", "pui_" + m.get("sub"));
      result.put("email", m.get("sub") + "@example.com");
      result.put("scopes", List.of(((String) m.get("scope")).split(" ")));
      result.put("profile", Map.of("first_name", "Joe"));
      result.put("created_at", clock.instant().toString());
      return Answer.json(200, envelope("Success", result));
    });
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuers.pangea.url", "https://authn.aws.us.pangea.cloud"); // never fetched: no keys, no discovery
    p.put("issuers.pangea.token-format", "opaque");
    p.put("issuers.pangea.introspection.protocol", "pangea");
    p.put("issuers.pangea.introspection.endpoint", as.url() + "/v2/client/token/check");
    p.put("issuers.pangea.introspection.client-secret", "pts_service");
    return p;
  }

  static String envelope(String status, Map<String, Object> result) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("request_id", "prq_1");
    m.put("request_time", "2026-12-03T10:00:00Z");
    m.put("response_time", "2026-12-03T10:00:00Z");
    m.put("status", status);
    m.put("summary", status);
    m.put("result", result);
    return dev.tokenguard.testing.Json.write(m);
  }

  @Test
  void pangeaTokenCheckIsTheSameEngine() {
    guard(pangea());
    TokenPrincipal p = get(opaque("alice", "orders:read orders:write")).principal().orElseThrow();
    assertThat(p.getName()).isEqualTo("pui_alice");
    assertThat(p.issuer()).isEqualTo("https://authn.aws.us.pangea.cloud");
    assertThat(p.permissions()).containsExactlyInAnyOrder("orders:read", "orders:write");
    assertThat(p.claims()).containsEntry("email", "alice@example.com").containsKey("profile");
    ApiServer.Recorded call = as.requests("POST", "/v2/client/token/check").get(0);
    assertThat(call.header("Content-Type")).isEqualTo("application/json");
    assertThat(call.body()).startsWith("{\"token\":\"op_alice_");

    assertThat(denied(get("ptu_unknownunknownunknownunknown12")).status()).as("NotFound: inactive").isEqualTo(401);
    assertThat(denied(get(opaque("disabled", "x"))).status()).as("enabled: false").isEqualTo(401);
    String expired = opaque("eve", "x");
    known.get(expired).put("exp", clock.instant().getEpochSecond() - 3600);
    assertThat(text(denied(get(expired)))).contains("expired");
    assertThat(guard.health().checks()).extracting(c -> c.name()).as("no keys: no JWKS check")
        .containsExactly("introspection https://authn.aws.us.pangea.cloud");
  }

  @Test
  void pangeaRefusingTheServiceTokenIs503NotA401() {
    Map<String, String> p = pangea();
    p.put("issuers.pangea.introspection.client-secret", "pts_revoked");
    guard(p);
    Outcome o = denied(get(opaque("alice", "x")));
    assertThat(o.status()).isEqualTo(503);
    assertThat(text(o)).doesNotContain(as.url()).doesNotContain("pts_");
    assertThat(guard.health().checks()).filteredOn(c -> c.name().startsWith("introspection")).noneMatch(c -> c.up());
  }

  @Test
  void pangeaNeedsItsEndpointAndServiceToken() {
    Map<String, String> p = pangea();
    p.remove("issuers.pangea.introspection.endpoint");
    assertThatConfig(p).hasMessageStartingWith("issuers.pangea.introspection.endpoint: is required with "
        + "issuers.pangea.token-format=opaque and issuers.pangea.introspection.protocol=pangea");
    p = pangea();
    p.remove("issuers.pangea.introspection.client-secret");
    assertThatConfig(p).hasMessageStartingWith("issuers.pangea.introspection.client-secret: is required");
    p = pangea();
    p.put("issuers.pangea.introspection.jwt-answer", "true");
    assertThatConfig(p).hasMessageStartingWith("issuers.pangea.introspection.jwt-answer: signed answers");
  }

  static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertThatConfig(Map<String, String> p) {
    return org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenGuardConfig.builder().properties(p).build())
        .isInstanceOf(dev.tokenguard.TokenGuardConfigException.class);
  }

  /** Userinfo as the token check (Auth0's opaque tokens): the token itself is the credential. */
  Map<String, String> userinfo() {
    as.on("GET", "/.well-known/openid-configuration", r -> Answer.json(200, "{\"issuer\":\"" + as.url() + "\",\"jwks_uri\":\""
        + as.url() + "/jwks\",\"userinfo_endpoint\":\"" + as.url() + "/userinfo\"}"));
    as.on("GET", "/userinfo", r -> {
      String auth = r.header("Authorization");
      Map<String, Object> m = auth == null ? null : known.get(auth.substring("Bearer ".length()));
      return m == null ? Answer.json(401, "").withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"")
          : Answer.json(200, "{\"sub\":\"" + m.get("sub") + "\",\"email\":\"" + m.get("sub") + "@example.com\"}");
    });
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", as.url());
    p.put("token-format", "auto");
    p.put("introspection.protocol", "userinfo");
    return p;
  }

  @Test
  void userinfoValidatesOpaqueTokensWithTheTokenItself() {
    guard(userinfo());
    String token = opaque("alice", "x");
    TokenPrincipal p = get(token).principal().orElseThrow();
    assertThat(p.getName()).isEqualTo("alice");
    assertThat(p.claims()).containsEntry("email", "alice@example.com");
    assertThat(as.requests("GET", "/userinfo").get(0).header("Authorization")).isEqualTo("Bearer " + token);
    get(token);
    assertThat(as.count("GET", "/userinfo")).as("kept for introspection.cache-ttl").isEqualTo(1);
    assertThat(denied(get("not-a-token-it-knows")).status()).isEqualTo(401);
    clock.advance(Duration.ofMinutes(3));
    known.remove(token);
    assertThat(denied(get(token)).status()).as("asked again after cache-ttl: gone").isEqualTo(401);
  }

  @Test
  void anEncryptedTokenGoesToTheOpaqueIssuerOnlyWhenItNamesNoOtherIssuer() {
    guard(userinfo());
    String header = Base64.getUrlEncoder().withoutPadding().encodeToString(
        ("{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"iss\":\"" + as.url() + "\"}").getBytes(StandardCharsets.UTF_8));
    String mine = header + "..iv.ciphertext.tag";
    known.put(mine, Map.of("sub", "alice"));
    assertThat(get(mine).principal().orElseThrow().getName()).isEqualTo("alice");
    String other = Base64.getUrlEncoder().withoutPadding().encodeToString(
        "{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"iss\":\"https://other.example\"}".getBytes(StandardCharsets.UTF_8))
        + "..iv.ciphertext.tag";
    int calls = as.count("GET", "/userinfo");
    Outcome o = denied(get(other));
    assertThat(o.status()).isEqualTo(401);
    assertThat(text(o)).contains("names issuer 'https://other.example'").doesNotContain(as.url());
    assertThat(as.count("GET", "/userinfo")).as("never shown to an issuer it does not belong to").isEqualTo(calls);
  }

  @Test
  void userinfoAnswersNameNoAudienceSoOneCannotBeRequired() {
    Map<String, String> p = userinfo();
    p.put("audience", "orders");
    assertThatConfig(p).hasMessageStartingWith("audience: cannot be checked with token-format=auto and "
        + "introspection.protocol=userinfo");
  }
}
