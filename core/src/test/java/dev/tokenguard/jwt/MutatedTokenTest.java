package dev.tokenguard.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.testing.FakeClock;
import dev.tokenguard.testing.Json;
import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seeded random mutations of valid tokens and of their JSON: every result is either the original principal
 * or an {@link InvalidTokenException}; no other exception escapes and no mutation costs an extra JWKS fetch
 * beyond the rate limit. (Property-based fuzzing of every parser is issue 8; this is core's own guard.)
 */
class MutatedTokenTest {
  static final String AUDIENCE = "api://orders";
  static final long SEED = 20261123L;

  final FakeClock clock = FakeClock.at("2026-11-23T10:00:00Z");
  JwksServer idp;
  TokenGuard guard;

  @BeforeEach
  void start() {
    idp = new JwksServer().keys(TestKeys.RSA, TestKeys.EC_P256, TestKeys.ED25519);
    guard = TokenGuard.create(TokenGuardConfig.builder().issuer(idp.issuer()).jwksUri(idp.jwksUri()).audience(AUDIENCE)
        .clock(clock).tokenCacheEnabled(false).build(), Runnable::run);
  }

  @AfterEach
  void stop() {
    guard.close();
    idp.close();
  }

  @Test
  void validateWhenTokenBytesMutatedThenOnlyTypedOutcomes() {
    assertOnlyUnchangedTokensPass(guard, false);
  }

  /**
   * The same mutations against a guard whose cache holds every original: the cache is keyed by the SHA-256 of the
   * signature part and compares the rest byte for byte, so a mutation that keeps the signature must still miss.
   */
  @Test
  void validateWhenTokenBytesMutatedAfterTheOriginalsWereCachedThenOnlyTypedOutcomes() {
    guard.close();
    guard = TokenGuard.create(TokenGuardConfig.builder().issuer(idp.issuer()).jwksUri(idp.jwksUri()).audience(AUDIENCE)
        .clock(clock).tokenCacheEnabled(true).build(), Runnable::run);
    assertOnlyUnchangedTokensPass(guard, true);
  }

  private void assertOnlyUnchangedTokensPass(TokenGuard guard, boolean cacheOriginalsFirst) {
    Random random = new Random(SEED);
    List<String> originals = List.of(
        TestTokens.valid(idp.issuer(), AUDIENCE, clock.instant()).sign("RS256", TestKeys.RSA),
        TestTokens.valid(idp.issuer(), AUDIENCE, clock.instant()).sign("ES256", TestKeys.EC_P256),
        TestTokens.valid(idp.issuer(), AUDIENCE, clock.instant()).sign("EdDSA", TestKeys.ED25519));
    if (cacheOriginalsFirst) {
      originals.forEach(o -> guard.validator().validate(o));
    }
    String alphabet = "ABCxyz019-_.=+/ \t\u00e9\u0000{}\"";
    int accepted = 0;
    for (int i = 0; i < 3000; i++) {
      String original = originals.get(i % originals.size());
      StringBuilder t = new StringBuilder(original);
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits && t.length() > 0; e++) {
        int pos = random.nextInt(t.length());
        switch (random.nextInt(4)) {
          case 0 -> t.setCharAt(pos, alphabet.charAt(random.nextInt(alphabet.length())));
          case 1 -> t.deleteCharAt(pos);
          case 2 -> t.insert(pos, alphabet.charAt(random.nextInt(alphabet.length())));
          default -> t.setLength(pos);
        }
      }
      String mutated = t.toString();
      try {
        TokenPrincipal p = guard.validator().validate(mutated);
        assertThat(mutated).as("only an unchanged token may pass").isEqualTo(original);
        assertThat(p.getName()).isEqualTo("user-123");
        accepted++;
      } catch (InvalidTokenException expected) {
        assertThat(expected.getMessage()).doesNotContain(original);
      }
    }
    assertThat(accepted).isLessThan(100);
    assertThat(idp.jwksHits()).isEqualTo(1);
  }

  @Test
  void validateWhenClaimsAreOddJsonThenOnlyTypedOutcomes() {
    Random random = new Random(SEED);
    List<Object> oddValues = List.of(new Json.Raw("null"), new Json.Raw("1e400"), new Json.Raw("-0"), new Json.Raw("[]"),
        new Json.Raw("{}"), new Json.Raw("[null]"), new Json.Raw("\"\""), new Json.Raw("true"), new Json.Raw("1.5"),
        new Json.Raw("[[[[[[1]]]]]]"), new Json.Raw("{\"a\":{\"b\":null}}"), new Json.Raw("9223372036854775808"));
    List<String> claims = List.of("iss", "sub", "aud", "exp", "nbf", "iat", "scope", "scp", "permissions", "roles",
        "realm_access", "groups");
    for (int i = 0; i < 600; i++) {
      TestTokens t = TestTokens.valid(idp.issuer(), AUDIENCE, clock.instant());
      t.claim(claims.get(random.nextInt(claims.size())), oddValues.get(random.nextInt(oddValues.size())));
      if (random.nextBoolean()) {
        t.header(List.of("typ", "kid", "crit", "jku", "x5c", "zip").get(random.nextInt(6)),
            oddValues.get(random.nextInt(oddValues.size())));
      }
      String token = random.nextBoolean() ? t.sign("RS256", TestKeys.RSA) : t.sign("EdDSA", TestKeys.ED25519);
      try {
        guard.validator().validate(token);
      } catch (InvalidTokenException expected) {
        // a typed rejection is the only other outcome
      }
    }
    assertThat(idp.jwksHits()).isEqualTo(1);
  }

  @Test
  void validateWhenHeaderIsOddJsonThenOnlyTypedOutcomes() {
    String payload = TestTokens.valid(idp.issuer(), AUDIENCE, clock.instant()).encodedClaims();
    for (String header : List.of("null", "[]", "\"RS256\"", "{\"alg\":null}", "{\"alg\":1}", "{\"alg\":\"RS256\",\"kid\":1}",
        "{\"alg\":\"RS256\",\"typ\":1}", "{\"alg\":\"RS256\",\"alg\":\"none\"}", "{\"alg\":\"RS256\"", "{}",
        Json.write(Map.of("alg", "RS256", "kid", "../../etc/passwd")))) {
      String token = TestTokens.enc(header) + "." + payload + ".AAAA";
      try {
        guard.validator().validate(token);
        throw new AssertionError("accepted header " + header);
      } catch (InvalidTokenException expected) {
        // typed rejection
      }
    }
  }
}
