package dev.tokenguard.devissuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenPrincipal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dev issuer on its loopback server: TokenGuard, configured with only its URL, accepts its tokens (via discovery). */
class DevIssuerServerTest {

  @Test
  void tokensItMintsPassTokenGuardConfiguredWithItsUrl() {
    try (DevIssuerServer server = DevIssuerServer.start(0)) {
      assertThat(server.url()).startsWith("http://127.0.0.1:");
      Map<String, String> p = Map.of("issuer", server.url(), "audience", DevIssuer.AUDIENCE);
      try (TokenGuard guard = TokenGuard.create(TokenGuardConfig.fromProperties(p))) {
        TokenPrincipal caller = guard.authenticate(DevIssuerClient.token(server.url(),
            Map.of("sub", "alice", "permissions", List.of("orders:read"))));
        assertThat(caller.getName()).isEqualTo("alice");
        assertThat(caller.permissions()).containsExactly("orders:read");
        String otherIssuers;
        try (DevIssuerServer other = DevIssuerServer.start(0)) {
          otherIssuers = DevIssuerClient.token(other.url(), Map.of());
        }
        assertThatThrownBy(() -> guard.authenticate(otherIssuers)).isInstanceOf(InvalidTokenException.class);
      }
    }
  }

  @Test
  void aBodyThatIsNoJsonObjectIs400() {
    DevIssuer issuer = new DevIssuer("http://127.0.0.1:1");
    assertThat(issuer.answer("POST", "/token", "[1]".getBytes()).status()).isEqualTo(400);
    assertThat(issuer.answer("GET", "/nothing", new byte[0]).status()).isEqualTo(404);
  }
}
