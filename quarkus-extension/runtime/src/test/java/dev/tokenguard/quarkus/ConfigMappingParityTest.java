package dev.tokenguard.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.ConfigKey;
import dev.tokenguard.TokenGuardConfig;
import io.smallrye.config.WithDefault;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code quarkus.tokenguard.*} has a member for every core key, and every {@code @WithDefault} equals core's own
 * default, so the generated configuration reference tells the truth.
 */
class ConfigMappingParityTest {
  /** Every leaf member of the mapping, by core key, with its {@code @WithDefault} (or null). */
  static Map<String, String> members(Class<?> type, String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Method m : type.getDeclaredMethods()) {
      String key = prefix + kebab(m.getName());
      Class<?> r = m.getReturnType();
      if (r.isInterface() && r.getName().startsWith(TokenGuardRuntimeConfig.class.getName())) {
        out.putAll(members(r, key + "."));
      } else {
        WithDefault d = m.getAnnotation(WithDefault.class);
        out.put(key, d == null ? null : d.value());
      }
    }
    return out;
  }

  /** Durations compare by value ({@code 60s} is {@code 1m}), everything else as text. */
  static Object normalise(String value) {
    if (value == null) {
      return null;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(value);
    if (!m.matches()) {
      return value;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> java.time.Duration.ofMillis(n);
      case "s" -> java.time.Duration.ofSeconds(n);
      case "m" -> java.time.Duration.ofMinutes(n);
      case "h" -> java.time.Duration.ofHours(n);
      default -> java.time.Duration.ofDays(n);
    };
  }

  static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
  }

  @Test
  void everyCoreKeyHasAMemberWithCoresDefault() {
    Map<String, String> members = members(TokenGuardRuntimeConfig.class, "");
    for (ConfigKey<?> k : TokenGuardConfig.KEYS) {
      assertThat(members).as("quarkus.tokenguard.%s", k.name()).containsKey(k.name());
      if (!k.derived()) { // a default computed from other keys is left unset
        assertThat(normalise(members.get(k.name()))).as("default of quarkus.tokenguard.%s", k.name())
            .isEqualTo(normalise(k.defaultValue()));
      }
    }
    assertThat(members).containsKeys("rule", "user-lookup.field", "issuers");
  }
}
