package dev.tokenguard.it.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.it.TestIdentityProviders;
import dev.tokenguard.it.spring.app.CatalogueApplication;
import dev.tokenguard.testing.JwksServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Actuator: TokenGuard's meters in {@code /actuator/metrics} after scripted requests, and the {@code tokenguard}
 * health component following a JWKS endpoint that dies and comes back (real clock, polled).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringObservabilityTest {
  private TestIdentityProviders idp;
  private ConfigurableApplicationContext ctx;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() {
    idp = new TestIdentityProviders();
    Map<String, Object> spring = new LinkedHashMap<>();
    spring.put("management.endpoints.web.exposure.include", "health,metrics");
    spring.put("management.endpoint.health.show-details", "always");
    spring.put("tokenguard.public-paths", "/public/**,/actuator/**");
    spring.put("tokenguard.jwks.cache-ttl", "2s");
    spring.put("tokenguard.jwks.refresh-ahead", "1s");
    ctx = SpringApps.start(CatalogueApplication.class, idp.appProperties(), spring);
  }

  @AfterAll
  void stop() {
    ctx.close();
    idp.close();
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port") + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The COUNT of {@code name} with these tags, from /actuator/metrics (0 when the meter does not exist). */
  private double count(String name, String... tags) throws Exception {
    StringBuilder q = new StringBuilder();
    for (int i = 0; i < tags.length; i += 2) {
      q.append(q.length() == 0 ? "?" : "&").append("tag=").append(URLEncoder.encode(tags[i] + ":" + tags[i + 1], StandardCharsets.UTF_8));
    }
    HttpResponse<String> r = get("/actuator/metrics/" + name + q, null);
    if (r.statusCode() == 404) {
      return 0;
    }
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Matcher m = Pattern.compile("\"statistic\":\"(COUNT|VALUE)\",\"value\":([0-9.NaE-]+)").matcher(r.body());
    assertThat(m.find()).as(r.body()).isTrue();
    return Double.parseDouble(m.group(2));
  }

  @Test
  void scriptedRequestsThenMetersInActuator() throws Exception {
    String issuer = idp.oidcIssuer();
    double allowedBefore = count("tokenguard.validations", "outcome", "allowed", "issuer", issuer);
    String alice = idp.oidcToken("alice", Map.of("roles", List.of("reader")));
    assertThat(get("/api/me", alice).statusCode()).isEqualTo(200);
    assertThat(get("/api/me", alice).statusCode()).isEqualTo(200);
    assertThat(get("/api/me", idp.oidcToken("alice", TestIdentityProviders.AUDIENCE, Map.of(), -600)).statusCode()).isEqualTo(401);
    assertThat(get("/api/me", idp.oidcToken("alice", "another-api", Map.of(), 600)).statusCode()).isEqualTo(401);
    assertThat(get("/api/me", null).statusCode()).isEqualTo(401);
    assertThat(get("/api/me", "garbage.garbage.garbage").statusCode()).isEqualTo(401);
    // a token that is not a JWT goes to the issuer of opaque tokens: its introspection endpoint does not know it
    double inactiveBefore = count("tokenguard.validations", "reason", "inactive", "issuer", idp.opaqueIssuer());
    assertThat(get("/api/me", "garbage").statusCode()).isEqualTo(401);
    assertThat(count("tokenguard.validations", "reason", "inactive", "issuer", idp.opaqueIssuer()) - inactiveBefore).isEqualTo(1);
    assertThat(get("/api/admin/x", alice).statusCode()).isEqualTo(403);

    assertThat(count("tokenguard.validations", "outcome", "allowed", "issuer", issuer) - allowedBefore).isEqualTo(2);
    assertThat(count("tokenguard.validations", "reason", "expired", "issuer", issuer)).isEqualTo(1);
    assertThat(count("tokenguard.validations", "reason", "wrong_audience", "issuer", issuer)).isEqualTo(1);
    assertThat(count("tokenguard.validations", "reason", "missing_token", "issuer", "none")).isEqualTo(1);
    assertThat(count("tokenguard.validations", "reason", "malformed", "issuer", "none")).isEqualTo(1);
    assertThat(count("tokenguard.validations", "reason", "forbidden", "issuer", issuer)).isEqualTo(1);
    assertThat(count("tokenguard.token_cache.requests", "result", "hit")).isGreaterThanOrEqualTo(2);
    assertThat(count("tokenguard.jwks.fetches", "issuer", issuer, "result", "success")).isGreaterThanOrEqualTo(1);
    assertThat(count("tokenguard.jwks.keys", "issuer", issuer)).isGreaterThanOrEqualTo(1);
    assertThat(count("tokenguard.user_lookup.requests", "provider", "generic", "result", "miss")).isGreaterThanOrEqualTo(1);
    assertThat(count("tokenguard.user_api.calls", "provider", "generic", "status", "200")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void jwksEndpointDiesThenHealthDownAndUpWhenItReturns() throws Exception {
    idp.outage.mode(JwksServer.Mode.OK);
    assertThat(awaitHealth("UP")).contains("\"jwks " + idp.outage.issuer() + "\":{\"status\":\"UP\"");
    idp.outage.mode(JwksServer.Mode.ERROR_500);
    String down = awaitHealth("DOWN");
    assertThat(down).contains("\"jwks " + idp.outage.issuer() + "\":{\"status\":\"DOWN\"").contains("answered HTTP 500");
    idp.outage.mode(JwksServer.Mode.OK);
    awaitHealth("UP");
  }

  private String awaitHealth(String status) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
    String body;
    do {
      HttpResponse<String> r = get("/actuator/health/tokenguard", null);
      body = r.body();
      if (r.statusCode() == (status.equals("UP") ? 200 : 503)) { // Actuator's status mapping; JSON order differs by line
        assertThat(body).contains("\"status\":\"" + status + "\"");
        return body;
      }
      Thread.sleep(200);
    } while (Instant.now().isBefore(deadline));
    throw new AssertionError("health never became " + status + ": " + body);
  }
}
