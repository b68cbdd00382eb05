package dev.tokenguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenguard.ConfigKey;
import dev.tokenguard.HostBindings;
import dev.tokenguard.TokenGuardConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The IDE descriptions and defaults of {@code tokenguard.*} come from core's key catalogue, not from a copy:
 * {@link TokenGuardProperties} and the additional metadata are written from {@link TokenGuardConfig#KEYS} at build time
 * ({@link HostBindings}), and the metadata Spring's processor merges carries the catalogue's text for every key.
 */
class SpringMetadataTest {

  @Test
  @SuppressWarnings("unchecked")
  void theBuildsMetadataCarriesTheCataloguesDescriptionsAndDefaults() throws Exception {
    Map<String, Object> merged;
    try (var in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("the processor's metadata").isNotNull();
      merged = JSONObjectUtils.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
    Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
    for (Object o : (List<Object>) merged.get("properties")) {
      Map<String, Object> p = (Map<String, Object>) o;
      byName.put((String) p.get("name"), p);
    }
    for (ConfigKey<?> k : TokenGuardConfig.KEYS) {
      Map<String, Object> p = byName.get("tokenguard." + k.name());
      assertThat(p).as("tokenguard.%s", k.name()).isNotNull();
      assertThat(p.get("description")).as("description of tokenguard.%s", k.name()).isEqualTo(HostBindings.description(k));
      if (k.defaultValue() != null && !k.derived()) {
        assertThat(String.valueOf(p.get("defaultValue"))).as("default of tokenguard.%s", k.name()).isEqualTo(k.defaultValue());
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void durationsAreTypedAndEnumeratedValuesHinted() throws Exception {
    Map<String, Object> merged;
    try (var in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      merged = JSONObjectUtils.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
    Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
    for (Object o : (List<Object>) merged.get("properties")) {
      byName.put((String) ((Map<String, Object>) o).get("name"), (Map<String, Object>) o);
    }
    Map<String, List<String>> hints = new LinkedHashMap<>();
    for (Object o : (List<Object>) merged.get("hints")) {
      Map<String, Object> h = (Map<String, Object>) o;
      hints.put((String) h.get("name"), ((List<Object>) h.get("values")).stream()
          .map(v -> (String) ((Map<String, Object>) v).get("value")).toList());
    }
    for (ConfigKey<?> k : TokenGuardConfig.KEYS) {
      Object type = byName.get("tokenguard." + k.name()).get("type");
      if (k.kind() == ConfigKey.Kind.DURATION) {
        assertThat(type).as("type of tokenguard.%s", k.name()).isEqualTo("java.time.Duration");
      }
      if (!k.choices().isEmpty()) {
        assertThat(hints.get("tokenguard." + k.name())).as("hint of tokenguard.%s", k.name()).isEqualTo(k.choices());
      }
    }
    assertThat(hints.get("tokenguard.user-lookup.on-failure")).containsExactly("fail-closed", "fail-open");
    assertThat(hints.get("tokenguard.user-lookup.provider")).contains("auth0", "logto", "keycloak", "generic", "none");
    assertThat(hints.get("tokenguard.user-lookup.field.keys")).contains("email", "roles", "blocked");
    assertThat(byName.get("tokenguard.rule").get("type")).asString().contains("Map<java.lang.String,dev.tokenguard.spring.TokenGuardProperties$Rule>");
    assertThat(byName.get("management.health.tokenguard.enabled")).containsEntry("type", "java.lang.Boolean")
        .containsEntry("defaultValue", true);
  }
}
