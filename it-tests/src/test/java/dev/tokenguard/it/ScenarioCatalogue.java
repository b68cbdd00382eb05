package dev.tokenguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.TestKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The HTTP scenarios every adapter must pass, the same for a servlet container, Spring Boot or Quarkus. A
 * subclass starts an application protected by TokenGuard with {@link TestIdentityProviders#appProperties()}
 * and answering {@code /api/**}, {@code /public/**} and {@code /error} with {@link EchoResponse}; everything
 * here is plain HTTP against it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ScenarioCatalogue {
  protected TestIdentityProviders idp;
  private String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Starts the application with this TokenGuard configuration and returns its base URL (with context path). */
  protected abstract String startApp(Map<String, String> tokenGuardProperties) throws Exception;

  /** Stops the application. */
  protected abstract void stopApp() throws Exception;

  /**
   * The identity providers; a subclass whose framework starts the application before the test instance exists
   * (Quarkus) returns the ones it configured the application with.
   */
  protected TestIdentityProviders identityProviders() {
    return new TestIdentityProviders();
  }

  @BeforeAll
  void startAll() throws Exception {
    idp = identityProviders();
    base = startApp(idp.appProperties());
  }

  @AfterAll
  void stopAll() throws Exception {
    stopApp();
    idp.close();
    if (jose != null) {
      jose.close();
    }
  }

  /** The challenges every host answers a request without a token with: Bearer, and DPoP for the OIDC issuer's tokens. */
  public static final String MISSING_TOKEN_CHALLENGE = "Bearer realm=\"it\", DPoP realm=\"it\", algs=\"ES256 ES384 ES512 PS256"
      + " PS384 PS512 RS256 RS384 RS512 EdDSA\"";

  private JoseSigner jose;
  private JoseSigner.KeyPair dpopKey;

  /** The npm jose signer of DPoP proofs, started on first use, and the client's DPoP key. */
  private JoseSigner jose() throws Exception {
    if (jose == null) {
      jose = new JoseSigner();
      dpopKey = jose.keys("ES256", "client-key");
    }
    return jose;
  }

  /** A token of the OIDC issuer bound to the client's DPoP key ({@code cnf.jkt}, computed by jose). */
  private String dpopBoundToken() throws Exception {
    String jkt = jose().thumbprint(dpopKey.publicJwk());
    return idp.oidcToken("alice", Map.of("cnf", Map.of("jkt", jkt), "permissions", List.of("orders:read")));
  }

  /** GET {@code path} with the DPoP scheme and these proofs. */
  private HttpResponse<String> getWithDpop(String path, String token, String... proofs) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).GET()
        .header("Authorization", "DPoP " + token);
    for (String proof : proofs) {
      b.header("DPoP", proof);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  protected HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  protected HttpResponse<String> getWithToken(String path, String token) throws Exception {
    return get(path, "Authorization", "Bearer " + token);
  }

  protected static Map<String, Object> json(HttpResponse<String> r) throws Exception {
    return JSONObjectUtils.parse(r.body());
  }

  protected static String challenge(HttpResponse<String> r) {
    return r.headers().firstValue("WWW-Authenticate").orElse(null);
  }

  /** Repeats {@code request} until it answers {@code status} (bounded: 10 s), returning the last answer. */
  protected HttpResponse<String> awaitStatus(int status, ThrowingSupplier request) throws Exception {
    Instant deadline = Instant.now().plusSeconds(10);
    HttpResponse<String> r = request.get();
    while (r.statusCode() != status && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
      r = request.get();
    }
    return r;
  }

  /** A request that may throw. */
  @FunctionalInterface
  protected interface ThrowingSupplier {
    HttpResponse<String> get() throws Exception;
  }

  // ---- the catalogue ----

  @Test
  void validTokenThen200AndTheApplicationSeesThePrincipal() throws Exception {
    String token = idp.oidcToken("alice", Map.of("roles", List.of("reader"), "permissions", List.of("orders:read")));
    HttpResponse<String> r = getWithToken("/api/me", token);
    assertThat(r.statusCode()).isEqualTo(200);
    Map<String, Object> me = json(r);
    assertThat(me).containsEntry("subject", "alice").containsEntry("remoteUser", "alice")
        .containsEntry("authType", "BEARER").containsEntry("principalIsTokenPrincipal", true)
        .containsEntry("attributeIsPrincipal", true).containsEntry("inRoleReader", true).containsEntry("inRoleAdmin", false)
        .containsEntry("issuer", idp.oidcIssuer());
    assertThat(me.get("permissions").toString()).contains("orders:read");
  }

  @Test
  void missingTokenThen401WithBareChallenge() throws Exception {
    HttpResponse<String> r = get("/api/me");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(challenge(r)).isEqualTo(MISSING_TOKEN_CHALLENGE);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
  }

  @Test
  void expiredTokenThen401InvalidToken() throws Exception {
    String token = idp.oidcToken("alice", AUDIENCE(), Map.of(), -3600);
    HttpResponse<String> r = getWithToken("/api/me", token);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(challenge(r)).startsWith("Bearer realm=\"it\", error=\"invalid_token\", error_description=\"the token expired at ");
    assertThat(r.body()).doesNotContain(token);
  }

  @Test
  void wrongAudienceThen401InvalidToken() throws Exception {
    HttpResponse<String> r = getWithToken("/api/me", idp.oidcToken("alice", "another-api", Map.of(), 3600));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(challenge(r)).contains("error=\"invalid_token\"", "the audience (aud) is [another-api], expected one of [tokenguard-it]");
  }

  @Test
  void malformedRequestThen400InvalidRequest() throws Exception {
    String token = idp.oidcToken("alice", Map.of());
    HttpResponse<String> r = get("/api/me", "Authorization", "Bearer " + token + " " + token);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(challenge(r)).contains("error=\"invalid_request\"");
  }

  @Test
  void unknownKidThenOneRefetchThen401() throws Exception {
    TestKeys.TestKey stranger = TestKeys.RSA_2.withKid("never-published");
    HttpResponse<String> r = getWithToken("/api/me", idp.rotatingToken(stranger));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(challenge(r)).contains("no key with kid 'never-published'");
  }

  @Test
  void rotatedKeyThenAcceptedWithoutRestart() throws Exception {
    assertThat(getWithToken("/api/me", idp.rotatingToken(TestKeys.RSA)).statusCode()).isEqualTo(200);
    idp.rotating.keys(TestKeys.RSA, TestKeys.RSA_2);
    HttpResponse<String> r = awaitStatus(200, () -> getWithToken("/api/me", idp.rotatingToken(TestKeys.RSA_2)));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r)).containsEntry("subject", "user-123");
  }

  @Test
  void idpDownThen503ThenRecoversWithoutRestart() throws Exception {
    idp.outage.mode(JwksServer.Mode.DOWN);
    HttpResponse<String> down = getWithToken("/api/me", idp.outageToken());
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.headers().firstValue("Retry-After")).isPresent();
    assertThat(challenge(down)).isNull();
    idp.outage.mode(JwksServer.Mode.OK);
    assertThat(awaitStatus(200, () -> getWithToken("/api/me", idp.outageToken())).statusCode()).isEqualTo(200);
  }

  @Test
  void missingPermissionThen403InsufficientScope() throws Exception {
    HttpResponse<String> denied = getWithToken("/api/admin/users", idp.oidcToken("alice", Map.of("permissions", List.of("orders:read"))));
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(challenge(denied)).contains("error=\"insufficient_scope\"", "scope=\"admin:write\"");
    HttpResponse<String> allowed = getWithToken("/api/admin/users", idp.oidcToken("alice", Map.of("permissions", List.of("admin:write"))));
    assertThat(allowed.statusCode()).isEqualTo(200);
  }

  @Test
  void opaqueTokensPassAndFailAsTheirJwtTwins() throws Exception {
    HttpResponse<String> ok = getWithToken("/api/me", idp.opaqueToken("alice", AUDIENCE(), "orders:read", 3600));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(json(ok)).containsEntry("subject", "alice").containsEntry("principalIsTokenPrincipal", true)
        .containsEntry("issuer", idp.opaqueIssuer());
    assertThat(json(ok).get("permissions").toString()).contains("orders:read");

    HttpResponse<String> denied = getWithToken("/api/admin/users", idp.opaqueToken("alice", AUDIENCE(), "orders:read", 3600));
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(challenge(denied)).contains("error=\"insufficient_scope\"", "scope=\"admin:write\"");
    assertThat(getWithToken("/api/admin/users", idp.opaqueToken("alice", AUDIENCE(), "admin:write", 3600)).statusCode()).isEqualTo(200);

    HttpResponse<String> wrongAudience = getWithToken("/api/me", idp.opaqueToken("alice", "another-api", "orders:read", 3600));
    assertThat(wrongAudience.statusCode()).isEqualTo(401);
    assertThat(challenge(wrongAudience)).contains("error=\"invalid_token\"", "the audience (aud) is [another-api]");
    HttpResponse<String> expired = getWithToken("/api/me", idp.opaqueToken("alice", AUDIENCE(), "orders:read", -3600));
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(challenge(expired)).contains("error=\"invalid_token\"", "the token expired at ");
    HttpResponse<String> unknown = getWithToken("/api/me", "op_" + "0".repeat(32));
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(challenge(unknown)).contains("error=\"invalid_token\"", "inactive");
    assertThat(unknown.body() + challenge(unknown)).doesNotContain("127.0.0.1");
  }

  @Test
  void ruleCannotBeBypassedWithAnotherSpellingOfThePath() throws Exception {
    String token = idp.oidcToken("alice", Map.of("permissions", List.of("orders:read")));
    for (String path : List.of("/api//admin/users", "/api/./admin/users", "/api/x/../admin/users", "/api/%61dmin/users")) {
      HttpResponse<String> r = getWithToken(path, token);
      assertThat(r.statusCode()).as(path).isIn(400, 403, 404);
      assertThat(r.statusCode()).as(path).isNotEqualTo(200);
    }
  }

  @Test
  void publicPathThen200WithoutToken() throws Exception {
    HttpResponse<String> r = get("/public/health");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r)).containsEntry("remoteUser", null).containsEntry("principalIsTokenPrincipal", false);
  }

  @Test
  void userLookupProfileVisibleToTheApplication() throws Exception {
    HttpResponse<String> r = getWithToken("/api/me", idp.oidcToken("bob", Map.of()));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r)).containsEntry("profileEmail", "bob@example.com");
  }

  /**
   * The user API belongs to the OIDC issuer's block: a token of another issuer whose subject is a user there gets no
   * profile, and a user blocked there is not blocked for it (issuers.oidc.user-lookup.*).
   */
  @Test
  void aSubjectOfAnotherIssuerIsNotLookedUpAtTheBlocksUserApi() throws Exception {
    HttpResponse<String> r = getWithToken("/api/me", idp.rotatingToken("bob"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r)).containsEntry("subject", "bob");
    assertThat(json(r).get("profileEmail")).isNull();
    assertThat(getWithToken("/api/me", idp.rotatingToken(TestIdentityProviders.BLOCKED_USER)).statusCode()).isEqualTo(200);
  }

  @Test
  void blockedUserThen401() throws Exception {
    HttpResponse<String> r = getWithToken("/api/me", idp.oidcToken(TestIdentityProviders.BLOCKED_USER, Map.of()));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(challenge(r)).contains("error=\"invalid_token\"", "is blocked at the identity provider");
  }

  @Test
  void noSessionIsCreated() throws Exception {
    HttpResponse<String> r = getWithToken("/api/me", idp.oidcToken("alice", Map.of()));
    assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
    assertThat(json(r)).containsEntry("session", false);
  }

  @Test
  void asyncDispatchSeesTheSamePrincipal() throws Exception {
    HttpResponse<String> r = getWithToken("/api/async", idp.oidcToken("alice", Map.of()));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r)).containsEntry("dispatch", "ASYNC").containsEntry("remoteUser", "alice");
  }

  @Test
  void errorDispatchSeesTheSamePrincipalAndNeverChallenges() throws Exception {
    HttpResponse<String> r = getWithToken("/api/fail", idp.oidcToken("alice", Map.of()));
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(challenge(r)).isNull();
    assertThat(json(r)).containsEntry("dispatch", "ERROR").containsEntry("remoteUser", "alice");
  }

  private static String AUDIENCE() {
    return TestIdentityProviders.AUDIENCE;
  }

  // ---- sender-constrained tokens: DPoP (RFC 9449), proofs signed by npm jose ----

  @Test
  void dpopBoundTokenWithAFreshProofThen200AndTheApplicationSeesTheBinding() throws Exception {
    String token = dpopBoundToken();
    HttpResponse<String> r = getWithDpop("/api/me", token, jose().proof(dpopKey, "GET", base + "/api/me", token, Map.of()));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r)).containsEntry("subject", "alice").containsEntry("binding", "DPOP");
    // a query is not part of htu
    HttpResponse<String> query = getWithDpop("/api/me?page=2", token, jose().proof(dpopKey, "GET", base + "/api/me", token, Map.of()));
    assertThat(query.statusCode()).as(query.body()).isEqualTo(200);
  }

  @Test
  void aReplayedDpopProofThen401InvalidDpopProof() throws Exception {
    String token = dpopBoundToken();
    String proof = jose().proof(dpopKey, "GET", base + "/api/me", token, Map.of());
    assertThat(getWithDpop("/api/me", token, proof).statusCode()).isEqualTo(200);
    HttpResponse<String> replay = getWithDpop("/api/me", token, proof);
    assertThat(replay.statusCode()).isEqualTo(401);
    assertThat(challenge(replay)).contains("DPoP realm=\"it\", error=\"invalid_dpop_proof\"", "used before");
  }

  @Test
  void aDpopProofForAnotherRequestOrTokenThen401() throws Exception {
    String token = dpopBoundToken();
    for (Map<String, Object> wrong : List.<Map<String, Object>>of(Map.of("htu", base + "/api/other"), Map.of("htm", "POST"),
        Map.of("ath", JoseSigner.ath(token + "x")), Map.of("iat", Instant.now().minusSeconds(600).getEpochSecond()))) {
      HttpResponse<String> r = getWithDpop("/api/me", token, jose().proof(dpopKey, "GET", base + "/api/me", token, wrong));
      assertThat(r.statusCode()).as(wrong.toString()).isEqualTo(401);
      assertThat(challenge(r)).as(wrong.toString()).contains("error=\"invalid_dpop_proof\"");
    }
    HttpResponse<String> two = getWithDpop("/api/me", token, jose().proof(dpopKey, "GET", base + "/api/me", token, Map.of()),
        jose().proof(dpopKey, "GET", base + "/api/me", token, Map.of()));
    assertThat(two.statusCode()).isEqualTo(401);
    assertThat(challenge(two)).contains("2 DPoP headers");
  }

  @Test
  void aDpopBoundTokenSentAsBearerThen401AndAnUnboundOneWithDpopThen401() throws Exception {
    String token = dpopBoundToken();
    HttpResponse<String> bearer = get("/api/me", "Authorization", "Bearer " + token,
        "DPoP", jose().proof(dpopKey, "GET", base + "/api/me", token, Map.of()));
    assertThat(bearer.statusCode()).isEqualTo(401);
    assertThat(challenge(bearer)).startsWith("Bearer realm=\"it\", error=\"invalid_token\"").contains("bound to a DPoP key");
    String unbound = idp.oidcToken("alice", Map.of());
    HttpResponse<String> dpop = getWithDpop("/api/me", unbound, jose().proof(dpopKey, "GET", base + "/api/me", unbound, Map.of()));
    assertThat(dpop.statusCode()).isEqualTo(401);
    assertThat(challenge(dpop)).contains("DPoP realm=\"it\", error=\"invalid_token\"", "not bound to a key");
  }
}
