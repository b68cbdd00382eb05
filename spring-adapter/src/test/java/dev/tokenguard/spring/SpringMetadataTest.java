package dev.tokenguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenguard.ConfigKey;
import dev.tokenguard.TokenGuardConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The IDE descriptions of {@code tokenguard.*} come from core's key catalogue, not from a copy: the additional
 * metadata file (which Spring's processor lays over what it reads from {@link TokenGuardProperties}' javadoc) is
 * generated from {@link TokenGuardConfig#KEYS}, and the merged metadata of the build carries those descriptions.
 * After a change to the catalogue: {@code mvn -pl spring-adapter test -Dtest=SpringMetadataTest
 * -Dtokenguard.metadata.write=true}.
 */
class SpringMetadataTest {
  static final Path ADDITIONAL = Path.of("src/main/resources/META-INF/additional-spring-configuration-metadata.json");

  /** One entry per core key: its name under {@code tokenguard.}, the catalogue's description and default. */
  static String generated() {
    List<Object> properties = new ArrayList<>();
    for (ConfigKey k : TokenGuardConfig.KEYS) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("name", "tokenguard." + k.name());
      p.put("description", description(k));
      properties.add(p);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("properties", properties);
    return JSONObjectUtils.toJSONString(root).replace("},{", "},\n    {").replace("[{", "[\n    {").replace("}]", "}\n  ]")
        .replace("{\"properties\":", "{\n  \"properties\": ") + "\n";
  }

  static String description(ConfigKey k) {
    String d = k.description() + (k.secret() ? " Masked when printed." : "");
    return k.defaultValue() == null || k.defaultValue().isEmpty() ? d : d + " Default: " + k.defaultValue() + ".";
  }

  @Test
  void additionalMetadataIsGeneratedFromTheCatalogue() throws IOException {
    if (Boolean.getBoolean("tokenguard.metadata.write")) {
      Files.writeString(ADDITIONAL, generated());
    }
    assertThat(Files.readString(ADDITIONAL)).as("%s is generated (see this class)", ADDITIONAL).isEqualTo(generated());
  }

  @Test
  @SuppressWarnings("unchecked")
  void theBuildsMetadataCarriesTheCataloguesDescriptions() throws Exception {
    Map<String, Object> merged;
    try (var in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("the processor's metadata").isNotNull();
      merged = JSONObjectUtils.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
    Map<String, String> descriptions = new LinkedHashMap<>();
    for (Object o : (List<Object>) merged.get("properties")) {
      Map<String, Object> p = (Map<String, Object>) o;
      descriptions.put((String) p.get("name"), (String) p.get("description"));
    }
    for (ConfigKey k : TokenGuardConfig.KEYS) {
      assertThat(descriptions).as("tokenguard.%s", k.name()).containsEntry("tokenguard." + k.name(), description(k));
    }
  }
}
