package dev.tokenguard.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.Explanation;
import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenServiceException;
import dev.tokenguard.testing.FakeClock;
import dev.tokenguard.testing.FakeRequest;
import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.JwksServer.Mode;
import dev.tokenguard.testing.LogCapture;
import dev.tokenguard.testing.ResettingServer;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A 503 tells the client one fixed sentence per cause and nothing of the inside: no URL, host, port or exception
 * class. The WARNING log line, for operators, keeps the URL and what went wrong. Real servers on loopback.
 */
class UnavailableOutcomesTest {
  static final String AUDIENCE = "api://orders";
  static final String KEYS = "the signing keys could not be fetched: ";

  final FakeClock clock = FakeClock.at("2026-11-23T10:00:00Z");
  final List<AutoCloseable> closing = new ArrayList<>();
  JwksServer idp;
  LogCapture log;

  @BeforeEach
  void start() {
    idp = new JwksServer().keys(TestKeys.RSA);
    log = new LogCapture();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    idp.close();
    log.close();
  }

  TokenGuard guard(String jwksUri, Consumer<TokenGuardConfig.Builder> customise) {
    TokenGuardConfig.Builder b = TokenGuardConfig.builder().issuer(idp.issuer()).audience(AUDIENCE).realm("orders")
        .clock(clock).tokenCacheEnabled(false);
    if (jwksUri != null) {
      b.jwksUri(jwksUri);
    }
    customise.accept(b);
    TokenGuard g = TokenGuard.create(b.build(), Runnable::run);
    closing.add(g);
    return g;
  }

  String token() {
    return TestTokens.valid(idp.issuer(), AUDIENCE, clock.instant()).sign("RS256", TestKeys.RSA);
  }

  /** The outcome names nothing of the inside and says exactly {@code description}; the log names {@code url}. */
  Outcome assertUnavailable(TokenGuard g, String description, String url) {
    Decision d = g.check(FakeRequest.get("/api/orders").bearer(token()));
    Outcome o = d.outcome().orElseThrow();
    assertThat(o.status()).isEqualTo(503);
    assertThat(o.body()).isEqualTo("{\"error\":\"temporarily_unavailable\",\"error_description\":\"" + description + "\"}");
    String port = Integer.toString(URI.create(url).getPort());
    String clientSees = o.body() + " " + o.headers();
    assertThat(clientSees).doesNotContain("http", "://", "127.0.0.1", "localhost", port, "Exception", "java.", "/jwks");
    assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith("WARNING").contains(url));
    return o;
  }

  @Test
  void checkWhenJwksServerStoppedThen503SaysUnreachableAndNamesNoInternals() {
    String url = idp.jwksUri();
    idp.close();
    assertUnavailable(guard(url, b -> {}), KEYS + "the key server could not be reached", url);
  }

  @Test
  void checkWhenJwksServerResetsConnectionThen503SaysDroppedAndNamesNoInternals() {
    ResettingServer resetting = new ResettingServer();
    closing.add(resetting);
    assertUnavailable(guard(resetting.jwksUri(), b -> {}), KEYS + "the key server dropped the connection", resetting.jwksUri());
    assertThat(resetting.connections()).isPositive();
  }

  @Test
  void checkWhenJwksAnswers10MegabytesThen503SaysTooLargeAndNamesNoInternals() {
    idp.mode(Mode.HUGE).hugeBytes(10L * 1024 * 1024);
    assertUnavailable(guard(idp.jwksUri(), b -> {}), KEYS + "the key server sent a document that is too large", idp.jwksUri());
  }

  @Test
  void checkWhenJwksAnswers500Then503SaysTheStatusAndNamesNoInternals() {
    idp.mode(Mode.ERROR_500);
    Outcome o = assertUnavailable(guard(idp.jwksUri(), b -> {}), KEYS + "the key server answered with HTTP 500", idp.jwksUri());
    assertThat(o.headers()).containsEntry("Retry-After", "30").doesNotContainKey("WWW-Authenticate");
  }

  @Test
  void checkWhenJwksSlowerThanTimeoutThen503SaysNoAnswerInTime() {
    idp.mode(Mode.SLOW).slowMillis(2000);
    assertUnavailable(guard(idp.jwksUri(), b -> b.jwksTimeout(Duration.ofMillis(200))),
        KEYS + "the key server did not answer in time", idp.jwksUri());
  }

  @Test
  void checkWhenJwksIsHtmlOrNotJsonThen503SaysNotAKeySet() {
    idp.mode(Mode.HTML);
    assertUnavailable(guard(idp.jwksUri(), b -> {}), KEYS + "the key server sent a document that is not a valid key set", idp.jwksUri());
    idp.mode(Mode.OK).body("not json at all");
    assertUnavailable(guard(idp.jwksUri(), b -> {}), KEYS + "the key server sent a document that is not a valid key set", idp.jwksUri());
  }

  @Test
  void checkWhenJwksRedirectsToAnotherHostThen503SaysNotAllowed() {
    idp.mode(Mode.REDIRECT_OTHER_HOST);
    assertUnavailable(guard(idp.jwksUri(), b -> {}), KEYS + "the key server's address or redirect is not allowed", idp.jwksUri());
  }

  @Test
  void checkWhenDiscoveryServerStoppedThen503SaysUnreachable() {
    String metadata = idp.issuer() + "/.well-known/openid-configuration";
    idp.close();
    assertUnavailable(guard(null, b -> {}), KEYS + "the key server could not be reached", metadata);
  }

  @Test
  void checkWhenDiscoveryDeclaresAnotherIssuerThen503SaysMetadataUnusable() {
    idp.discoveryIssuer("https://evil.example.com");
    Outcome o = assertUnavailable(guard(null, b -> {}), KEYS + "the identity provider's metadata is unusable",
        idp.issuer() + "/.well-known/openid-configuration");
    assertThat(o.body()).doesNotContain("evil");
  }

  @Test
  void explainWhenJwksServerStoppedThenOperatorStillSeesUrlAndCause() {
    String url = idp.jwksUri();
    idp.close();
    Explanation e = guard(url, b -> {}).explain(token());
    assertThat(e.failure()).isInstanceOf(TokenServiceException.class)
        .hasMessageContaining(url).hasMessageContaining("ConnectException");
    assertThat(e.failure().description()).isEqualTo(KEYS + "the key server could not be reached");
    assertThat(e.steps()).anySatisfy(s -> assertThat(s.detail()).contains(url));
  }
}
