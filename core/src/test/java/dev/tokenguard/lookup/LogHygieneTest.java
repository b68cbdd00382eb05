package dev.tokenguard.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.testing.ApiServer.Answer;
import dev.tokenguard.testing.FakeRequest;
import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.LogCapture;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every log line TokenGuard writes (System.Logger, here through java.util.logging at every level) during a scripted
 * sequence of requests: the reasons are there, secrets and tokens never are, even when the identity provider echoes
 * our client secret back in an error body.
 */
class LogHygieneTest extends LookupFixture {
  static final String CLIENT_SECRET = "kc-client-secret-7f3a9c";
  static final String HMAC_SECRET = "hmac-secret-value-that-is-long-enough-5e1d";

  LogCapture logs;
  JwksServer idp;

  @BeforeEach
  void start() {
    logs = new LogCapture();
    idp = new JwksServer().keys(TestKeys.RSA);
  }

  @AfterEach
  void stop() {
    logs.close();
    idp.close();
    closeServer();
  }

  @Test
  void logsSayWhyRequestsFailButNeverShowSecretsOrTokens() {
    Map<String, String> p = new LinkedHashMap<>(Map.of(
        "issuer", idp.issuer(), "jwks-uri", idp.jwksUri(), "audience", "orders", "hmac-secret", HMAC_SECRET,
        "user-lookup.provider", "keycloak", "user-lookup.base-url", api.url() + "/realms/shop",
        "user-lookup.client-id", "tg", "user-lookup.client-secret", CLIENT_SECRET));
    p.put("user-lookup.max-retries", "0");
    api.on("POST", "/realms/shop/protocol/openid-connect/token",
        Answer.json(401, "{\"error\":\"invalid_client\",\"error_description\":\"wrong secret " + CLIENT_SECRET + "\"}"));
    List<String> tokens = new ArrayList<>();
    try (TokenGuard guard = TokenGuard.builder(TokenGuardConfig.builder().properties(p).clock(clock).build())
        .refreshExecutor(Runnable::run).build()) {
      String valid = TestTokens.valid(idp.issuer(), "orders", clock.instant()).claim("sub", "u-1").sign("RS256", TestKeys.RSA);
      String expired = TestTokens.valid(idp.issuer(), "orders", clock.instant()).expiredBy(600, clock.instant()).sign("RS256", TestKeys.RSA);
      String wrongAudience = TestTokens.valid(idp.issuer(), "billing", clock.instant()).sign("RS256", TestKeys.RSA);
      String hmac = TestTokens.valid(idp.issuer(), "orders", clock.instant()).signHmac("HS256", HMAC_SECRET.getBytes());
      tokens.addAll(List.of(valid, expired, wrongAudience, hmac));

      assertThat(guard.check(FakeRequest.get("/orders/1").bearer(valid)).outcome().orElseThrow().status())
          .as("the user API's token endpoint refuses our credentials").isEqualTo(503);
      assertThat(guard.check(FakeRequest.get("/orders/2").bearer(expired)).allowed()).isFalse();
      assertThat(guard.check(FakeRequest.get("/orders/3").bearer(wrongAudience)).allowed()).isFalse();
      assertThat(guard.check(FakeRequest.get("/orders/4").bearer(hmac)).allowed()).isFalse();
      assertThat(guard.check(FakeRequest.get("/orders/5\n[FORGED] line")).allowed()).isFalse();
      assertThat(guard.check(FakeRequest.get("/orders/6").header("Authorization", "Bearer " + valid + " junk")).allowed()).isFalse();
    }

    List<String> lines = logs.lines();
    String all = String.join("\n", lines);
    assertThat(all).as("start-up summary, secrets masked").contains("TokenGuard started with").contains("******");
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("FINE rejected GET /orders/2: 401").contains("expired")
        .containsPattern("\\(token sha256:[0-9a-f]{8}\\)"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("FINE rejected GET /orders/3: 401").contains("audience"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("FINE rejected GET /orders/5?[FORGED] line: 400"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("FINE rejected GET /orders/1: 503"));
    assertThat(all).doesNotContain(CLIENT_SECRET).doesNotContain(HMAC_SECRET);
    for (String t : tokens) {
      assertThat(all).doesNotContain(t).doesNotContain(t.substring(t.lastIndexOf('.') + 1));
    }
  }
}
