package dev.tokenguard.it.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.it.spring.SpringScenarios;
import dev.tokenguard.it.webflux.app.WebFluxCatalogueApplication;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The scenario catalogue and the Spring scenarios against a real Spring Boot WebFlux application on Netty configured
 * only by {@code tokenguard.*} properties, plus what is WebFlux's own: {@code @RequiresPermission} on a {@code Flux},
 * the caller as a handler argument, the reactive chain.
 */
class WebFluxCatalogueTest extends SpringScenarios {
  @Override
  protected Class<?> application() {
    return WebFluxCatalogueApplication.class;
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
