package dev.tokenguard.it.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.it.ScenarioCatalogue;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The scenario catalogue plus the Spring-specific scenarios ({@code @RequiresPermission} on a method, a class and
 * any-of, {@code @PreAuthorize}, a {@code TokenCheck} bean, authorities) against a real Spring Boot application
 * configured only by {@code tokenguard.*} properties: Spring MVC here ({@link SpringCatalogueTest}), WebFlux in the
 * WebFlux modules, each with an application serving the same paths.
 */
public abstract class SpringScenarios extends ScenarioCatalogue {
  /** The running application. */
  protected ConfigurableApplicationContext context;

  /** The {@code @SpringBootApplication} under test. */
  protected abstract Class<?> application();

  @Override
  protected String startApp(Map<String, String> tokenGuardProperties) {
    context = SpringApps.start(application(), tokenGuardProperties);
    return SpringApps.baseUrl(context);
  }

  @Override
  protected void stopApp() {
    context.close();
  }

  protected String token(String... permissions) {
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
}
