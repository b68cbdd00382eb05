package dev.tokenguard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table is generated from {@link TokenGuardConfig#KEYS} (with the user-lookup and
 * shared-cache keys) and {@link TokenGuardConfig#KEY_FAMILIES}: a key added without its documentation, or a
 * description changed in one place only, fails here. To regenerate the table after changing a key:
 * {@code mvn -pl core test -Dtest=ConfigReferenceTest -Dtokenguard.readme.write=true}.
 */
class ConfigReferenceTest {
  static final String START = "<!-- configuration table: generated from TokenGuardConfig.KEYS by ConfigReferenceTest -->";
  static final String END = "<!-- end of the generated configuration table -->";

  /**
   * The table as Markdown; a key without a fixed default (required, derived, or up to the preset) shows "—", and a key
   * an {@code issuers.<name>} block may set is marked *.
   */
  static String table() {
    StringBuilder out = new StringBuilder("| key | default | meaning |\n|---|---|---|\n");
    for (List<ConfigKey<?>> keys : List.of(TokenGuardConfig.KEYS, TokenGuardConfig.KEY_FAMILIES)) {
      for (ConfigKey<?> k : keys) {
        out.append("| `").append(k.name()).append(k.isPerIssuer() ? "` * | " : "` | ")
            .append(k.defaultValue() == null || k.defaultValue().isEmpty() ? "—" : "`" + k.defaultValue() + "`")
            .append(" | ").append(k.description()).append(k.secret() ? " Masked when printed." : "").append(" |\n");
      }
    }
    return out.toString();
  }

  @Test
  void readmeConfigurationTableIsTheGeneratedOne() throws IOException {
    String readme = TestFiles.readme();
    int start = readme.indexOf(START);
    int end = readme.indexOf(END);
    assertThat(start).as("README marker %s", START).isNotNegative();
    assertThat(end).as("README marker %s", END).isGreaterThan(start);
    String current = readme.substring(start + START.length() + 1, end);
    if (Boolean.getBoolean("tokenguard.readme.write")) {
      Files.writeString(TestFiles.readmePath(), readme.substring(0, start + START.length() + 1) + table() + readme.substring(end));
      return;
    }
    assertThat(current).as("README configuration table; regenerate with -Dtokenguard.readme.write=true").isEqualTo(table());
  }
}
