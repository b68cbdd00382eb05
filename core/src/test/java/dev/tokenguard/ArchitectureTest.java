package dev.tokenguard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.testing.Architecture;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Core's packages import only what architecture.md allows, and no import circle exists among them. */
class ArchitectureTest {
  private static final Path CLASSES = Path.of("target", "classes");

  @Test
  void everyPackageImportsOnlyWhatArchitectureMdAllows() {
    Map<String, Set<String>> deps = Architecture.dependencies(CLASSES);
    assertThat(deps).as("jdeps found core's own dependencies").isNotEmpty();
    assertThat(Architecture.violations(deps, Architecture.rules(), false)).isEmpty();
  }

  @Test
  void noImportCircle() {
    assertThat(Architecture.cycle(Architecture.dependencies(CLASSES))).isNull();
  }

  @Test
  void theTableCoversEveryPackageAndHasNoCircleItself() {
    Map<String, Architecture.Rule> rules = Architecture.rules();
    for (String pair : Architecture.dependencies(CLASSES).keySet()) {
      for (String end : pair.split(" -> ")) {
        assertThat(rules).as("architecture.md lists %s", end).containsKey(end);
      }
    }
    Map<String, Set<String>> allowed = new java.util.TreeMap<>();
    rules.values().forEach(r -> r.mayImport().forEach(t -> allowed.put(r.node() + " -> " + t, Set.of())));
    assertThat(Architecture.cycle(allowed)).as("the allowed imports themselves").isNull();
  }

  @Test
  void cycleFinderFindsACycle() {
    Map<String, Set<String>> deps = Map.of("a -> b", Set.of(), "b -> c", Set.of(), "c -> a", Set.of(), "c -> d", Set.of());
    assertThat(Architecture.cycle(deps)).isEqualTo("a -> b -> c -> a");
  }
}
