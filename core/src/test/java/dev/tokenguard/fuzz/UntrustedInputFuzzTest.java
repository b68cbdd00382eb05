package dev.tokenguard.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.InvalidRequestException;
import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.http.BearerTokenResolver;
import dev.tokenguard.http.RequestPaths;
import dev.tokenguard.jwks.KeyHygiene;
import dev.tokenguard.testing.FakeRequest;
import dev.tokenguard.testing.Json;
import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of everything that parses untrusted input. The only outcomes allowed are the typed ones:
 * a value, {@link InvalidTokenException}, {@link InvalidRequestException} (or {@link ParseException} for a key set);
 * anything else (an NPE, a ClassCastException, a StackOverflowError) fails the property, and jqwik shrinks it to a
 * minimal example. The number of tries is {@code jqwik.tries.default} (400 in every build, see
 * junit-platform.properties); a long run: {@code mvn -pl core test -Dtest='*FuzzTest' -Djqwik.tries.default=200000}.
 */
class UntrustedInputFuzzTest {
  static JwksServer idp;
  static TokenGuard guard;
  static final String AUDIENCE = "api://fuzz";

  @BeforeContainer
  static void start() {
    idp = new JwksServer().keys(TestKeys.RSA, TestKeys.EC_P256, TestKeys.ED25519);
    guard = TokenGuard.create(TokenGuardConfig.builder().issuer(idp.issuer()).jwksUri(idp.jwksUri()).audience(AUDIENCE)
        .tokenCacheEnabled(false).build(), Runnable::run);
  }

  @AfterContainer
  static void stop() {
    guard.close();
    idp.close();
  }

  static String enc(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Validates; true when accepted, false on a typed rejection; anything else propagates and fails the property. */
  static boolean accepted(String token) {
    try {
      guard.validator().validate(token);
      return true;
    } catch (InvalidTokenException expected) {
      // the catch-all translation means an unexpected exception happened inside: a bug to fix, not an outcome
      assertThat(expected.getMessage()).isNotEqualTo("the token could not be processed");
      return false;
    }
  }

  // ---- Authorization header values ----

  @Property
  void authorizationHeaderValuesGiveATokenNothingOrInvalidRequest(@ForAll("headerValues") String value) {
    try {
      new BearerTokenResolver(false).resolve(FakeRequest.get("/").header("Authorization", value));
    } catch (InvalidRequestException expected) {
      // typed
    }
  }

  @Provide
  Arbitrary<String> headerValues() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(60),
        Arbitraries.strings().withChars("Bearr \t,=.-_~+/aZ09é\u0000").ofMaxLength(40),
        Arbitraries.strings().ofMaxLength(30).map(s -> "Bearer " + s),
        Arbitraries.strings().ofMaxLength(30).map(s -> "bearer" + s));
  }

  // ---- the request path as a whole ----

  @Property
  void wholeRequestsAreDecidedWithoutOtherExceptions(@ForAll("paths") String path, @ForAll("headerValues") String value) {
    assertThat(guard.check(FakeRequest.get(path).header("Authorization", value)).allowed()).isIn(true, false);
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("/.%2eEfF;=a\\\u0000?").ofMaxLength(30).map(s -> "/" + s),
        Arbitraries.strings().ofMaxLength(30));
  }

  @Property
  void pathsDecodeOrAreRejectedAsInvalidRequests(@ForAll("paths") String path) {
    try {
      String n = RequestPaths.decode(path);
      assertThat(n).startsWith("/").doesNotContain("//").doesNotContain("/./").doesNotContain("/../")
          .doesNotContain(";").doesNotContain("\\").doesNotContain("%").doesNotEndWith("/.").doesNotEndWith("/..");
    } catch (InvalidRequestException expected) {
      // typed
    }
  }

  // ---- the compact token ----

  @Property
  void arbitraryCompactTokensAreRejected(@ForAll("compactish") String token) {
    assertThat(accepted(token)).isFalse();
  }

  @Provide
  Arbitrary<String> compactish() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(200),
        Arbitraries.strings().withChars("AZaz09-_.=+/ ").ofMaxLength(200),
        Arbitraries.strings().withChars("AZaz09-_").ofMinLength(1).ofMaxLength(60).list().ofMinSize(1).ofMaxSize(6)
            .map(parts -> String.join(".", parts)));
  }

  @Property
  void mutatedValidTokensAreRejected(@ForAll("mutations") String token) {
    // a mutation may, rarely, leave the token intact; the property is that nothing untyped escapes
    accepted(token);
  }

  @Provide
  Arbitrary<String> mutations() {
    String valid = TestTokens.valid(idp.issuer(), AUDIENCE, Instant.now()).sign("ES256", TestKeys.EC_P256);
    return Arbitraries.integers().between(0, valid.length() - 1).flatMap(pos ->
        Arbitraries.chars().map(c -> valid.substring(0, pos) + c + valid.substring(pos + 1)));
  }

  // ---- JOSE headers ----

  @Property
  void arbitraryJoseHeadersAreRejected(@ForAll("headers") Map<String, Object> header) {
    String claims = enc(Json.write(Map.of("iss", idp.issuer(), "sub", "s", "aud", AUDIENCE, "exp", 4_000_000_000L)));
    assertThat(accepted(enc(Json.write(header)) + "." + claims + ".c2lnbmF0dXJl")).isFalse();
  }

  @Provide
  Arbitrary<Map<String, Object>> headers() {
    return JsonArbitraries.object(2);
  }

  // ---- claims, correctly signed ----

  @Property
  void signedArbitraryClaimsAreDecidedWithoutOtherExceptions(@ForAll("claims") Map<String, Object> extra,
      @ForAll("claimValue") Object exp, @ForAll("claimValue") Object aud, @ForAll("claimValue") Object sub) {
    TestTokens t = TestTokens.valid(idp.issuer(), AUDIENCE, Instant.now());
    extra.forEach((k, v) -> t.claim(k, v == null ? new Json.Raw("null") : v));
    t.claim("exp", exp == null ? new Json.Raw("null") : exp).claim("aud", aud == null ? new Json.Raw("null") : aud)
        .claim("sub", sub == null ? new Json.Raw("null") : sub);
    accepted(t.sign("ES256", TestKeys.EC_P256));
  }

  @Provide
  Arbitrary<Map<String, Object>> claims() {
    return JsonArbitraries.object(2);
  }

  @Provide
  Arbitrary<Object> claimValue() {
    return JsonArbitraries.value(1);
  }

  // ---- JWKS documents ----

  @Property
  void arbitraryKeySetsParseOrAreRefused(@ForAll("jwksDocuments") String document) {
    try {
      KeyHygiene.Result r = KeyHygiene.parse(document, Instant.EPOCH, false);
      assertThat(r.keySet().keys()).allSatisfy(k -> assertThat(k.jwk().isPrivate()).isFalse());
    } catch (ParseException expected) {
      // typed: the whole document refused
    }
  }

  @Provide
  Arbitrary<String> jwksDocuments() {
    Arbitrary<Object> keyish = Arbitraries.oneOf(
        JsonArbitraries.object(2).map(m -> (Object) m),
        Arbitraries.of(TestKeys.RSA.publicJwk(), TestKeys.EC_P256.publicJwk(), TestKeys.ED25519.publicJwk())
            .flatMap(jwk -> JsonArbitraries.object(1).map(noise -> {
              Map<String, Object> m = new java.util.LinkedHashMap<>(jwk);
              m.putAll(noise);
              return (Object) m;
            })));
    return Arbitraries.oneOf(
        keyish.list().ofMaxSize(6).map(keys -> Json.write(Map.of("keys", keys))),
        JsonArbitraries.value(3).map(Json::write),
        Arbitraries.strings().ofMaxLength(80));
  }

  @Property(tries = 50)
  void keySetFuzzingStaysWithinTheKeyLimit(@ForAll("bigCounts") int count) {
    List<Object> keys = java.util.Collections.nCopies(count, TestKeys.EC_P256.publicJwk());
    try {
      assertThat(KeyHygiene.parse(Json.write(Map.of("keys", keys)), Instant.EPOCH, false).keySet().keys()).hasSizeLessThanOrEqualTo(KeyHygiene.MAX_KEYS);
    } catch (ParseException expected) {
      assertThat(count).isGreaterThan(KeyHygiene.MAX_KEYS);
    }
  }

  @Provide
  Arbitrary<Integer> bigCounts() {
    return Arbitraries.integers().between(0, 400);
  }
}
