package dev.tokenguard.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.RejectionReason;
import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.http.Decision;
import dev.tokenguard.testing.FakeClock;
import dev.tokenguard.testing.FakeRequest;
import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each kind of refusal carries its reason, and the issuer only once the issuer is trusted. */
class RejectionReasonTest {
  static final FakeClock CLOCK = FakeClock.at("2026-11-23T10:00:00Z");
  static JwksServer idp;
  static TokenGuard guard;

  @BeforeAll
  static void start() {
    idp = new JwksServer().keys(TestKeys.RSA);
    guard = TokenGuard.builder(TokenGuardConfig.builder().properties(Map.of("issuer", idp.issuer(), "jwks-uri", idp.jwksUri(),
            "audience", "orders", "required-claims", "tenant")).clock(CLOCK).build())
        .refreshExecutor(Runnable::run)
        .addCheck(p -> {
          if ("blocked".equals(p.claims().get("tenant"))) {
            throw new InvalidTokenException("the tenant is blocked");
          }
        })
        .build();
  }

  @AfterAll
  static void stop() {
    guard.close();
    idp.close();
  }

  static TestTokens valid() {
    return TestTokens.valid(idp.issuer(), "orders", CLOCK.instant()).claim("tenant", "acme");
  }

  static Stream<Arguments> refusals() {
    long now = CLOCK.instant().getEpochSecond();
    return Stream.of(
        Arguments.of("alg none", (Function<FakeRequest, FakeRequest>) r -> r.bearer(TestTokens.enc("{\"alg\":\"none\"}") + "."
            + valid().encodedClaims() + ".c2ln"), RejectionReason.UNACCEPTED_HEADER, false),
        Arguments.of("typ", (Function<FakeRequest, FakeRequest>) r -> r.bearer(valid().header("typ", "id_token+jwt").sign("RS256", TestKeys.RSA)),
            RejectionReason.UNACCEPTED_HEADER, false),
        Arguments.of("nbf", (Function<FakeRequest, FakeRequest>) r -> r.bearer(valid().claim("nbf", now + 3600).sign("RS256", TestKeys.RSA)),
            RejectionReason.NOT_YET_VALID, true),
        Arguments.of("required claim", (Function<FakeRequest, FakeRequest>) r -> r.bearer(valid().claim("tenant", null).sign("RS256", TestKeys.RSA)),
            RejectionReason.MISSING_CLAIM, true),
        Arguments.of("no exp", (Function<FakeRequest, FakeRequest>) r -> r.bearer(valid().claimNull("exp").sign("RS256", TestKeys.RSA)),
            RejectionReason.MISSING_CLAIM, true),
        Arguments.of("application check", (Function<FakeRequest, FakeRequest>) r -> r.bearer(valid().claim("tenant", "blocked").sign("RS256", TestKeys.RSA)),
            RejectionReason.APPLICATION_CHECK, true),
        Arguments.of("two tokens", (Function<FakeRequest, FakeRequest>) r -> r.bearer("a.b.c").header("Authorization", "Bearer d.e.f"),
            RejectionReason.INVALID_REQUEST, false),
        Arguments.of("expired", (Function<FakeRequest, FakeRequest>) r -> r.bearer(valid().expiredBy(3600, CLOCK.instant()).sign("RS256", TestKeys.RSA)),
            RejectionReason.EXPIRED, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refusedThenReasonAndIssuerAttribution(String name, Function<FakeRequest, FakeRequest> request, RejectionReason reason,
      boolean issuerKnown) {
    Decision d = guard.check(request.apply(FakeRequest.get("/orders")));
    assertThat(d).isInstanceOf(Decision.Deny.class);
    Decision.Deny deny = (Decision.Deny) d;
    assertThat(deny.cause().reason()).isEqualTo(reason);
    assertThat(deny.cause().issuer()).isEqualTo(issuerKnown ? idp.issuer() : null);
  }
}
