package dev.tokenguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import io.quarkus.test.QuarkusUnitTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With {@code quarkus-micrometer-registry-prometheus} and {@code quarkus-smallrye-health} in the application:
 * TokenGuard's meters in {@code /q/metrics} after scripted requests, and the {@code tokenguard} readiness check
 * following the JWKS endpoint down, up, down and up again (real clock, polled). As in {@link QuarkusExtensionTest},
 * the JWKS server is started on the test instance's side on a port reserved before Quarkus starts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuarkusObservabilityTest {
  static final int PORT = TestApp.port("tokenguard.test.observability-port");
  static final String ISSUER = "http://127.0.0.1:" + PORT;

  @RegisterExtension
  static final QuarkusUnitTest QUARKUS = TestApp.echoApp(ISSUER)
      .overrideConfigKey("quarkus.tokenguard.public-paths", "/q/**")
      .overrideConfigKey("quarkus.tokenguard.jwks.cache-ttl", "2s")
      .overrideConfigKey("quarkus.tokenguard.jwks.refresh-ahead", "1s")
      .overrideConfigKey("quarkus.tokenguard.jwks.min-refetch-interval", "1s");

  static JwksServer idp;

  @AfterAll
  static void stop() {
    if (idp != null) {
      idp.close();
    }
  }

  static synchronized JwksServer idp() {
    if (idp == null) {
      idp = new JwksServer(PORT).keys(TestKeys.RSA);
    }
    return idp;
  }

  HttpResponse<String> get(String path, String token) throws Exception {
    return TestApp.get(path, token);
  }

  /** The value of one Prometheus sample whose labels include {@code labels} (in the registry's alphabetical order). */
  double sample(String metrics, String name, String labels) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*" + Pattern.quote(labels) + "[^}]*\\} ([0-9.eE+-]+)$")
        .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  @Order(1)
  void scriptedRequestsThenMetersInPrometheusFormat() throws Exception {
    idp();
    String good = TestTokens.valid(ISSUER, "orders", Instant.now()).sign("RS256", TestKeys.RSA);
    assertThat(get("/api/me", good).statusCode()).isEqualTo(200);
    assertThat(get("/api/me", good).statusCode()).isEqualTo(200);
    assertThat(get("/api/me", TestTokens.valid(ISSUER, "orders", Instant.now()).expiredBy(3600, Instant.now())
        .sign("RS256", TestKeys.RSA)).statusCode()).isEqualTo(401);
    assertThat(get("/api/me", TestTokens.valid(ISSUER, "billing", Instant.now()).sign("RS256", TestKeys.RSA)).statusCode()).isEqualTo(401);
    assertThat(get("/api/me", null).statusCode()).isEqualTo(401);

    HttpResponse<String> r = get("/q/metrics", null);
    assertThat(r.statusCode()).isEqualTo(200);
    String m = r.body();
    String iss = "issuer=\"" + ISSUER + "\"";
    assertThat(sample(m, "tokenguard_validations_total", iss + ",outcome=\"allowed\",reason=\"none\"")).isEqualTo(2);
    assertThat(sample(m, "tokenguard_validations_total", iss + ",outcome=\"rejected\",reason=\"expired\"")).isEqualTo(1);
    assertThat(sample(m, "tokenguard_validations_total", iss + ",outcome=\"rejected\",reason=\"wrong_audience\"")).isEqualTo(1);
    assertThat(sample(m, "tokenguard_validations_total", "issuer=\"none\",outcome=\"rejected\",reason=\"missing_token\"")).isEqualTo(1);
    assertThat(sample(m, "tokenguard_token_cache_requests_total", "result=\"hit\"")).isEqualTo(1);
    assertThat(sample(m, "tokenguard_jwks_fetches_seconds_count", iss + ",result=\"success\"")).isGreaterThanOrEqualTo(1);
    assertThat(sample(m, "tokenguard_jwks_keys", iss)).isEqualTo(1);
    assertThat(m).contains("# TYPE tokenguard_jwks_age_seconds gauge");
  }

  @Test
  @Order(2)
  void jwksEndpointDiesThenReadinessDownAndUpWhenItReturns() throws Exception {
    idp().mode(JwksServer.Mode.OK);
    awaitReadiness(true);
    idp().mode(JwksServer.Mode.ERROR_500);
    String down = awaitReadiness(false);
    assertThat(down).contains("\"name\": \"tokenguard\"", "\"jwks " + ISSUER + ".status\": \"DOWN\"", "answered HTTP 500");
    idp().mode(JwksServer.Mode.OK);
    assertThat(awaitReadiness(true)).contains("\"jwks " + ISSUER + ".keys\": 1");
  }

  String awaitReadiness(boolean up) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
    HttpResponse<String> r;
    do {
      r = get("/q/health/ready", null);
      if (r.statusCode() == (up ? 200 : 503)) {
        return r.body();
      }
      Thread.sleep(200);
    } while (Instant.now().isBefore(deadline));
    throw new AssertionError("readiness never became " + (up ? "UP" : "DOWN") + ": " + r.body());
  }
}
