package dev.tokenguard.it.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenguard.it.TestIdentityProviders;
import dev.tokenguard.it.spring.app.CatalogueApplication;
import dev.tokenguard.it.spring.custom.CustomChainApplication;
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

/** Start-up failures naming the property, and TokenGuard inside an application's own security chain. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringAdapterTest {
  private TestIdentityProviders idp;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() {
    idp = new TestIdentityProviders();
  }

  @AfterAll
  void stop() {
    idp.close();
  }

  private ConfigurableApplicationContext run(Class<?> app, Map<String, String> tokenguard) {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("server.port", "0");
    props.put("server.address", "127.0.0.1");
    props.put("spring.main.banner-mode", "off");
    tokenguard.forEach((k, v) -> props.put("tokenguard." + k, v));
    SpringApplication application = new SpringApplication(app);
    application.setDefaultProperties(props);
    return application.run();
  }

  private HttpResponse<String> get(ConfigurableApplicationContext ctx, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port") + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void startWhenPropertyBadThenStartupFailsNamingIt() {
    Map<String, String> props = new LinkedHashMap<>(idp.appProperties());
    props.put("jwks.cache-ttl", "soon");
    assertThatThrownBy(() -> run(CatalogueApplication.class, props).close())
        .hasStackTraceContaining("tokenguard.jwks.cache-ttl: expected a non-negative duration");
  }

  @Test
  void startWhenUnknownPropertyUnderTokenguardThenStartupFails() {
    Map<String, String> props = new LinkedHashMap<>(idp.appProperties());
    props.put("user-lookup.field.nickname", "x");
    assertThatThrownBy(() -> run(CatalogueApplication.class, props).close())
        .hasStackTraceContaining("tokenguard.user-lookup.field.nickname");
  }

  @Test
  void userDefinedChainKeepsWorkingWithTokenGuardInIt() throws Exception {
    Map<String, String> props = new LinkedHashMap<>(idp.appProperties());
    props.keySet().removeIf(k -> k.contains("user-lookup."));
    try (ConfigurableApplicationContext ctx = run(CustomChainApplication.class, props)) {
      String alice = idp.oidcToken("alice", Map.of("roles", List.of("reader")));
      String operator = idp.oidcToken("bob", Map.of("roles", List.of("operator")));
      HttpResponse<String> whoami = get(ctx, "/api/whoami", alice);
      assertThat(whoami.statusCode()).isEqualTo(200);
      assertThat(whoami.body()).isEqualTo("alice");
      assertThat(whoami.headers().allValues("Set-Cookie")).as("stateless: no session").isEmpty();
      HttpResponse<String> none = get(ctx, "/api/whoami", null);
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"it\"");
      HttpResponse<String> denied = get(ctx, "/ops/status", alice);
      assertThat(denied.statusCode()).isEqualTo(403);
      assertThat(denied.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("insufficient_scope");
      assertThat(get(ctx, "/ops/status", operator).body()).isEqualTo("ok bob");
      assertThat(ctx.getBeansOfType(org.springframework.security.web.SecurityFilterChain.class)).containsOnlyKeys("appChain");
    }
  }

  /** Issuer blocks alone (no tokenguard.issuer) activate TokenGuard: before, Spring Boot's default chain took over. */
  @Test
  void issuerBlocksAloneActivateTokenGuard() throws Exception {
    Map<String, String> props = new LinkedHashMap<>(idp.appProperties());
    props.remove("issuer");
    props.remove("jwks-uri");
    try (ConfigurableApplicationContext ctx = run(CatalogueApplication.class, props)) {
      assertThat(ctx.getBeansOfType(dev.tokenguard.TokenGuard.class)).hasSize(1);
      assertThat(get(ctx, "/api/me", idp.oidcToken("alice", Map.of())).statusCode()).isEqualTo(200);
      assertThat(get(ctx, "/api/me", null).statusCode()).isEqualTo(401);
    }
  }
}
