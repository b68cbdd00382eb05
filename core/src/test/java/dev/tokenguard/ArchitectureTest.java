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

  /**
   * The API column holds for signatures too: no public or protected member of a public class in an API package names
   * a type of a non-API package, so an adapter that compiles against the API never needs one.
   */
  @Test
  void apiSignaturesNameOnlyApiTypes() throws Exception {
    Map<String, Architecture.Rule> rules = Architecture.rules();
    java.util.List<String> leaks = new java.util.ArrayList<>();
    try (var files = java.nio.file.Files.walk(CLASSES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String name = CLASSES.relativize(f).toString().replace(java.io.File.separatorChar, '.').replaceAll("\\.class$", "");
        Class<?> c = Class.forName(name, false, getClass().getClassLoader());
        Architecture.Rule rule = rules.get(c.getPackageName());
        if (rule == null || !rule.api() || !isVisible(c)) {
          continue;
        }
        for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
          if (isVisible(m.getModifiers()) && !m.isSynthetic()) {
            check(leaks, c.getSimpleName() + "." + m.getName(), rules, m.getGenericReturnType());
            for (java.lang.reflect.Type t : m.getGenericParameterTypes()) {
              check(leaks, c.getSimpleName() + "." + m.getName(), rules, t);
            }
          }
        }
        for (java.lang.reflect.Constructor<?> k : c.getDeclaredConstructors()) {
          if (isVisible(k.getModifiers())) {
            for (java.lang.reflect.Type t : k.getGenericParameterTypes()) {
              check(leaks, c.getSimpleName() + ".<init>", rules, t);
            }
          }
        }
        for (java.lang.reflect.Field fd : c.getDeclaredFields()) {
          if (isVisible(fd.getModifiers())) {
            check(leaks, c.getSimpleName() + "." + fd.getName(), rules, fd.getGenericType());
          }
        }
      }
    }
    assertThat(leaks).isEmpty();
  }

  private static boolean isVisible(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!java.lang.reflect.Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass()) {
        return false;
      }
    }
    return true;
  }

  private static boolean isVisible(int modifiers) {
    return java.lang.reflect.Modifier.isPublic(modifiers) || java.lang.reflect.Modifier.isProtected(modifiers);
  }

  private static void check(java.util.List<String> leaks, String where, Map<String, Architecture.Rule> rules, java.lang.reflect.Type t) {
    if (t instanceof Class<?> c) {
      Class<?> e = c.isArray() ? c.getComponentType() : c;
      Architecture.Rule r = rules.get(e.getPackageName());
      if (r != null && !r.api()) {
        leaks.add(where + " names " + e.getName());
      }
    } else if (t instanceof java.lang.reflect.ParameterizedType p) {
      check(leaks, where, rules, p.getRawType());
      for (java.lang.reflect.Type a : p.getActualTypeArguments()) {
        check(leaks, where, rules, a);
      }
    } else if (t instanceof java.lang.reflect.WildcardType w) {
      for (java.lang.reflect.Type b : w.getUpperBounds()) {
        check(leaks, where, rules, b);
      }
    } else if (t instanceof java.lang.reflect.GenericArrayType a) {
      check(leaks, where, rules, a.getGenericComponentType());
    }
  }

  @Test
  void cycleFinderFindsACycle() {
    Map<String, Set<String>> deps = Map.of("a -> b", Set.of(), "b -> c", Set.of(), "c -> a", Set.of(), "c -> d", Set.of());
    assertThat(Architecture.cycle(deps)).isEqualTo("a -> b -> c -> a");
  }
}
