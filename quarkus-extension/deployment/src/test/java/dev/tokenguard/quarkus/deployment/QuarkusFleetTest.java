package dev.tokenguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.testing.ApiServer;
import dev.tokenguard.testing.FakeRequest;
import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.RedisServer;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import io.quarkus.test.QuarkusUnitTest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Quarkus application and a second TokenGuard node sharing a real Redis server through
 * {@code quarkus.tokenguard.cache.redis.*}: one user-API call for both, and a revocation made on the other node
 * refused by the application. The servers start on the test's side, on ports reserved before Quarkus starts
 * (nothing is contacted at start-up; the application's Redis subscription retries every second).
 */
class QuarkusFleetTest {
  static final String ISSUER = "http://127.0.0.1:" + TestApp.port("tokenguard.test.fleet-idp-port");
  static final int USERS_PORT = TestApp.port("tokenguard.test.fleet-users-port");
  static final int REDIS_PORT = TestApp.port("tokenguard.test.fleet-redis-port");

  static Map<String, String> shared() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("user-lookup.provider", "generic");
    p.put("user-lookup.user-url", "http://127.0.0.1:" + USERS_PORT + "/users/{sub}");
    p.put("user-lookup.field.id", "id");
    p.put("user-lookup.max-retries", "0");
    p.put("cache.redis.uri", "redis://127.0.0.1:" + REDIS_PORT);
    p.put("cache.redis.prefix", "quarkus-fleet:");
    return p;
  }

  @RegisterExtension
  static final QuarkusUnitTest QUARKUS = configure(TestApp.echoApp(ISSUER));

  static QuarkusUnitTest configure(QuarkusUnitTest app) {
    shared().forEach((k, v) -> app.overrideConfigKey("quarkus.tokenguard." + k, v));
    return app;
  }

  @Test
  void applicationAndAnotherNodeShareOneUserApiCallAndRevocations() throws Exception {
    try (JwksServer idp = new JwksServer(Integer.parseInt(ISSUER.substring(ISSUER.lastIndexOf(':') + 1))).keys(TestKeys.RSA);
        ApiServer users = new ApiServer(USERS_PORT);
        RedisServer redis = new RedisServer(REDIS_PORT)) {
      users.on("GET", "/users/carol", ApiServer.Answer.json(200, "{\"id\":\"carol\"}"));
      Map<String, String> other = shared();
      other.put("issuer", ISSUER);
      other.put("jwks-uri", ISSUER + "/jwks");
      other.put("audience", "orders");
      try (TokenGuard node = TokenGuard.create(TokenGuardConfig.fromProperties(other))) {
        String carol = TestTokens.valid(ISSUER, "orders", Instant.now()).claim("sub", "carol").sign("RS256", TestKeys.RSA);
        assertThat(TestApp.get("/api/me", carol).statusCode()).isEqualTo(200);
        assertThat(node.check(FakeRequest.get("/api/me").bearer(carol)).allowed()).isTrue();
        assertThat(users.count("GET", "/users/carol")).as("the other node found carol in Redis").isEqualTo(1);

        Thread.sleep(1500); // the application's subscription (re)connects within a second of Redis starting
        assertThat(node.revokeSubject(ISSUER, "carol")).isTrue();
        HttpResponse<String> refused = TestApp.get("/api/me", carol);
        for (int i = 0; i < 20 && refused.statusCode() == 200; i++) {
          Thread.sleep(50);
          refused = TestApp.get("/api/me", carol);
        }
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("revoked");
      }
    }
  }
}
