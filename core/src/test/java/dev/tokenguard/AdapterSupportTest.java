package dev.tokenguard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.http.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What core answers for every adapter: role sets, the application's own 403. */
class AdapterSupportTest {
  private static final TokenPrincipal CALLER = new TokenPrincipal("alice", "alice", "https://idp", List.of(), Set.of(),
      Set.of("orders:read", "admin"), Set.of("clerk"), Map.of(), Instant.now().plusSeconds(60), null);

  private static TokenGuard guard(boolean permissionsAsRoles) {
    return TokenGuard.create(TokenGuardConfig.fromProperties(Map.of("issuer", "https://idp",
        "permissions-as-roles", Boolean.toString(permissionsAsRoles), "realm", "orders")));
  }

  @Test
  void rolesAreTheRolesAndWithPermissionsAsRolesThePermissionsToo() {
    try (TokenGuard plain = guard(false); TokenGuard both = guard(true)) {
      assertThat(plain.roles(CALLER)).containsExactly("clerk");
      assertThat(plain.isInRole(CALLER, "admin")).isFalse();
      assertThat(both.roles(CALLER)).containsExactlyInAnyOrder("clerk", "orders:read", "admin");
      for (String role : List.of("clerk", "admin", "orders:read", "nobody")) {
        assertThat(both.isInRole(CALLER, role)).as(role).isEqualTo(both.roles(CALLER).contains(role));
        assertThat(plain.isInRole(CALLER, role)).as(role).isEqualTo(plain.roles(CALLER).contains(role));
      }
    }
  }

  @Test
  void applicationDeniedIsA403WithTheRealmAndNoScope() {
    try (TokenGuard g = guard(false)) {
      Outcome o = g.applicationDenied();
      assertThat(o.status()).isEqualTo(403);
      assertThat(o.headers().get("WWW-Authenticate")).startsWith("Bearer realm=\"orders\", error=\"insufficient_scope\"")
          .doesNotContain("scope=\"");
      assertThat(o.body()).contains("the application's authorization rules deny this request");
    }
  }
}
