package dev.tokenguard.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import dev.tokenguard.Explanation;
import dev.tokenguard.RejectionReason;
import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenGuardConfigException;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.observe.TokenGuardListener;
import dev.tokenguard.testing.FakeClock;
import dev.tokenguard.testing.FakeRequest;
import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.RedisServer;
import dev.tokenguard.testing.TestCertificates;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sender-constrained tokens through {@link TokenGuard#check}, the path every adapter calls: DPoP (RFC 9449) with each
 * check of a proof broken one at a time, the binding of the token to the proof's key, the modes, nonces and challenges;
 * certificate-bound tokens (RFC 8705) from the request's own TLS connection and from a trusted proxy. Proofs and tokens
 * are signed with the JDK (TestTokens); the it-tests sign them with npm jose, through real hosts.
 */
class SenderConstrainedTokensTest {
  static final String AUDIENCE = "api://orders";
  static final String ORIGIN = "https://api.example.com";

  final FakeClock clock = FakeClock.at("2026-11-23T10:00:00Z");
  final List<String> proofEvents = new ArrayList<>();
  JwksServer idp;
  TokenGuard guard;

  @BeforeEach
  void start() {
    idp = new JwksServer().keys(TestKeys.RSA);
    guard = guard(Map.of("dpop.mode", "allowed"));
  }

  @AfterEach
  void stop() {
    guard.close();
    idp.close();
  }

  TokenGuard guard(Map<String, String> extra) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", idp.issuer());
    p.put("jwks-uri", idp.jwksUri());
    p.put("audience", AUDIENCE);
    p.put("realm", "orders");
    p.putAll(extra);
    return TokenGuard.builder(TokenGuardConfig.builder().properties(p).clock(clock).build())
        .refreshExecutor(Runnable::run)
        .listener(new TokenGuardListener() {
          @Override
          public void proofChecked(String issuer, String binding, String refused) {
            proofEvents.add(binding + ":" + (refused == null ? "accepted" : refused));
          }
        }).build();
  }

  static String thumbprint(TestKeys.TestKey key) throws Exception {
    return JWK.parse(key.publicJwk()).computeThumbprint().toString();
  }

  /** An access token bound to {@code key} (cnf.jkt). */
  String boundToken(TestKeys.TestKey key) throws Exception {
    return TestTokens.valid(idp.issuer(), AUDIENCE, clock.instant()).claim("cnf", Map.of("jkt", thumbprint(key)))
        .sign("RS256", TestKeys.RSA);
  }

  String plainToken() {
    return TestTokens.valid(idp.issuer(), AUDIENCE, clock.instant()).sign("RS256", TestKeys.RSA);
  }

  static String ath(String token) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The claims and header of a valid proof for GET {@value #ORIGIN}/api/orders with {@code token}, changed by {@code change}. */
  String proof(TestKeys.TestKey key, String alg, String token, UnaryOperator<TestTokens> change) throws Exception {
    TestTokens p = TestTokens.empty().header("typ", "dpop+jwt").header("jwk", key.publicJwk())
        .claim("jti", UUID.randomUUID().toString()).claim("htm", "GET").claim("htu", ORIGIN + "/api/orders")
        .claim("iat", clock.instant().getEpochSecond()).claim("ath", ath(token));
    return change.apply(p).sign(alg, key);
  }

  String proof(String token, UnaryOperator<TestTokens> change) throws Exception {
    return proof(TestKeys.EC_P256, "ES256", token, change);
  }

  static FakeRequest dpop(String token, String... proofs) {
    FakeRequest r = FakeRequest.get("/api/orders").origin(ORIGIN).header("Authorization", "DPoP " + token);
    for (String p : proofs) {
      r.header("DPoP", p);
    }
    return r;
  }

  /** The request is refused with 401 {@code error}, a description containing {@code says}, and the proof check {@code check}. */
  void refused(Decision d, String error, String says) {
    assertThat(d.allowed()).isFalse();
    Outcome o = d.outcome().orElseThrow();
    assertThat(o.status()).isEqualTo(401);
    assertThat(o.challenge()).contains("error=\"" + error + "\"").contains(says);
    assertThat(o.body()).contains(error);
  }

  @Test
  void aValidProofForABoundTokenPassesAndThePrincipalSaysHowItWasBound() throws Exception {
    String token = boundToken(TestKeys.EC_P256);
    Decision d = guard.check(dpop(token, proof(token, p -> p)));
    assertThat(d.allowed()).as(String.valueOf(d.outcome())).isTrue();
    assertThat(d.principal()).hasValueSatisfying(p -> assertThat(p.binding()).isEqualTo(TokenPrincipal.Binding.DPOP));
    assertThat(proofEvents).containsExactly("dpop:accepted");
    // the second request reuses the verified token and the accepted proof header: only the new proof is checked
    Decision again = guard.check(dpop(token, proof(token, p -> p)));
    assertThat(again.allowed()).isTrue();
  }

  @Test
  void everyProofAlgorithmOfTheDefaultListWorks() throws Exception {
    for (var keyAndAlg : List.of(Map.entry(TestKeys.RSA_2, "RS256"), Map.entry(TestKeys.RSA_2, "PS256"),
        Map.entry(TestKeys.EC_P384, "ES384"), Map.entry(TestKeys.ED25519, "EdDSA"))) {
      String token = boundToken(keyAndAlg.getKey());
      Decision d = guard.check(dpop(token, proof(keyAndAlg.getKey(), keyAndAlg.getValue(), token, p -> p)));
      assertThat(d.allowed()).as(keyAndAlg.getValue() + " " + d.outcome()).isTrue();
    }
  }

  @Test
  void eachCheckOfTheProofBrokenAloneIsRefusedNamingIt() throws Exception {
    String token = boundToken(TestKeys.EC_P256);
    record Broken(String check, String says, UnaryOperator<TestTokens> change) {}
    List<Broken> cases = List.of(
        new Broken("typ", "typ", p -> p.header("typ", "jwt")),
        new Broken("typ", "typ", p -> p.header("typ", null)),
        new Broken("alg", "critical", p -> p.header("crit", List.of("exp"))),
        new Broken("jwk", "jwk", p -> p.header("jwk", null)),
        new Broken("jwk", "private member 'd'", p -> p.header("jwk", withPrivatePart(TestKeys.EC_P256.publicJwk()))),
        new Broken("jwk", "cannot make ES256", p -> p.header("jwk", TestKeys.RSA_2.publicJwk())),
        new Broken("jti", "jti", p -> p.claim("jti", null)),
        new Broken("htm", "htm", p -> p.claim("htm", "POST")),
        new Broken("htm", "htm", p -> p.claim("htm", "get")),
        new Broken("htu", "another path", p -> p.claim("htu", ORIGIN + "/api/other")),
        new Broken("htu", "another origin", p -> p.claim("htu", "https://evil.example.com/api/orders")),
        new Broken("htu", "another origin", p -> p.claim("htu", "http://api.example.com/api/orders")),
        new Broken("htu", "more than one way", p -> p.claim("htu", ORIGIN + "/api%2Forders")),
        new Broken("htu", "absolute", p -> p.claim("htu", "/api/orders")),
        new Broken("iat", "longer ago", p -> p.claim("iat", clock.instant().minusSeconds(121).getEpochSecond())),
        new Broken("iat", "future", p -> p.claim("iat", clock.instant().plusSeconds(61).getEpochSecond())),
        new Broken("iat", "no iat", p -> p.claim("iat", null)),
        new Broken("ath", "no ath", p -> p.claim("ath", null)),
        new Broken("ath", "not the hash", p -> p.claim("ath", ath(token + "x"))));
    for (Broken c : cases) {
      proofEvents.clear();
      Decision d = guard.check(dpop(token, proof(token, c.change())));
      assertThat(d.allowed()).as(c.toString()).isFalse();
      refused(d, "invalid_dpop_proof", c.says());
      assertThat(proofEvents).as(c.toString()).containsExactly("dpop:" + c.check());
      assertThat(((Decision.Deny) d).cause().reason()).isEqualTo(RejectionReason.INVALID_PROOF);
    }
  }

  static Map<String, Object> withPrivatePart(Map<String, Object> jwk) {
    Map<String, Object> m = new LinkedHashMap<>(jwk);
    m.put("d", "AAAA");
    return m;
  }

  @Test
  void theSameSpellingOfTheSamePathAndAQueryAreAccepted() throws Exception {
    String token = boundToken(TestKeys.EC_P256);
    FakeRequest r = FakeRequest.get("/api/%6Frders?page=2").origin(ORIGIN).header("Authorization", "DPoP " + token)
        .header("DPoP", proof(token, p -> p.claim("htu", "HTTPS://API.example.com:443/api/orders#frag")));
    assertThat(guard.check(r).allowed()).isTrue();
  }

  @Test
  void configuredOriginsAreTheOnlyOnesAProofMayName() throws Exception {
    try (TokenGuard g = guard(Map.of("dpop.mode", "allowed", "dpop.origins", "https://Public.example.com:443"))) {
      String token = boundToken(TestKeys.EC_P256);
      // the Host a client sends is its own choice: with dpop.origins set, it is not consulted
      refused(g.check(dpop(token, proof(token, p -> p))), "invalid_dpop_proof", "another origin");
      assertThat(g.check(dpop(token, proof(token, p -> p.claim("htu", "https://public.example.com/api/orders")))).allowed()).isTrue();
    }
    assertThatThrownBy(() -> guard(Map.of("dpop.origins", "https://api.example.com/base"))).isInstanceOf(TokenGuardConfigException.class)
        .hasMessageContaining("dpop.origins");
  }

  @Test
  void aSignatureByAnotherKeyThanTheJwkIsRefused() throws Exception {
    String token = boundToken(TestKeys.EC_P256);
    TestKeys.TestKey other = TestKeys.ec("other", "secp256r1", "P-256", 32);
    // the header names EC_P256's public key, the signature is other's
    String otherSigned = TestTokens.empty().header("typ", "dpop+jwt").header("jwk", TestKeys.EC_P256.publicJwk())
        .claim("jti", "y").claim("htm", "GET").claim("htu", ORIGIN + "/api/orders").claim("iat", clock.instant().getEpochSecond())
        .claim("ath", ath(token)).sign("ES256", other);
    refused(guard.check(dpop(token, otherSigned)), "invalid_dpop_proof", "signature does not verify");
    assertThat(proofEvents).containsExactly("dpop:signature");
  }

  @Test
  void symmetricNoneAndUnlistedAlgorithmsAreRefused() throws Exception {
    String token = boundToken(TestKeys.EC_P256);
    byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    String hmac = TestTokens.empty().header("typ", "dpop+jwt")
        .header("jwk", Map.of("kty", "oct", "k", Base64.getUrlEncoder().withoutPadding().encodeToString(secret)))
        .claim("jti", "h").claim("htm", "GET").claim("htu", ORIGIN + "/api/orders").claim("iat", clock.instant().getEpochSecond())
        .claim("ath", ath(token)).signHmac("HS256", secret);
    refused(guard.check(dpop(token, hmac)), "invalid_dpop_proof", "signed with HS256");
    String none = TestTokens.enc("{\"typ\":\"dpop+jwt\",\"alg\":\"none\"}") + "." + TestTokens.enc("{}") + ".c2ln";
    refused(guard.check(dpop(token, none)), "invalid_dpop_proof", "signed with none");
    try (TokenGuard onlyRsa = guard(Map.of("dpop.mode", "allowed", "dpop.algorithms", "PS256"))) {
      refused(onlyRsa.check(dpop(token, proof(token, p -> p))), "invalid_dpop_proof", "only PS256 are accepted");
    }
    assertThatThrownBy(() -> guard(Map.of("dpop.algorithms", "ES256,HS256"))).isInstanceOf(TokenGuardConfigException.class)
        .hasMessageContaining("dpop.algorithms").hasMessageContaining("never a shared secret");
  }

  @Test
  void noProofOrTwoProofsAreRefused() throws Exception {
    String token = boundToken(TestKeys.EC_P256);
    refused(guard.check(dpop(token)), "invalid_dpop_proof", "no DPoP header");
    refused(guard.check(dpop(token, proof(token, p -> p), proof(token, p -> p))), "invalid_dpop_proof", "2 DPoP headers");
    refused(guard.check(dpop(token, "not-a-jws")), "invalid_dpop_proof", "the proof");
  }

  @Test
  void aReplayedProofIsRefusedOnTheSameNode() throws Exception {
    String token = boundToken(TestKeys.EC_P256);
    String proof = proof(token, p -> p);
    assertThat(guard.check(dpop(token, proof)).allowed()).isTrue();
    proofEvents.clear();
    refused(guard.check(dpop(token, proof)), "invalid_dpop_proof", "used before");
    assertThat(proofEvents).containsExactly("dpop:replay");
  }

  @Test
  void aReplayOnAnotherNodeSharingRedisIsRefused() throws Exception {
    try (RedisServer redis = new RedisServer().start();
        TokenGuard one = guard(Map.of("dpop.mode", "allowed", "cache.redis.uri", redis.uri()));
        TokenGuard two = guard(Map.of("dpop.mode", "allowed", "cache.redis.uri", redis.uri()))) {
      String token = boundToken(TestKeys.EC_P256);
      String proof = proof(token, p -> p);
      assertThat(one.check(dpop(token, proof)).allowed()).isTrue();
      refused(two.check(dpop(token, proof)), "invalid_dpop_proof", "used before");
      String fresh = proof(token, p -> p);
      assertThat(two.check(dpop(token, fresh)).allowed()).isTrue();
    }
  }

  @Test
  void theTokenMustBeBoundToTheProofsKey() throws Exception {
    String token = boundToken(TestKeys.EC_P384);
    Decision d = guard.check(dpop(token, proof(token, p -> p)));
    refused(d, "invalid_token", "another key than the one the token is bound to");
    assertThat(((Decision.Deny) d).cause().reason()).isEqualTo(RejectionReason.WRONG_BINDING);
    assertThat(proofEvents).containsExactly("dpop:jkt");
    assertThat(d.outcome().orElseThrow().challenge()).startsWith("Bearer realm=\"orders\", DPoP realm=\"orders\", error=\"invalid_token\"");
  }

  @Test
  void aBoundTokenSentAsBearerIsRefusedInEveryMode() throws Exception {
    String token = boundToken(TestKeys.EC_P256);
    for (String mode : List.of("off", "allowed", "required")) {
      try (TokenGuard g = guard(Map.of("dpop.mode", mode))) {
        Decision d = g.check(FakeRequest.get("/api/orders").origin(ORIGIN).bearer(token).header("DPoP", proof(token, p -> p)));
        assertThat(d.allowed()).as(mode).isFalse();
        assertThat(d.outcome().orElseThrow().challenge()).as(mode).contains("error=\"invalid_token\"")
            .contains("bound to a DPoP key");
      }
    }
    assertThatThrownBy(() -> guard.authenticate(token)).hasMessageContaining("bound to a DPoP key");
  }

  @Test
  void anUnboundTokenWithTheDpopSchemeIsRefusedAndRequiredRefusesBearer() throws Exception {
    String token = plainToken();
    refused(guard.check(dpop(token, proof(token, p -> p))), "invalid_token", "not bound to a key");
    assertThat(guard.check(FakeRequest.get("/api/orders").bearer(token)).allowed()).isTrue();
    try (TokenGuard required = guard(Map.of("dpop.mode", "required"))) {
      Decision d = required.check(FakeRequest.get("/api/orders").bearer(token));
      assertThat(d.allowed()).isFalse();
      // only DPoP is offered, so the error goes in its challenge
      assertThat(d.outcome().orElseThrow().challenge()).isEqualTo("DPoP realm=\"orders\", error=\"invalid_token\", error_description="
          + "\"tokens of this issuer must be DPoP-bound and sent with the DPoP scheme and a proof\", algs=\"ES256 ES384 ES512 PS256 PS384"
          + " PS512 RS256 RS384 RS512 EdDSA\"");
      String bound = boundToken(TestKeys.EC_P256);
      assertThat(required.check(dpop(bound, proof(bound, p -> p))).allowed()).isTrue();
    }
  }

  @Test
  void theModeIsPerIssuer() throws Exception {
    try (JwksServer other = new JwksServer().keys(TestKeys.RSA_2);
        TokenGuard g = guard(Map.of("issuer", "", "jwks-uri", "",
            "issuers.dpop.url", idp.issuer(), "issuers.dpop.jwks-uri", idp.jwksUri(), "issuers.dpop.dpop.mode", "required",
            "issuers.plain.url", other.issuer(), "issuers.plain.jwks-uri", other.jwksUri()))) {
      String bound = boundToken(TestKeys.EC_P256);
      assertThat(g.check(dpop(bound, proof(bound, p -> p))).allowed()).isTrue();
      String plainIssuers = TestTokens.valid(other.issuer(), AUDIENCE, clock.instant()).claim("cnf", Map.of("jkt", thumbprint(TestKeys.EC_P256)))
          .sign("RS256", TestKeys.RSA_2);
      // the DPoP scheme is read (one issuer takes it), but this token's issuer has DPoP off
      refused(g.check(dpop(plainIssuers, proof(plainIssuers, p -> p))), "invalid_token", "not accepted with the DPoP scheme");
      String unbound = TestTokens.valid(other.issuer(), AUDIENCE, clock.instant()).sign("RS256", TestKeys.RSA_2);
      assertThat(g.check(FakeRequest.get("/api/orders").bearer(unbound)).allowed()).isTrue();
      refused(g.check(FakeRequest.get("/api/orders").bearer(plainToken())), "invalid_token", "must be DPoP-bound");
    }
  }

  @Test
  void withDpopOffTheSchemeIsAnotherSchemeAndChallengesStayBearer() throws Exception {
    try (TokenGuard off = guard(Map.of())) {
      String token = boundToken(TestKeys.EC_P256);
      Decision d = off.check(dpop(token, proof(token, p -> p)));
      assertThat(d.outcome().orElseThrow().challenge()).isEqualTo("Bearer realm=\"orders\"");
    }
  }

  @Test
  void challengesOfferBothSchemesWhenBothAreAccepted() throws Exception {
    Decision missing = guard.check(FakeRequest.get("/api/orders"));
    assertThat(missing.outcome().orElseThrow().challenge()).isEqualTo("Bearer realm=\"orders\", DPoP realm=\"orders\", algs=\"ES256"
        + " ES384 ES512 PS256 PS384 PS512 RS256 RS384 RS512 EdDSA\"");
    String expired = TestTokens.valid(idp.issuer(), AUDIENCE, clock.instant()).expiredBy(600, clock.instant()).sign("RS256", TestKeys.RSA);
    Decision asBearer = guard.check(FakeRequest.get("/api/orders").bearer(expired));
    assertThat(asBearer.outcome().orElseThrow().challenge()).startsWith("Bearer realm=\"orders\", error=\"invalid_token\"")
        .contains(", DPoP realm=\"orders\", algs=");
    Decision asDpop = guard.check(dpop(expired, proof(expired, p -> p)));
    assertThat(asDpop.outcome().orElseThrow().challenge()).startsWith("Bearer realm=\"orders\", DPoP realm=\"orders\", error=\"invalid_token\"");
  }

  @Test
  void nonceRequiredThenIssuedThenAcceptedAndAnOldOneRefused() throws Exception {
    try (TokenGuard g = guard(Map.of("dpop.mode", "allowed", "dpop.nonce", "true", "dpop.nonce-lifetime", "60s"))) {
      String token = boundToken(TestKeys.EC_P256);
      Decision first = g.check(dpop(token, proof(token, p -> p)));
      refused(first, "use_dpop_nonce", "DPoP-Nonce");
      String nonce = first.outcome().orElseThrow().headers().get("DPoP-Nonce");
      assertThat(nonce).isNotBlank();
      assertThat(first.outcome().orElseThrow().challenge()).startsWith("Bearer realm=\"orders\", DPoP realm=\"orders\", error=\"use_dpop_nonce\"");
      assertThat(g.check(dpop(token, proof(token, p -> p.claim("nonce", nonce)))).allowed()).isTrue();
      refused(g.check(dpop(token, proof(token, p -> p.claim("nonce", nonce + "A")))), "use_dpop_nonce", "not current");
      clock.advance(Duration.ofSeconds(121)); // two lifetimes later the nonce is no longer accepted
      String later = boundToken(TestKeys.EC_P256);
      Decision old = g.check(dpop(later, proof(later, p -> p.claim("nonce", nonce))));
      refused(old, "use_dpop_nonce", "not current");
      assertThat(old.outcome().orElseThrow().headers().get("DPoP-Nonce")).isNotEqualTo(nonce);
    }
  }

  @Test
  void aCertificateBoundTokenNeedsThatCertificate() throws Exception {
    TestCertificates.Pair ca = TestCertificates.authority("test-ca");
    TestCertificates.Pair client = TestCertificates.issue(ca, "client");
    TestCertificates.Pair other = TestCertificates.issue(ca, "other");
    String token = TestTokens.valid(idp.issuer(), AUDIENCE, clock.instant()).claim("cnf", Map.of("x5t#S256", client.thumbprint()))
        .sign("RS256", TestKeys.RSA);
    Decision ok = guard.check(FakeRequest.get("/api/orders").bearer(token).certificate(client.certificate()));
    assertThat(ok.allowed()).isTrue();
    assertThat(ok.principal()).hasValueSatisfying(p -> assertThat(p.binding()).isEqualTo(TokenPrincipal.Binding.CERTIFICATE));
    refused(guard.check(FakeRequest.get("/api/orders").bearer(token).certificate(other.certificate())), "invalid_token",
        "another client certificate");
    refused(guard.check(FakeRequest.get("/api/orders").bearer(token)), "invalid_token", "came without one");
    assertThat(proofEvents).containsExactly("mtls:accepted", "mtls:certificate", "mtls:certificate");
    assertThatThrownBy(() -> guard.authenticate(token)).hasMessageContaining("came without one");
  }

  @Test
  void aCertificateFromAProxyHeaderCountsOnlyFromATrustedProxy() throws Exception {
    TestCertificates.Pair client = TestCertificates.selfSigned("client");
    String token = TestTokens.valid(idp.issuer(), AUDIENCE, clock.instant()).claim("cnf", Map.of("x5t#S256", client.thumbprint()))
        .sign("RS256", TestKeys.RSA);
    String escaped = java.net.URLEncoder.encode(client.certificatePem(), StandardCharsets.US_ASCII).replace("+", "%20");
    String der = Base64.getEncoder().encodeToString(client.certificate().getEncoded());
    try (TokenGuard g = guard(Map.of("mtls.client-certificate-header", "X-Client-Cert", "mtls.trusted-proxies", "10.0.0.0/8,::1"))) {
      for (String value : List.of(escaped, der, client.certificatePem().replace("\n", " "))) {
        assertThat(g.check(FakeRequest.get("/api/orders").bearer(token).from("10.1.2.3").header("X-Client-Cert", value)).allowed())
            .as(value).isTrue();
      }
      assertThat(g.check(FakeRequest.get("/api/orders").bearer(token).from("::1").header("X-Client-Cert", der)).allowed()).isTrue();
      refused(g.check(FakeRequest.get("/api/orders").bearer(token).from("192.168.1.1").header("X-Client-Cert", der)), "invalid_token",
          "came without one");
      refused(g.check(FakeRequest.get("/api/orders").bearer(token).from("10.1.2.3").header("X-Client-Cert", "garbage")),
          "invalid_token", "cannot be read");
    }
    assertThatThrownBy(() -> guard(Map.of("mtls.client-certificate-header", "X-Client-Cert")))
        .isInstanceOf(TokenGuardConfigException.class).hasMessageContaining("mtls.trusted-proxies");
    assertThatThrownBy(() -> guard(Map.of("mtls.client-certificate-header", "X", "mtls.trusted-proxies", "proxy.internal")))
        .isInstanceOf(TokenGuardConfigException.class).hasMessageContaining("mtls.trusted-proxies").hasMessageContaining("not resolved");
  }

  @Test
  void metricsCountProofsByTheCheckThatRefusedThemAndRequestsByReason() throws Exception {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    Map<String, String> p = new LinkedHashMap<>(Map.of("issuer", idp.issuer(), "jwks-uri", idp.jwksUri(), "audience", AUDIENCE,
        "dpop.mode", "allowed"));
    try (TokenGuard g = TokenGuard.builder(TokenGuardConfig.builder().properties(p).clock(clock).build()).refreshExecutor(Runnable::run)
        .listener(new dev.tokenguard.observe.TokenGuardMetrics(registry)).build()) {
      String token = boundToken(TestKeys.EC_P256);
      String proof = proof(token, x -> x);
      g.check(dpop(token, proof));
      g.check(dpop(token, proof));
      g.check(dpop(token, proof(token, x -> x.claim("htm", "PUT"))));
      g.check(FakeRequest.get("/api/orders").bearer(token));
      // a name and tags can match several counters (the validations of every issuer and of none): their sum counts
      java.util.function.BiFunction<String, String[], Double> sum = (name, tags) -> registry.get(name).tags(tags).counters().stream()
          .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
      assertThat(sum.apply("tokenguard.proofs", new String[] {"binding", "dpop", "result", "accepted"})).isEqualTo(1);
      assertThat(sum.apply("tokenguard.proofs", new String[] {"result", "replay"})).isEqualTo(1);
      assertThat(sum.apply("tokenguard.proofs", new String[] {"result", "htm"})).isEqualTo(1);
      assertThat(sum.apply("tokenguard.validations", new String[] {"reason", "invalid_proof"})).isEqualTo(2);
      assertThat(sum.apply("tokenguard.validations", new String[] {"reason", "wrong_binding"})).isEqualTo(1);
    }
  }

  @Test
  void explainTellsWhatARequestWithTheTokenMustBring() throws Exception {
    Explanation bound = guard.explain(boundToken(TestKeys.EC_P256));
    assertThat(bound.valid()).isTrue();
    assertThat(bound.steps().get(bound.steps().size() - 1).detail()).contains("DPoP-bound to key " + thumbprint(TestKeys.EC_P256));
    try (TokenGuard required = guard(Map.of("dpop.mode", "required"))) {
      Explanation unbound = required.explain(plainToken());
      assertThat(unbound.valid()).isFalse();
      assertThat(unbound.steps()).filteredOn(s -> !s.passed()).extracting(Explanation.Step::name).containsExactly("binding");
    }
  }
}
