package dev.tokenguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigTreeTest {
  record Jwks(String cacheTtl, Duration timeout) {}

  record Rule(List<String> paths, String match) {}

  record Lookup(String provider, Map<String, String> field) {}

  record Root(List<String> issuer, Boolean allowQueryToken, int maxTokenSize, Jwks jwks, Lookup userLookup,
      Map<String, Rule> rule, List<String> audience) {}

  @Test
  void recordsFlattenToCoreKeys() {
    Map<String, Rule> rules = new LinkedHashMap<>();
    rules.put("write", new Rule(List.of("/orders/**", "/admin"), null));
    rules.put("read", new Rule(List.of("/x"), "any"));
    Root root = new Root(List.of("https://a", "https://b"), true, 4096, new Jwks("5m", Duration.ofSeconds(3)),
        new Lookup("auth0", Map.of("email", "$.mail")), rules, List.of());

    assertThat(ConfigTree.toProperties(Root.class, root)).containsExactly(
        Map.entry("issuer", "https://a,https://b"),
        Map.entry("allow-query-token", "true"),
        Map.entry("max-token-size", "4096"),
        Map.entry("jwks.cache-ttl", "5m"),
        Map.entry("jwks.timeout", "3s"), // as written; ISO-8601 only when a millisecond would be lost
        Map.entry("user-lookup.provider", "auth0"),
        Map.entry("user-lookup.field.email", "$.mail"),
        Map.entry("rule.write.paths", "/orders/**,/admin"),
        Map.entry("rule.read.paths", "/x"),
        Map.entry("rule.read.match", "any"));
  }

  @Test
  void nullsAndEmptyListsAreLeftOut() {
    assertThat(ConfigTree.toProperties(Root.class, new Root(null, null, 0, null, null, null, List.of())))
        .containsExactly(Map.entry("max-token-size", "0"));
    assertThat(ConfigTree.toProperties(Root.class, null)).isEmpty();
  }

  /** The shape of a Quarkus {@code @ConfigMapping}: interfaces, {@link Optional}s, maps of interfaces. */
  interface Mapping {
    Optional<List<String>> audience();

    Optional<String> realm();

    boolean permissionsAsRoles();

    Cache cache();

    Map<String, Permission> rule();

    default String notAMember() {
      return "x";
    }

    interface Cache {
      Optional<String> uri();

      String lockWait();
    }

    interface Permission {
      List<String> permissions();
    }
  }

  @Test
  void interfacesAreReadThroughTheirAbstractMethods() {
    Mapping.Permission admin = proxy(Mapping.Permission.class, Map.of("permissions", List.of("admin")));
    Mapping.Cache cache = proxy(Mapping.Cache.class, Map.of("uri", Optional.empty(), "lockWait", "2s"));
    Mapping m = proxy(Mapping.class, Map.of("audience", Optional.of(List.of("api")), "realm", Optional.empty(),
        "permissionsAsRoles", false, "cache", cache, "rule", Map.of("admin", admin)));

    assertThat(ConfigTree.toProperties(Mapping.class, m)).containsOnly(
        Map.entry("audience", "api"),
        Map.entry("permissions-as-roles", "false"),
        Map.entry("cache.lock-wait", "2s"),
        Map.entry("rule.admin.permissions", "admin"));
  }

  @Test
  void aClassIsNotATree() {
    assertThatThrownBy(() -> ConfigTree.toProperties(Object.class, new Object()))
        .hasMessageContaining("neither a record nor an interface");
  }

  @Test
  void kebabCase() {
    assertThat(ConfigTree.kebab("jwksUri")).isEqualTo("jwks-uri");
    assertThat(ConfigTree.kebab("minRefetchInterval")).isEqualTo("min-refetch-interval");
    assertThat(ConfigTree.kebab("issuer")).isEqualTo("issuer");
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, Map<String, Object> values) {
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
      if (method.isDefault()) {
        return "x";
      }
      if (!values.containsKey(method.getName())) {
        throw new AssertionError("unexpected call " + method.getName());
      }
      return values.get(method.getName());
    });
  }
}
