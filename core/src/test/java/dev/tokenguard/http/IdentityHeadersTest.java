package dev.tokenguard.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenguard.TokenGuardConfigException;
import dev.tokenguard.TokenPrincipal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which headers a gateway sets, filled from what, and which client headers an upstream reads as one of them. */
class IdentityHeadersTest {
  static final TokenPrincipal ALICE = new TokenPrincipal("alice", "u-1", "https://idp.example.com/", List.of("orders"),
      Set.of("openid"), Set.of("orders:write", "orders:read"), Set.of("staff", "admin"),
      Map.of("sub", "u-1", "email", "alice@example.com", "preferred_username", "Alïce\r\nX-Evil: 1", "tenant", "acme",
          "groups", List.of("g1", "g2"), "flags", Map.of("beta", true), "level", 3), Instant.parse("2026-12-03T12:00:00Z"), null);

  @ParameterizedTest
  @CsvSource({
      "X-Auth-Subject, true", "x-auth-subject, true", "X_Auth_Subject, true", "X_AUTH_SUBJECT, true",
      "x-auth-subject, true", "X-Auth-Subjects, false", "X-Auth-Subjec, false", "X.Auth.Subject, false",
      "XAuth-Subject-, false", "'X-Auth-Subject ', false"})
  void sameHeaderFoldsCaseAndUnderscore(String name, boolean same) {
    assertThat(IdentityHeaders.sameHeader(name, "X-Auth-Subject")).isEqualTo(same);
  }

  @Test
  void tokenguardPresetSetsTheSameHeadersBothWays() {
    Map<String, String> h = IdentityHeaders.TOKENGUARD.upstream(ALICE);
    assertThat(h).containsExactly(Map.entry("X-Auth-Subject", "u-1"), Map.entry("X-Auth-Permissions", "orders:read orders:write"),
        Map.entry("X-Auth-Roles", "admin staff"), Map.entry("X-Auth-Email", "alice@example.com"));
    assertThat(IdentityHeaders.TOKENGUARD.answer(ALICE)).isEqualTo(h);
  }

  @Test
  void oauth2ProxyPresetUsesItsNamesUpstreamAndInTheAnswerWithCommaGroups() {
    IdentityHeaders o = IdentityHeaders.configured("oauth2-proxy", List.of(), null);
    assertThat(o.upstream(ALICE)).containsExactly(Map.entry("X-Forwarded-User", "u-1"),
        Map.entry("X-Forwarded-Email", "alice@example.com"), Map.entry("X-Forwarded-Groups", "admin,staff"),
        Map.entry("X-Forwarded-Preferred-Username", "Al%C3%AFce%0D%0AX-Evil: 1"));
    assertThat(o.answer(ALICE)).containsOnlyKeys("X-Auth-Request-User", "X-Auth-Request-Email", "X-Auth-Request-Groups",
        "X-Auth-Request-Preferred-Username").containsEntry("X-Auth-Request-User", "u-1");
    assertThat(o.upstream(null)).as("all set, empty, on a public path").allSatisfy((k, v) -> assertThat(v).isEmpty()).hasSize(4);
  }

  @Test
  void aMappingOfOnesOwnReplacesThePreset() {
    IdentityHeaders m = IdentityHeaders.configured(null, List.of("X-User=name", "X-Tenant=claim:tenant", "X-Groups=claim:groups",
        "X-Flags=claim:flags", "X-Level=claim:level", "X-Missing=claim:nope", "X-Scopes=scopes"), "comma");
    assertThat(m.upstream(ALICE)).containsExactly(Map.entry("X-User", "alice"), Map.entry("X-Tenant", "acme"),
        Map.entry("X-Groups", "g1,g2"), Map.entry("X-Flags", "{\"beta\":true}"), Map.entry("X-Level", "3"),
        Map.entry("X-Missing", ""), Map.entry("X-Scopes", "openid"));
    assertThat(m.reserved("x_tenant")).isTrue();
    assertThat(m.reserved("X-Auth-Subject")).as("both presets' names stay reserved").isTrue();
    assertThat(m.reserved("X-Forwarded-For")).isFalse();
  }

  @Test
  void valuesAreSafeInAHeader() {
    assertThat(IdentityHeaders.encode("plain value: ok")).isEqualTo("plain value: ok");
    assertThat(IdentityHeaders.encode("a\r\nb\u0000c\u007f%")).isEqualTo("a%0D%0Ab%00c%7F%25");
    assertThat(IdentityHeaders.encode("Zoë 😀")).isEqualTo("Zo%C3%AB %F0%9F%98%80");
  }

  @Test
  void mistakesNameTheirKey() {
    assertThatThrownBy(() -> IdentityHeaders.configured("oauth3-proxy", List.of(), null)).isInstanceOf(TokenGuardConfigException.class)
        .hasMessage("identity-headers: expected one of [tokenguard, oauth2-proxy], but was 'oauth3-proxy'");
    assertThatThrownBy(() -> IdentityHeaders.configured(null, List.of("X-User=subjekt"), null))
        .hasMessageStartingWith("identity-headers.map: unknown source 'subjekt' for X-User");
    assertThatThrownBy(() -> IdentityHeaders.configured(null, List.of("X User=subject"), null))
        .hasMessageStartingWith("identity-headers.map: expected Header=source entries");
    assertThatThrownBy(() -> IdentityHeaders.configured(null, List.of("X-User=subject", "x-user=name"), null))
        .hasMessage("identity-headers.map: names the header x-user twice");
    assertThatThrownBy(() -> IdentityHeaders.configured("tokenguard", List.of("X-User=subject"), null))
        .hasMessageStartingWith("identity-headers.map: replaces a preset");
    assertThatThrownBy(() -> IdentityHeaders.configured(null, List.of(), "tab"))
        .hasMessage("identity-headers.separator: expected space or comma, but was 'tab'");
  }
}
