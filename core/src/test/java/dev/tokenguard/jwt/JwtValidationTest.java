package dev.tokenguard.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.RejectionReason;
import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.testing.FakeClock;
import dev.tokenguard.testing.Json;
import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Token validation end to end: a real JWKS server on loopback, a fake clock, tokens signed by the JDK. */
class JwtValidationTest {
  static final String AUDIENCE = "api://orders";
  static final byte[] SECRET =
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

  final FakeClock clock = FakeClock.at("2026-11-23T10:00:00Z");
  JwksServer idp;
  TokenGuard guard;

  @BeforeEach
  void start() {
    idp = new JwksServer().keys(TestKeys.RSA, TestKeys.EC_P256, TestKeys.EC_P384, TestKeys.ED25519);
    guard = guard(b -> {});
  }

  @AfterEach
  void stop() {
    guard.close();
    idp.close();
  }

  TokenGuard guard(Consumer<TokenGuardConfig.Builder> customise) {
    TokenGuardConfig.Builder b = TokenGuardConfig.builder()
        .issuer(idp.issuer())
        .audience(AUDIENCE)
        .clock(clock)
        .tokenCacheEnabled(false);
    customise.accept(b);
    return TokenGuard.create(b.build(), Runnable::run);
  }

  TestTokens token() {
    return TestTokens.valid(idp.issuer(), AUDIENCE, clock.instant());
  }

  TokenPrincipal validate(String token) {
    return guard.validator().validate(token);
  }

  void assertInvalid(String token, String descriptionPart) {
    assertThatThrownBy(() -> validate(token))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessageContaining(descriptionPart);
  }

  @Test
  void thePrincipalsClaimsCannotBeChangedAtAnyDepth() {
    TokenPrincipal p = validate(token().claim("permissions", TestTokens.list("orders:read"))
        .claim("realm_access", Map.of("roles", TestTokens.list("admin"))).sign("RS256", TestKeys.RSA));
    assertThatThrownBy(() -> p.claims().put("sub", "mallory")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> p.claims().entrySet().iterator().next().setValue("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> p.claims().keySet().clear()).isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    java.util.List<Object> permissions = (java.util.List<Object>) p.claims().get("permissions");
    assertThatThrownBy(() -> permissions.add("orders:write")).isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> realm = (Map<String, Object>) p.claims().get("realm_access");
    assertThatThrownBy(() -> realm.put("roles", "x")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(p.permissions()).contains("orders:read");
    assertThat(p.roles()).containsExactly("admin");
  }

  @Test
  void thePrincipalsSetsAreReadWhenAskedForAndSurviveSerialization() throws Exception {
    TokenPrincipal p = validate(token().claim("scope", "openid orders:read").claim("permissions", TestTokens.list("orders:read", "billing:read"))
        .claim("groups", TestTokens.list("staff")).sign("RS256", TestKeys.RSA));
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(p); // before any set was asked for
    }
    TokenPrincipal copy;
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (TokenPrincipal) in.readObject();
    }
    for (TokenPrincipal each : List.of(p, copy)) {
      assertThat(each.scopes()).containsExactlyInAnyOrder("openid", "orders:read");
      assertThat(each.permissions()).containsExactlyInAnyOrder("orders:read", "billing:read", "openid");
      assertThat(each.roles()).containsExactly("staff");
      assertThat(each.hasPermission("billing:read")).isTrue();
      assertThat(each.hasRole("staff")).isTrue();
    }
    assertThat(copy.claims()).isEqualTo(p.claims());
    assertThat(copy).isEqualTo(p);
  }

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"})
  void validateWhenRsaFamilyThenAccepted(String alg) {
    assertThat(validate(token().sign(alg, TestKeys.RSA)).getName()).isEqualTo("user-123");
  }

  @Test
  void validateWhenEs256Es384AndEdDsaThenAccepted() {
    assertThat(validate(token().sign("ES256", TestKeys.EC_P256)).subject()).isEqualTo("user-123");
    assertThat(validate(token().sign("ES384", TestKeys.EC_P384)).subject()).isEqualTo("user-123");
    assertThat(validate(token().sign("EdDSA", TestKeys.ED25519)).subject()).isEqualTo("user-123");
    assertThat(validate(token().sign("Ed25519", TestKeys.ED25519)).subject()).isEqualTo("user-123");
  }

  @Test
  void validateWhenValidThenPrincipalCarriesClaims() {
    String t = token()
        .claim("permissions", List.of("orders:write"))
        .claim("realm_access", Map.of("roles", List.of("admin")))
        .claim("resource_access", Map.of("my.client", Map.of("roles", List.of("client-role"))))
        .sign("RS256", TestKeys.RSA);
    TokenGuard g = guard(b -> b.rolesClaims("realm_access.roles", "resource_access.my.client.roles"));
    TokenPrincipal p = g.validator().validate(t);
    assertThat(p.issuer()).isEqualTo(idp.issuer());
    assertThat(p.audiences()).containsExactly(AUDIENCE);
    assertThat(p.scopes()).containsExactlyInAnyOrder("orders:read", "profile");
    assertThat(p.permissions()).containsExactlyInAnyOrder("orders:write", "orders:read", "profile");
    assertThat(p.roles()).containsExactlyInAnyOrder("admin", "client-role");
    assertThat(p.expiresAt()).isEqualTo(clock.instant().plusSeconds(3600));
    assertThat(p.claims()).containsEntry("sub", "user-123");
    assertThat(p.profile()).isEmpty();
    g.close();
  }

  @Test
  void validateWhenScpArrayThenScopesRead() {
    TokenPrincipal p = validate(token().claim("scope", null).claim("scp", List.of("a", "b")).sign("RS256", TestKeys.RSA));
    assertThat(p.scopes()).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void validateWhenPrincipalClaimConfiguredThenNameComesFromIt() {
    TokenGuard g = guard(b -> b.principalClaim("email"));
    assertThat(g.validator().validate(token().claim("email", "a@example.com").sign("RS256", TestKeys.RSA)).getName())
        .isEqualTo("a@example.com");
    assertThatThrownBy(() -> g.validator().validate(token().sign("RS256", TestKeys.RSA)))
        .hasMessageContaining("'email', used as the principal name, is missing");
    g.close();
  }

  // ---- time ----

  @Test
  void validateWhenExpiredBeyondSkewThenRejected() {
    assertInvalid(token().expiredBy(61, clock.instant()).sign("RS256", TestKeys.RSA), "expired at");
  }

  @Test
  void validateWhenExpiredWithinSkewThenAccepted() {
    assertThat(validate(token().expiredBy(60, clock.instant()).sign("RS256", TestKeys.RSA))).isNotNull();
  }

  @Test
  void validateWhenExpMissingThenRejected() {
    assertInvalid(token().claim("exp", null).sign("RS256", TestKeys.RSA), "no expiry (exp)");
  }

  @Test
  void validateWhenExpIsStringThenRejected() {
    assertInvalid(token().claim("exp", String.valueOf(clock.instant().getEpochSecond() + 60)).sign("RS256", TestKeys.RSA),
        "'exp' must be a number");
  }

  @Test
  void validateWhenExpIsFractionalThenAccepted() {
    assertThat(validate(token().claim("exp", clock.instant().getEpochSecond() + 60.5).sign("RS256", TestKeys.RSA)))
        .isNotNull();
  }

  @Test
  void validateWhenDatesHugeOrNegativeThenRejected() {
    assertInvalid(token().claim("exp", new Json.Raw("1e20")).sign("RS256", TestKeys.RSA), "outside the range");
    assertInvalid(token().claim("nbf", new Json.Raw("1e20")).sign("RS256", TestKeys.RSA), "outside the range");
    assertInvalid(token().claim("nbf", new Json.Raw("-1e20")).sign("RS256", TestKeys.RSA), "outside the range");
    assertInvalid(token().claim("iat", -5).sign("RS256", TestKeys.RSA), "outside the range");
    assertInvalid(token().claim("exp", new Json.Raw("99999999999999999999999")).sign("RS256", TestKeys.RSA),
        "outside the range");
  }

  @Test
  void validateWhenNbfInFutureBeyondSkewThenRejected() {
    assertInvalid(token().claim("nbf", clock.instant().getEpochSecond() + 61).sign("RS256", TestKeys.RSA),
        "not valid before");
    assertThat(validate(token().claim("nbf", clock.instant().getEpochSecond() + 60).sign("RS256", TestKeys.RSA)))
        .isNotNull();
  }

  @Test
  void validateWhenIatInFutureBeyondSkewThenRejected() {
    assertInvalid(token().claim("iat", clock.instant().getEpochSecond() + 120).sign("RS256", TestKeys.RSA),
        "issued in the future");
  }

  @Test
  void validateWhenIssuedLongerAgoThanMaxTokenAgeThenRejectedWhateverItsExp() {
    TokenGuard g = guard(b -> b.set(TokenGuardConfig.MAX_TOKEN_AGE, Duration.ofMinutes(10)));
    long now = clock.instant().getEpochSecond();
    String fresh = token().claim("iat", now - 600 - 60).claim("exp", now + 3600).sign("RS256", TestKeys.RSA); // age + skew
    assertThat(g.validator().validate(fresh).getName()).isEqualTo("user-123");
    String old = token().claim("iat", now - 600 - 61).claim("exp", now + 3600).sign("RS256", TestKeys.RSA);
    assertThatThrownBy(() -> g.validator().validate(old)).isInstanceOf(InvalidTokenException.class)
        .hasMessageContaining("longer ago than max-token-age (600s)");
    String noIat = token().claim("iat", null).sign("RS256", TestKeys.RSA);
    assertThatThrownBy(() -> g.validator().validate(noIat)).hasMessageContaining("no issued-at time");
    assertThat(validate(noIat).getName()).as("off by default").isEqualTo("user-123");
    assertThatThrownBy(() -> TokenGuardConfig.builder().set("max-token-age", "0s"))
        .hasMessage("max-token-age: must be between 1s and 365d, but was 0s");
    g.close();
  }

  @Test
  void validateWhenClockSkewConfiguredThenBoundaryMoves() {
    TokenGuard g = guard(b -> b.clockSkew(Duration.ZERO));
    String t = token().expiredBy(1, clock.instant()).sign("RS256", TestKeys.RSA);
    assertThatThrownBy(() -> g.validator().validate(t)).hasMessageContaining("expired");
    g.close();
  }

  /**
   * The cache is keyed by the SHA-256 of the signature part: a token that carries a cached token's signature under
   * another payload, another header, or a longer signing input must not be answered with the cached token's caller
   * (an upstream that reads the presented token would trust its forged claims), but verified, and refused.
   */
  @Test
  void validateWhenACachedSignatureComesWithAnotherSigningInputThenThatTokenIsVerifiedAndRefused() {
    TokenGuard g = guard(b -> b.tokenCacheEnabled(true));
    String t = token().sign("RS256", TestKeys.RSA);
    TokenPrincipal first = g.validator().validate(t);
    String[] parts = t.split("\\.");
    String forgedClaims = TestTokens.enc(new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace("\"sub\":\"", "\"sub\":\"admin-"));
    String forgedHeader = TestTokens.enc(Json.write(Map.of("alg", "RS256", "kid", TestKeys.RSA.kid(), "typ", "JWT")));
    for (String forged : List.of(parts[0] + "." + forgedClaims + "." + parts[2], forgedHeader + "." + parts[1] + "." + parts[2],
        "x" + t, "." + t, parts[1] + "." + parts[2], parts[2])) {
      assertThatThrownBy(() -> g.validator().validate(forged)).as(forged).isInstanceOf(InvalidTokenException.class);
    }
    assertThat(g.validator().validate(t)).isSameAs(first);
    g.close();
  }

  @Test
  void validateWhenACachedTokenComesWithACharacterBeyondLatin1ThenThatTokenIsVerifiedAndRefused() {
    // the cache compares Latin-1 bytes, where such a character is '?': it must never stand for the cached character
    TokenGuard g = guard(b -> b.tokenCacheEnabled(true));
    String t = token().sign("RS256", TestKeys.RSA);
    TokenPrincipal first = g.validator().validate(t);
    for (int at : new int[] {t.length() - 5, t.indexOf('.') + 3, 2}) {
      for (char c : new char[] {(char) (t.charAt(at) + 0x100), (char) (t.charAt(at) + 0xFF00), '?', '\u00FF'}) {
        String forged = t.substring(0, at) + c + t.substring(at + 1);
        assertThatThrownBy(() -> g.validator().validate(forged)).as("U+%04X at %d", (int) c, at)
            .isInstanceOf(InvalidTokenException.class);
      }
    }
    assertThat(g.validator().validate(t)).isSameAs(first);
    g.close();
  }

  // ---- identity ----

  @Test
  void validateWhenIssuerDiffersThenRejectedBeforeAnyKeyFetch() {
    assertInvalid(token().claim("iss", idp.issuer() + "/").sign("RS256", TestKeys.RSA), "issuer (iss) is");
    assertInvalid(token().claim("iss", idp.issuer().toUpperCase()).sign("RS256", TestKeys.RSA), "issuer (iss) is");
    assertInvalid(token().claim("iss", null).sign("RS256", TestKeys.RSA), "no issuer");
    assertInvalid(token().claim("iss", 42).sign("RS256", TestKeys.RSA), "must be a string");
    assertThat(idp.jwksHits() + idp.hits("/.well-known/openid-configuration")).isZero();
  }

  @Test
  void validateWhenAudienceMismatchOrMalformedThenRejected() {
    assertInvalid(token().claim("aud", "api://other").sign("RS256", TestKeys.RSA), "audience (aud) is [api://other]");
    assertInvalid(token().claim("aud", null).sign("RS256", TestKeys.RSA), "no audience");
    assertInvalid(token().claim("aud", TestTokens.list("api://other", null)).sign("RS256", TestKeys.RSA), "only strings");
    assertInvalid(token().claim("aud", 7).sign("RS256", TestKeys.RSA), "string or an array");
  }

  @Test
  void validateWhenAudienceArrayContainsOneAcceptedThenAccepted() {
    assertThat(validate(token().claim("aud", List.of("x", AUDIENCE)).sign("RS256", TestKeys.RSA)).audiences())
        .containsExactly("x", AUDIENCE);
  }

  @Test
  void validateWhenSubNotStringThenRejected() {
    assertInvalid(token().claim("sub", 12345).sign("RS256", TestKeys.RSA), "'sub' must be a non-empty string");
    assertInvalid(token().claimNull("sub").sign("RS256", TestKeys.RSA), "'sub', used as the principal name, is missing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "   ", "\t", "\n", " \r\n ", "\u00a0", "\u2007", "\u202f", "\u3000"})
  void validateWhenSubEmptyOrOnlyWhiteSpaceThenRejectedAsMalformed(String sub) {
    assertThatThrownBy(() -> validate(token().claim("sub", sub).sign("RS256", TestKeys.RSA)))
        .isInstanceOfSatisfying(InvalidTokenException.class, e -> {
          assertThat(e.reason()).isEqualTo(RejectionReason.MALFORMED);
          assertThat(e.errorCode()).isEqualTo("invalid_token");
          assertThat(e.httpStatus()).isEqualTo(401);
        })
        .hasMessageContaining("'sub' must be a non-empty string");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\u00a0"})
  void validateWhenPrincipalClaimEmptyOrOnlyWhiteSpaceThenRejectedAsMalformed(String email) {
    TokenGuard g = guard(b -> b.principalClaim("email"));
    assertThatThrownBy(() -> g.validator().validate(token().claim("email", email).sign("RS256", TestKeys.RSA)))
        .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.reason()).isEqualTo(RejectionReason.MALFORMED))
        .hasMessageContaining("'email' must be a non-empty string");
    g.close();
  }

  /**
   * RFC 7519 §4.1.7: a token id is a case-sensitive string. One of another type, or blank, could never match a
   * revocation by token id ({@code TokenGuard.revokeTokenId}), so it is refused rather than silently unrevocable.
   */
  @Test
  void validateWhenJtiNotANonEmptyStringThenRejectedAsMalformed() {
    for (Object jti : List.<Object>of(12345, true, List.of("a"), "", " ")) {
      assertThatThrownBy(() -> validate(token().claim("jti", jti).sign("RS256", TestKeys.RSA)))
          .as("jti %s", jti)
          .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.reason()).isEqualTo(RejectionReason.MALFORMED))
          .hasMessageContaining("'jti' must be a non-empty string");
    }
    assertThat(validate(token().claim("jti", "a1-B2").sign("RS256", TestKeys.RSA)).claims()).containsEntry("jti", "a1-B2");
    assertThat(validate(token().claimNull("jti").sign("RS256", TestKeys.RSA)).subject()).isNotNull();
  }

  @Test
  void validateWhenSubHasWhiteSpaceAroundOtherCharactersThenAcceptedAsIs() {
    assertThat(validate(token().claim("sub", " user 1 ").sign("RS256", TestKeys.RSA)).subject()).isEqualTo(" user 1 ");
  }

  @Test
  void validateWhenRequiredClaimNullThenCountsAsMissing() {
    TokenGuard g = guard(b -> b.requiredClaims("client_id", "jti"));
    String t = token().claim("client_id", "c1").claimNull("jti").sign("RS256", TestKeys.RSA);
    assertThatThrownBy(() -> g.validator().validate(t)).hasMessageContaining("required claim 'jti' is missing");
    g.close();
  }

  @Test
  void validateWhenTypeNotAcceptedThenRejected() {
    TokenGuard g = guard(b -> b.tokenTypes("at+jwt"));
    assertThatThrownBy(() -> g.validator().validate(token().header("typ", "JWT").sign("RS256", TestKeys.RSA)))
        .hasMessageContaining("token type (typ) is 'JWT'");
    assertThatThrownBy(() -> g.validator().validate(token().header("typ", null).sign("RS256", TestKeys.RSA)))
        .hasMessageContaining("'absent'");
    assertThat(g.validator().validate(token().header("typ", "application/AT+JWT").sign("RS256", TestKeys.RSA)))
        .isNotNull();
    g.close();
  }

  @Test
  void validateWhenIdTokenPresentedThenRejectedByAudience() {
    String idToken = token().header("typ", "JWT").claim("aud", "web-client").claim("nonce", "n-1")
        .sign("RS256", TestKeys.RSA);
    assertInvalid(idToken, "audience (aud) is [web-client]");
  }

  // ---- algorithm ----

  @ParameterizedTest
  @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
  void validateWhenAlgNoneInAnyCaseThenRejected(String none) {
    String unsigned = TestTokens.enc(Json.write(Map.of("alg", none))) + "." + token().encodedClaims() + ".";
    assertInvalid(unsigned, "signature is missing");
    String withSignature = TestTokens.enc(Json.write(Map.of("alg", none))) + "." + token().encodedClaims() + ".AAAA";
    assertInvalid(withSignature, "alg none");
  }

  @Test
  void validateWhenHs256SignedWithRsaPublicKeyThenRejected() {
    byte[] publicKeyBytes = TestKeys.RSA.pair().getPublic().getEncoded();
    assertInvalid(token().signHmac("HS256", publicKeyBytes), "signed with HS256, but only [");
  }

  @Test
  void validateWhenHmacSecretConfiguredThenHmacAcceptedAndOtherSecretsRefused() {
    TokenGuard g = guard(b -> b.hmacSecret(new String(SECRET, StandardCharsets.UTF_8)));
    assertThat(g.validator().validate(token().signHmac("HS256", SECRET))).isNotNull();
    assertThat(g.validator().validate(token().signHmac("HS512", SECRET))).isNotNull();
    byte[] publicKeyBytes = TestKeys.RSA.pair().getPublic().getEncoded();
    assertThatThrownBy(() -> g.validator().validate(token().signHmac("HS256", publicKeyBytes)))
        .hasMessageContaining("does not verify with the configured HMAC secret");
    g.close();
  }

  @Test
  void validateWhenAlgorithmOutsideAllowListThenRejected() {
    TokenGuard g = guard(b -> b.algorithms("ES256"));
    assertThatThrownBy(() -> g.validator().validate(token().sign("RS256", TestKeys.RSA)))
        .hasMessageContaining("signed with RS256, but only [ES256]");
    g.close();
  }

  @Test
  void validateWhenAlgDoesNotFitKeyThenRejectedWithoutRefetch() {
    // ES256 claimed, but the kid names the RSA key
    String t = token().signRaw("ES256", TestKeys.RSA.kid(), token().encodedClaims(), TestKeys.EC_P256.pair().getPrivate());
    assertInvalid(t, "cannot verify ES256");
    assertThat(idp.jwksHits()).isEqualTo(1); // the first fetch only
  }

  // ---- key selection ----

  @Test
  void validateWhenEmbeddedJwkOrJkuThenNeverTrusted() {
    TestKeys.TestKey attacker = TestKeys.rsa("attacker", 2048);
    String t = token().header("jwk", attacker.publicJwk()).header("jku", idp.issuer() + "/evil")
        .header("x5u", idp.issuer() + "/evil").sign("RS256", attacker);
    assertInvalid(t, "no key with kid 'attacker'");
    assertThat(idp.hits("/evil")).isZero();
  }

  @Test
  void validateWhenKidHugeThenRejected() {
    String t = token().signRaw("RS256", "k".repeat(300), token().encodedClaims(), TestKeys.RSA.pair().getPrivate());
    assertInvalid(t, "more than 256");
  }

  @Test
  void validateWhenNoKidThenTriesKeysFittingTheAlgorithm() {
    String t = token().signRaw("ES384", null, token().encodedClaims(), TestKeys.EC_P384.pair().getPrivate());
    assertThat(validate(t)).isNotNull();
  }

  // ---- crit ----

  @Test
  void validateWhenCritPresentThenRejected() {
    assertInvalid(token().header("crit", List.of("exp")).header("exp", 1).sign("RS256", TestKeys.RSA), "critical header");
    assertInvalid(token().header("crit", List.of()).sign("RS256", TestKeys.RSA), "critical header");
    assertInvalid(token().header("crit", List.of("b64")).header("b64", false).sign("RS256", TestKeys.RSA),
        "critical header");
  }

  // ---- signature and structure ----

  @Test
  void validateWhenSignatureTamperedThenRejected() {
    String t = token().sign("RS256", TestKeys.RSA);
    String payloadSwapped = t.substring(0, t.indexOf('.') + 1) + token().claim("sub", "admin").encodedClaims()
        + t.substring(t.lastIndexOf('.'));
    assertInvalid(payloadSwapped, "signature does not verify");
    assertInvalid(t.substring(0, t.length() - 4), "signature");
    assertInvalid(t.substring(0, t.lastIndexOf('.') + 1), "signature is missing");
  }

  @Test
  void validateWhenEcdsaSignatureZeroOrDerThenRejected() throws Exception {
    String input = token().encodedHeader("ES256", TestKeys.EC_P256.kid()) + "." + token().encodedClaims();
    assertInvalid(input + "." + TestTokens.enc(new byte[64]), "signature does not verify");
    java.security.Signature der = java.security.Signature.getInstance("SHA256withECDSA");
    der.initSign(TestKeys.EC_P256.pair().getPrivate());
    der.update(input.getBytes(StandardCharsets.US_ASCII));
    assertInvalid(input + "." + TestTokens.enc(der.sign()), "signature does not verify");
  }

  @Test
  void validateWhenNonCanonicalBase64ThenRejected() {
    String t = token().sign("ES256", TestKeys.EC_P256); // 64-byte signature: 86 chars, the last has 2 unused bits
    char last = t.charAt(t.length() - 1);
    String flipped = t.substring(0, t.length() - 1) + (char) (last + 1);
    assertInvalid(flipped, "strict base64url");
    assertInvalid(t + "==", "padding");
    assertInvalid(t.replace(".", ". "), "strict base64url");
    assertInvalid(" " + t, "strict base64url");
  }

  @Test
  void validateWhenStructureWrongThenRejected() {
    String t = token().sign("RS256", TestKeys.RSA);
    assertInvalid(t + ".x.y", "encrypted tokens (JWE");
    assertInvalid(t + ".", "found 4 part(s)");
    assertInvalid("abc", "found 1 part(s)");
    assertInvalid("", "empty");
  }

  @Test
  void validateWhenJweHeaderThenRejected() {
    String h = TestTokens.enc(Json.write(Map.of("alg", "PBES2-HS256+A128KW", "enc", "A128GCM", "p2c", 2_000_000_000)));
    assertInvalid(h + ".AAAA.AAAA.AAAA.AAAA", "encrypted tokens");
    assertInvalid(h + "." + token().encodedClaims() + ".AAAA", "encrypted tokens");
  }

  @Test
  void validateWhenOversizedThenRejectedBeforeParsing() {
    String t = token().claim("blob", "x".repeat(2 * 1024 * 1024)).sign("RS256", TestKeys.RSA);
    assertInvalid(t, "more than the limit of 16384");
  }

  @Test
  void validateWhenPayloadIsNotJsonObjectThenRejected() {
    String t = token().signRaw("RS256", TestKeys.RSA.kid(), TestTokens.enc("[1,2,3]"), TestKeys.RSA.pair().getPrivate());
    assertInvalid(t, "not a JSON object of claims");
  }

  @Test
  void validateWhenDuplicateClaimKeysThenRejected() {
    String payload = "{\"iss\":\"" + idp.issuer() + "\",\"sub\":\"user-123\",\"sub\":\"admin\",\"aud\":\"" + AUDIENCE
        + "\",\"exp\":" + (clock.instant().getEpochSecond() + 60) + "}";
    String t = token().signRaw("RS256", TestKeys.RSA.kid(), TestTokens.enc(payload), TestKeys.RSA.pair().getPrivate());
    assertInvalid(t, "not a JSON object");
  }

  @Test
  void validateWhenDeeplyNestedJsonThenRejectedCleanly() {
    String nested = "[".repeat(3000) + "]".repeat(3000);
    String payload = "{\"iss\":\"" + idp.issuer() + "\",\"x\":" + nested + "}";
    String t = token().signRaw("RS256", TestKeys.RSA.kid(), TestTokens.enc(payload), TestKeys.RSA.pair().getPrivate());
    assertThatThrownBy(() -> validate(t)).isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void validateWhenInvalidUtf8ThenRejected() {
    byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    String t = token().signRaw("RS256", TestKeys.RSA.kid(), TestTokens.enc(bad), TestKeys.RSA.pair().getPrivate());
    assertInvalid(t, "not valid UTF-8");
  }

  @Test
  void errorMessagesNeverContainTheToken() {
    String t = token().claim("aud", "api://other").sign("RS256", TestKeys.RSA);
    assertThatThrownBy(() -> validate(t)).satisfies(e -> {
      assertThat(e.getMessage()).doesNotContain(t);
      assertThat(e.getMessage()).doesNotContain(t.substring(t.lastIndexOf('.') + 1));
    });
  }

  @Test
  void validateWhenApplicationCheckAddedThenBuiltInChecksStillRun() {
    TokenGuard g = TokenGuard.builder(TokenGuardConfig.builder().issuer(idp.issuer()).audience(AUDIENCE).clock(clock).build())
        .refreshExecutor(Runnable::run)
        .addCheck(p -> {
          if (!"acme".equals(p.claims().get("tenant"))) {
            throw new InvalidTokenException("the tenant is '" + p.claims().get("tenant") + "', expected 'acme'");
          }
        })
        .build();
    assertThat(g.validator().validate(token().claim("tenant", "acme").sign("RS256", TestKeys.RSA))).isNotNull();
    assertThatThrownBy(() -> g.validator().validate(token().claim("tenant", "other").sign("RS256", TestKeys.RSA)))
        .hasMessageContaining("the tenant is 'other', expected 'acme'");
    assertThatThrownBy(() -> g.validator().validate(token().claim("tenant", "acme").claim("aud", "x").sign("RS256", TestKeys.RSA)))
        .hasMessageContaining("audience (aud) is [x]");
    g.close();
  }

  @Test
  void validateWhenApplicationCheckThrowsUnexpectedlyThenInvalidTokenWithoutDetails() {
    TokenGuard g = TokenGuard.builder(TokenGuardConfig.builder().issuer(idp.issuer()).audience(AUDIENCE).clock(clock).build())
        .refreshExecutor(Runnable::run)
        .addCheck(p -> {
          throw new IllegalStateException("bug in the application's check");
        })
        .build();
    assertThatThrownBy(() -> g.validator().validate(token().sign("RS256", TestKeys.RSA)))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessage("the token could not be processed");
    g.close();
  }

  @Test
  void validateWhenCachedThenRepeatedTokenIsNotVerifiedAgain() {
    TokenGuard g = guard(b -> b.tokenCacheEnabled(true));
    String t = token().sign("RS256", TestKeys.RSA);
    TokenPrincipal first = g.validator().validate(t);
    assertThat(g.validator().validate(t)).isSameAs(first);
    clock.advance(Duration.ofSeconds(3600 + 61));
    assertThatThrownBy(() -> g.validator().validate(t)).hasMessageContaining("expired");
    g.close();
  }
}
