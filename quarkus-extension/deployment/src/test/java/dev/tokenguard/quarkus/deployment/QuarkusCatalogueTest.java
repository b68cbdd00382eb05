package dev.tokenguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.it.ScenarioCatalogue;
import dev.tokenguard.it.TestIdentityProviders;
import io.quarkus.test.QuarkusUnitTest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The scenario catalogue against JAX-RS resources in a Quarkus application with the extension, configured only by
 * {@code quarkus.tokenguard.*}. Quarkus starts the application before it creates the test instance, in another
 * class loader; so the servers' ports are reserved first (shared through a system property) and the servers are
 * started on them by the test instance. TokenGuard fetches nothing at start, so that is in time.
 */
class QuarkusCatalogueTest extends ScenarioCatalogue {
  @RegisterExtension
  static final QuarkusUnitTest QUARKUS = configure(new QuarkusUnitTest()
      .withApplicationRoot(jar -> jar.addClasses(EchoResource.class, EchoResource.Failures.class, TestApp.class, TenantCheck.class)));

  static QuarkusUnitTest configure(QuarkusUnitTest test) {
    test.overrideConfigKey("quarkus.http.test-port", "0");
    TestIdentityProviders.appProperties(TestApp.ports(), TestApp.oidcHost()).forEach((k, v) -> test.overrideConfigKey("quarkus.tokenguard." + k, v));
    return test;
  }

  @Override
  protected TestIdentityProviders identityProviders() {
    return new TestIdentityProviders(TestApp.ports());
  }

  @Override
  protected String startApp(Map<String, String> tokenGuardProperties) {
    assertThat(tokenGuardProperties).as("the application was configured for these servers")
        .isEqualTo(TestIdentityProviders.appProperties(TestApp.ports(), TestApp.oidcHost()));
    return "http://127.0.0.1:" + ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
  }

  @Override
  protected void stopApp() {
    // QuarkusUnitTest stops the application
  }

  // ---- Quarkus annotations with TokenGuard's identity ----

  private String token(List<String> permissions, List<String> roles) {
    return idp.oidcToken("alice", Map.of("permissions", permissions, "roles", roles));
  }

  @Test
  void permissionsAllowedRolesAllowedAndAuthenticatedSeeTokenGuardsIdentity() throws Exception {
    String reader = token(List.of("orders:read"), List.of("reader"));
    String writer = token(List.of("orders:write"), List.of("admin"));
    HttpResponse<String> denied = getWithToken("/annotated/permissions", reader);
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(challenge(denied)).contains("error=\"insufficient_scope\"");
    assertThat(getWithToken("/annotated/permissions", writer).statusCode()).isEqualTo(200);
    assertThat(getWithToken("/annotated/roles", reader).statusCode()).isEqualTo(403);
    assertThat(getWithToken("/annotated/roles", writer).statusCode()).isEqualTo(200);
    assertThat(getWithToken("/annotated/authenticated", reader).statusCode()).isEqualTo(200);
  }

  @Test
  void tokenCheckBeanWhenItRefusesThen401() throws Exception {
    HttpResponse<String> refused = getWithToken("/api/me", idp.oidcToken("alice", Map.of("tenant", "blocked-tenant")));
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(challenge(refused)).contains("error=\"invalid_token\"", "blocked-tenant");
    assertThat(getWithToken("/api/me", idp.oidcToken("alice", Map.of("tenant", "acme"))).statusCode()).isEqualTo(200);
  }
}
