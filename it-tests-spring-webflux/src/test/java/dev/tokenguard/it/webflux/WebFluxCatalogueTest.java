package dev.tokenguard.it.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.it.ScenarioCatalogue;
import dev.tokenguard.it.webflux.app.WebFluxCatalogueApplication;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The scenario catalogue against a real Spring Boot WebFlux application on Netty configured only by
 * {@code tokenguard.*} properties, plus the Spring-specific scenarios on reactive handlers: {@code @RequiresPermission}
 * (method, class, any-of, on {@code Mono} and {@code Flux}), {@code @PreAuthorize}, the reactive security context.
 */
class WebFluxCatalogueTest extends ScenarioCatalogue {
  private ConfigurableApplicationContext context;

  @Override
  protected String startApp(Map<String, String> tokenGuardProperties) {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("server.port", "0");
    props.put("server.address", "127.0.0.1");
    props.put("spring.main.banner-mode", "off");
    tokenGuardProperties.forEach((k, v) -> props.put("tokenguard." + k, v));
    SpringApplication app = new SpringApplication(WebFluxCatalogueApplication.class);
    app.setDefaultProperties(props);
    context = app.run();
    return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
  }

  @Override
  protected void stopApp() {
    context.close();
  }

  private String token(String... permissions) {
    return idp.oidcToken("alice", Map.of("permissions", List.of(permissions)));
  }

  @Test
  void requiresPermissionWhenMissingThen403WithScope() throws Exception {
    HttpResponse<String> denied = getWithToken("/api/annotated/requires", token("orders:read"));
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(c ->
        assertThat(c).contains("error=\"insufficient_scope\"", "scope=\"orders:write\""));
    assertThat(getWithToken("/api/annotated/requires", token("orders:write")).statusCode()).isEqualTo(200);
  }

  @Test
  void requiresPermissionAnyOfThenOneIsEnough() throws Exception {
    assertThat(getWithToken("/api/annotated/any", token("orders:admin")).statusCode()).isEqualTo(200);
    HttpResponse<String> denied = getWithToken("/api/annotated/any", token("orders:read"));
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("scope=\"orders:write orders:admin\"");
  }

  @Test
  void requiresPermissionOnClassThenEveryMethodNeedsIt() throws Exception {
    assertThat(getWithToken("/api/reports", token("orders:read")).statusCode()).isEqualTo(403);
    assertThat(getWithToken("/api/reports", token("reports:read")).statusCode()).isEqualTo(200);
  }

  @Test
  void preAuthorizeWithPermissionAuthorityThen403Or200() throws Exception {
    HttpResponse<String> denied = getWithToken("/api/annotated/preauthorize", token("orders:read"));
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"insufficient_scope\"");
    assertThat(getWithToken("/api/annotated/preauthorize", token("orders:write")).statusCode()).isEqualTo(200);
  }

  @Test
  void tokenCheckBeanWhenItRefusesThen401() throws Exception {
    HttpResponse<String> refused = getWithToken("/api/me", idp.oidcToken("alice", Map.of("tenant", "blocked-tenant")));
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(challenge(refused)).contains("error=\"invalid_token\"", "blocked-tenant");
    assertThat(getWithToken("/api/me", idp.oidcToken("alice", Map.of("tenant", "acme"))).statusCode()).isEqualTo(200);
  }

  @Test
  void authoritiesFollowTheConvention() throws Exception {
    HttpResponse<String> r = getWithToken("/api/me", idp.oidcToken("alice", Map.of("roles", List.of("reader"), "scope", "a b")));
    assertThat(json(r)).containsEntry("inRoleReader", true).containsEntry("principalIsTokenPrincipal", true);
  }

  @Test
  void requiresPermissionOnAFluxIsCheckedBeforeItsFirstElement() throws Exception {
    HttpResponse<String> denied = getWithToken("/api/annotated/stream", token("orders:read"));
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).doesNotContain("\"a\"");
    assertThat(denied.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("scope=\"orders:write\"");
    HttpResponse<String> allowed = getWithToken("/api/annotated/stream", token("orders:write"));
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.body()).contains("a", "b");
    assertThat(get("/api/annotated/stream").statusCode()).isEqualTo(401);
  }

  @Test
  void authenticationPrincipalIsTheTokenPrincipal() throws Exception {
    HttpResponse<String> r = getWithToken("/api/principal", token("orders:read"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("alice alice");
  }

  @Test
  void itIsTheReactiveChainThatRuns() {
    assertThat(context.getBeansOfType(org.springframework.security.web.server.SecurityWebFilterChain.class))
        .containsOnlyKeys("tokenGuardSecurityWebFilterChain");
    assertThat(context.getBeansOfType(org.springframework.security.web.SecurityFilterChain.class)).isEmpty();
  }
}
