package dev.tokenguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.testing.Architecture;
import dev.tokenguard.testing.TestFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every adapter (and this CLI) uses only the core packages architecture.md marks as API. Reads the compiled
 * classes of each module, so it runs after them in the reactor (the CLI is built after every adapter).
 */
class ApiBoundaryTest {
  @ParameterizedTest
  @ValueSource(strings = {"servlet-filter", "spring-adapter", "quarkus-extension/runtime", "cli"})
  void usesOnlyCoreApiPackages(String module) {
    Path classes = TestFiles.repositoryFile("core").resolveSibling(module).resolve("target/classes");
    assertThat(classes).as("%s is compiled (run mvn verify from the repository root)", module).isDirectory();
    Map<String, Set<String>> deps = Architecture.dependencies(classes);
    deps.keySet().removeIf(pair -> !pair.split(" -> ")[1].startsWith("dev.tokenguard") || isOwn(pair));
    assertThat(deps).as("%s depends on core", module).isNotEmpty();
    List<String> violations = Architecture.violations(deps, Architecture.rules(), true);
    assertThat(violations).isEmpty();
  }

  /**
   * A dependency inside the adapters' own packages ({@code dev.tokenguard.spring} -> itself was dropped already), or on
   * the dev issuer module (no part of core: the CLI serves it).
   */
  private static boolean isOwn(String pair) {
    String to = pair.split(" -> ")[1];
    return to.startsWith("dev.tokenguard.servlet") || to.startsWith("dev.tokenguard.spring")
        || to.startsWith("dev.tokenguard.quarkus") || to.startsWith("dev.tokenguard.cli")
        || to.startsWith("dev.tokenguard.devissuer");
  }
}
