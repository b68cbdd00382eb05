package dev.tokenguard.it.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.it.TestIdentityProviders;
import dev.tokenguard.it.spring.app.CatalogueApplication;
import dev.tokenguard.testing.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two Spring Boot applications (two "nodes") sharing a real Redis server through {@code tokenguard.cache.redis.uri},
 * with the Jedis version this Spring Boot line manages: one user-API call for both, and a revocation made on one
 * refused by the other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringFleetTest {
  private TestIdentityProviders idp;
  private RedisServer redis;
  private ConfigurableApplicationContext first;
  private ConfigurableApplicationContext second;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() {
    idp = new TestIdentityProviders();
    redis = new RedisServer();
    first = node();
    second = node();
  }

  @AfterAll
  void stop() {
    first.close();
    second.close();
    redis.close();
    idp.close();
  }

  private ConfigurableApplicationContext node() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("server.port", "0");
    props.put("server.address", "127.0.0.1");
    props.put("spring.main.banner-mode", "off");
    idp.appProperties().forEach((k, v) -> props.put("tokenguard." + k, v));
    props.put("tokenguard.cache.redis.uri", redis.uri());
    props.put("tokenguard.cache.redis.prefix", "spring-fleet:");
    SpringApplication application = new SpringApplication(CatalogueApplication.class);
    application.setDefaultProperties(props);
    return application.run();
  }

  private HttpResponse<String> get(ConfigurableApplicationContext ctx, String token) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port")
        + "/api/me")).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void twoApplicationsShareOneUserApiCallAndRevocations() throws Exception {
    String bob = idp.oidcToken("bob", Map.of("roles", List.of("reader")));
    assertThat(get(first, bob).statusCode()).isEqualTo(200);
    assertThat(get(second, bob).statusCode()).isEqualTo(200);
    assertThat(idp.users.count("GET", "/users/bob")).as("the second application found bob in Redis").isEqualTo(1);

    Thread.sleep(300); // the second application's revocation subscription is up
    assertThat(first.getBean(TokenGuard.class).revokeSubject(idp.oidcIssuer(), "bob")).isTrue();
    HttpResponse<String> refused = get(second, bob);
    for (int i = 0; i < 20 && refused.statusCode() == 200; i++) {
      Thread.sleep(50);
      refused = get(second, bob);
    }
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("revoked");
  }
}
