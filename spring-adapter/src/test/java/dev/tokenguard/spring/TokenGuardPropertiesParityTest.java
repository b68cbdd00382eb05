package dev.tokenguard.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenguard.ConfigKey;
import dev.tokenguard.TokenGuardConfig;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * {@code tokenguard.*} covers every core key, hands each value to core unchanged, invents no default of its own,
 * and every key is in the generated IDE metadata.
 */
class TokenGuardPropertiesParityTest {

  /** A value for each key: its core default, or a sample of the right kind. */
  static Map<String, String> everyKey() {
    Map<String, String> values = new LinkedHashMap<>();
    for (ConfigKey<?> k : TokenGuardConfig.KEYS) {
      String v = k.defaultValue();
      if (v == null) {
        v = switch (k.name()) {
          case "user-lookup.roles", "user-lookup.permissions" -> "true";
          default -> k.kind() == ConfigKey.Kind.DURATION ? "7s" : "sample-" + k.name().replace('.', '-');
        };
      }
      values.put(k.name(), v);
    }
    values.put("rule.write.paths", "/api/orders/**");
    values.put("rule.write.methods", "POST");
    values.put("rule.write.permissions", "orders:write");
    values.put("rule.write.match", "any");
    values.put("user-lookup.field.email", "data.mail");
    for (ConfigKey<?> k : TokenGuardConfig.ISSUER_BLOCK_KEYS) { // every member of an issuers.<name> block
      values.put(k.name().replace("<name>", "partner").replace("field.partner", "field.email"), switch (k.kind()) {
        case FLAG -> "true";
        case INTEGER, LONG -> "3";
        case DURATION -> "90s";
        default -> "sample";
      });
    }
    return values;
  }

  static TokenGuardProperties bind(Map<String, String> coreKeys) {
    Map<String, String> spring = new LinkedHashMap<>();
    coreKeys.forEach((k, v) -> spring.put("tokenguard." + k, v));
    return new Binder(new MapConfigurationPropertySource(spring)).bind("tokenguard", TokenGuardProperties.class).get();
  }

  @Test
  void everyCoreKeyBindsAndReachesCoreUnchanged() {
    Map<String, String> expected = everyKey();
    assertThat(bind(expected).toProperties()).containsExactlyInAnyOrderEntriesOf(expected);
  }

  @Test
  void nothingSetMeansNothingPassedOn() {
    Map<String, String> issuerOnly = Map.of("issuer", "https://idp.example.com/");
    assertThat(bind(issuerOnly).toProperties()).containsExactlyEntriesOf(issuerOnly);
  }

  @Test
  void listsFromYamlOrCommasArriveAsCoreLists() {
    Map<String, String> spring = Map.of("tokenguard.issuer", "https://a/", "tokenguard.audience[0]", "x", "tokenguard.audience[1]", "y");
    TokenGuardProperties p = new Binder(new MapConfigurationPropertySource(spring)).bind("tokenguard", TokenGuardProperties.class).get();
    assertThat(p.toProperties()).containsEntry("audience", "x,y");
  }

  @Test
  @SuppressWarnings("unchecked")
  void ideMetadataNamesEveryKey() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      Map<String, Object> metadata = JSONObjectUtils.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      List<String> names = ((List<Map<String, Object>>) metadata.get("properties")).stream().map(m -> (String) m.get("name")).toList();
      for (ConfigKey<?> k : TokenGuardConfig.KEYS) {
        assertThat(names).as("metadata for %s", k.name()).contains("tokenguard." + k.name());
      }
    }
  }

  @Test
  void durationsInEverySpringSpellingReachCoreAsTheSameDuration() {
    Map<String, String> spring = Map.of("tokenguard.issuer", "https://a/", "tokenguard.clock-skew", "PT90S",
        "tokenguard.jwks.cache-ttl", "10m", "tokenguard.jwks.timeout", "1500us");
    Map<String, String> core = new Binder(new MapConfigurationPropertySource(spring)).bind("tokenguard", TokenGuardProperties.class)
        .get().toProperties();
    assertThat(core).containsEntry("clock-skew", "90s").containsEntry("jwks.cache-ttl", "10m")
        .containsEntry("jwks.timeout", "PT0.0015S");
    assertThat(dev.tokenguard.TokenGuardConfig.fromProperties(core).get(dev.tokenguard.TokenGuardConfig.CLOCK_SKEW))
        .isEqualTo(java.time.Duration.ofSeconds(90));
  }

  @Test
  void aDurationSpringCannotReadFailsNamingTheProperty() {
    Map<String, String> spring = Map.of("tokenguard.issuer", "https://a/", "tokenguard.clock-skew", "5 minutes");
    assertThatThrownBy(() -> new Binder(new MapConfigurationPropertySource(spring)).bind("tokenguard", TokenGuardProperties.class))
        .hasMessageContaining("tokenguard.clock-skew");
  }

  @Test
  void theIssuerTurnsTokenGuardOnAsOneValueACommaListOrAYamlList() {
    assertThat(OnTokenGuardIssuer.configured(binder(Map.of("tokenguard.issuer", "https://a/")))).isNotNull();
    assertThat(OnTokenGuardIssuer.configured(binder(Map.of("tokenguard.issuer", "https://a/,https://b/")))).isNotNull();
    assertThat(OnTokenGuardIssuer.configured(binder(Map.of("tokenguard.issuer[0]", "https://a/", "tokenguard.issuer[1]",
        "https://b/")))).isNotNull();
    assertThat(OnTokenGuardIssuer.configured(binder(Map.of("tokenguard.issuers.kc.url", "https://a/")))).isNotNull();
    assertThat(OnTokenGuardIssuer.configured(binder(Map.of("tokenguard.issuer", " ")))).isNull();
    assertThat(OnTokenGuardIssuer.configured(binder(Map.of("tokenguard.audience", "x")))).isNull();
  }

  private static Binder binder(Map<String, String> spring) {
    return new Binder(new MapConfigurationPropertySource(spring));
  }
}
