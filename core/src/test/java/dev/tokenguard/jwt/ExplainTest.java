package dev.tokenguard.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.Explanation;
import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenServiceException;
import dev.tokenguard.testing.FakeClock;
import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link TokenGuard#explain}: every step with its values, through the same code that validates requests. */
class ExplainTest {
  final FakeClock clock = FakeClock.at("2026-11-23T10:00:00Z");
  JwksServer idp;
  TokenGuard guard;

  @BeforeEach
  void start() {
    idp = new JwksServer().keys(TestKeys.RSA);
    guard = TokenGuard.create(TokenGuardConfig.builder().issuer(idp.issuer()).jwksUri(idp.jwksUri()).audience("api")
        .clock(clock).build(), Runnable::run);
  }

  @AfterEach
  void stop() {
    guard.close();
    idp.close();
  }

  @Test
  void explainWhenValidThenEveryStepPassesWithItsValues() {
    Explanation e = guard.explain(TestTokens.valid(idp.issuer(), "api", clock.instant()).sign("RS256", TestKeys.RSA));
    assertThat(e.valid()).isTrue();
    assertThat(e.steps()).extracting(Explanation.Step::name).containsExactly("form", "header", "payload", "issuer (iss)",
        "signature", "expiry (exp)", "not before (nbf)", "issued at (iat)", "audience (aud)", "subject (sub)",
        "token id (jti)", "required claims", "principal", "binding");
    assertThat(e.steps()).allMatch(Explanation.Step::passed);
    assertThat(e.steps().get(13).detail()).isEqualTo("not bound to a key: sent as Bearer");
    assertThat(e.steps().get(4).detail()).isEqualTo("verified with key 'rsa-1' (RSA)");
    assertThat(e.steps().get(5).detail()).isEqualTo("2026-11-23T11:00:00Z (now 2026-11-23T10:00:00Z, clock skew 60s)");
    assertThat(e.caller()).hasValueSatisfying(p -> assertThat(p.getName()).isEqualTo("user-123"));
  }

  @Test
  void explainWhenSeveralClaimsWrongThenEachReportedAndFirstIsTheFailure() {
    String t = TestTokens.valid(idp.issuer(), "other", clock.instant()).expiredBy(120, clock.instant()).sign("RS256", TestKeys.RSA);
    Explanation e = guard.explain(t);
    assertThat(e.valid()).isFalse();
    assertThat(e.failure()).isInstanceOf(InvalidTokenException.class).hasMessageContaining("expired");
    assertThat(e.steps()).filteredOn(s -> !s.passed()).extracting(Explanation.Step::name)
        .containsExactly("expiry (exp)", "audience (aud)");
    assertThat(e.steps()).extracting(Explanation.Step::name).doesNotContain("principal");
  }

  @Test
  void explainWhenSubOnlyWhiteSpaceThenSubjectStepFailsAndNoPrincipal() {
    Explanation e = guard.explain(TestTokens.valid(idp.issuer(), "api", clock.instant()).claim("sub", " ").sign("RS256", TestKeys.RSA));
    assertThat(e.valid()).isFalse();
    assertThat(e.failure()).isInstanceOf(InvalidTokenException.class).hasMessageContaining("'sub' must be a non-empty string");
    assertThat(e.steps()).filteredOn(s -> !s.passed()).extracting(Explanation.Step::name).containsExactly("subject (sub)");
    assertThat(e.steps()).extracting(Explanation.Step::name).doesNotContain("principal");
    assertThat(e.caller()).isEmpty();
  }

  @Test
  void explainWhenSignatureBadThenStopsThere() {
    String t = TestTokens.valid(idp.issuer(), "api", clock.instant()).sign("RS256", TestKeys.RSA_2.withKid("rsa-1"));
    Explanation e = guard.explain(t);
    assertThat(e.steps().get(e.steps().size() - 1)).satisfies(s -> {
      assertThat(s.name()).isEqualTo("signature");
      assertThat(s.passed()).isFalse();
    });
  }

  @Test
  void explainWhenKeysUnavailableThenServiceFailure() {
    idp.mode(JwksServer.Mode.ERROR_500);
    Explanation e = guard.explain(TestTokens.valid(idp.issuer(), "api", clock.instant()).sign("RS256", TestKeys.RSA));
    assertThat(e.failure()).isInstanceOf(TokenServiceException.class);
  }
}
