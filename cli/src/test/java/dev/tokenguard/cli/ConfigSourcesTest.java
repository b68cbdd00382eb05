package dev.tokenguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.ConfigKey;
import dev.tokenguard.TokenGuardConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every key, the families included, can be given as a TOKENGUARD_ environment variable. */
class ConfigSourcesTest {

  @Test
  void everyKeyHasAnEnvironmentVariable() {
    for (ConfigKey<?> k : TokenGuardConfig.KEYS) {
      String env = "TOKENGUARD_" + k.name().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
      assertThat(ConfigSources.load(null, List.of(), Map.of(env, "x"))).as(env).containsEntry(k.name(), "x");
    }
  }

  @Test
  void rulesAndFieldsFromTheEnvironmentThenTheirFamilyKeys() {
    Map<String, String> props = ConfigSources.load(null, List.of(), Map.ofEntries(
        Map.entry("TOKENGUARD_ISSUER", "https://idp.example.com/"),
        Map.entry("TOKENGUARD_RULE_ORDER_ADMIN_PATHS", "/api/orders/**"),
        Map.entry("TOKENGUARD_RULE_ORDER_ADMIN_PERMISSIONS", "orders:admin"),
        Map.entry("TOKENGUARD_RULE_ORDER_ADMIN_METHODS", "POST,DELETE"),
        Map.entry("TOKENGUARD_RULE_ORDER_ADMIN_MATCH", "any"),
        Map.entry("TOKENGUARD_USER_LOOKUP_PROVIDER", "generic"),
        Map.entry("TOKENGUARD_USER_LOOKUP_USER_URL", "https://users.example.com/{sub}"),
        Map.entry("TOKENGUARD_USER_LOOKUP_FIELD_ID", "user_id"),
        Map.entry("TOKENGUARD_USER_LOOKUP_FIELD_EMAIL_VERIFIED", "verified"),
        Map.entry("TOKENGUARD_UNRELATED", "ignored"),
        Map.entry("PATH", "/usr/bin")));
    assertThat(props).containsOnly(
        Map.entry("issuer", "https://idp.example.com/"),
        Map.entry("user-lookup.provider", "generic"),
        Map.entry("user-lookup.user-url", "https://users.example.com/{sub}"),
        Map.entry("user-lookup.field.id", "user_id"),
        Map.entry("rule.order-admin.paths", "/api/orders/**"),
        Map.entry("rule.order-admin.permissions", "orders:admin"),
        Map.entry("rule.order-admin.methods", "POST,DELETE"),
        Map.entry("rule.order-admin.match", "any"),
        Map.entry("user-lookup.field.email-verified", "verified"));
    TokenGuardConfig config = TokenGuardConfig.fromProperties(props);
    assertThat(config.rules()).singleElement().satisfies(r -> assertThat(r.name()).isEqualTo("order-admin"));
    assertThat(config.userLookup().orElseThrow().fieldOverrides()).containsEntry("email-verified", "verified");
  }

  @Test
  void issuerBlocksFromTheEnvironment() {
    Map<String, String> props = ConfigSources.load(null, List.of(), Map.of(
        "TOKENGUARD_ISSUERS_STAFF_URL", "https://sso.example.com/realms/staff",
        "TOKENGUARD_ISSUERS_STAFF_AUDIENCE", "orders",
        "TOKENGUARD_ISSUERS_STAFF_USER_LOOKUP_AUDIENCE", "https://sso.example.com/api",
        "TOKENGUARD_ISSUERS_STAFF_USER_LOOKUP_PROVIDER", "keycloak",
        "TOKENGUARD_ISSUERS_STAFF_USER_LOOKUP_CLIENT_ID", "tg",
        "TOKENGUARD_ISSUERS_STAFF_USER_LOOKUP_CLIENT_SECRET", "s3cret",
        "TOKENGUARD_ISSUERS_PARTNER_API_JWKS_URI", "https://partner.example.com/jwks",
        "TOKENGUARD_ISSUERS_STAFF_USER_LOOKUP_FIELD_EMAIL_VERIFIED", "verified"));
    assertThat(props).containsOnly(
        Map.entry("issuers.staff.url", "https://sso.example.com/realms/staff"),
        Map.entry("issuers.staff.audience", "orders"),
        Map.entry("issuers.staff.user-lookup.audience", "https://sso.example.com/api"),
        Map.entry("issuers.staff.user-lookup.provider", "keycloak"),
        Map.entry("issuers.staff.user-lookup.client-id", "tg"),
        Map.entry("issuers.staff.user-lookup.client-secret", "s3cret"),
        Map.entry("issuers.partner-api.jwks-uri", "https://partner.example.com/jwks"),
        Map.entry("issuers.staff.user-lookup.field.email-verified", "verified"));
  }

  @Test
  void laterSourcesWin() {
    Map<String, String> props = ConfigSources.load(null, List.of("issuer=https://set.example.com/"),
        Map.of("TOKENGUARD_ISSUER", "https://env.example.com/"));
    assertThat(props).containsEntry("issuer", "https://set.example.com/");
  }

  @Test
  void aMistypedBlockOrRuleVariableFailsNamingIt() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigSources.load(null, List.of(),
            Map.of("TOKENGUARD_ISSUERS_STAFF_AUDIENSE", "orders")))
        .isInstanceOf(dev.tokenguard.TokenGuardConfigException.class)
        .hasMessageStartingWith("TOKENGUARD_ISSUERS_STAFF_AUDIENSE: names no key of an issuer block; expected "
            + "TOKENGUARD_ISSUERS_<NAME>_<KEY> with KEY one of [URL, JWKS_URI, AUDIENCE");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigSources.load(null, List.of(),
            Map.of("TOKENGUARD_RULE_ADMIN_PERMISSION", "orders:admin")))
        .hasMessage("TOKENGUARD_RULE_ADMIN_PERMISSION: names no key of a rule; expected TOKENGUARD_RULE_<NAME>_PATHS|METHODS|PERMISSIONS|MATCH");
  }
}
