package dev.tokenguard.lookup;

import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.UserLookupSettings;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever JSON a user API answers, every preset's field mapping produces a profile (possibly empty) without an
 * exception: provider JSON is untrusted input too. Tries: {@code jqwik.tries.default}.
 */
class ProviderJsonFuzzTest {
  static final List<ProviderSpec> PRESETS = presets();

  static List<ProviderSpec> presets() {
    return List.of(
        spec("auth0", "user-lookup.client-id", "c", "user-lookup.client-secret", "s", "user-lookup.roles", "true", "user-lookup.permissions", "true"),
        spec("logto", "user-lookup.client-id", "c", "user-lookup.client-secret", "s"),
        spec("pangea", "user-lookup.api-token", "t"),
        spec("guardhouse", "user-lookup.client-id", "c", "user-lookup.client-secret", "s"),
        spec("keycloak", "user-lookup.client-id", "c", "user-lookup.client-secret", "s", "user-lookup.base-url", "https://kc.example/realms/r"),
        spec("userinfo"));
  }

  static ProviderSpec spec(String provider, String... kv) {
    Map<String, String> p = new java.util.LinkedHashMap<>();
    p.put("issuer", "https://issuer.example/");
    p.put("jwks-uri", "https://issuer.example/jwks");
    p.put("user-lookup.provider", provider);
    p.putIfAbsent("user-lookup.base-url", "https://api.example");
    for (int i = 0; i < kv.length; i += 2) {
      p.put(kv[i], kv[i + 1]);
    }
    TokenGuardConfig c = TokenGuardConfig.fromProperties(p);
    UserLookupSettings s = c.userLookup().orElseThrow();
    return ProviderPresets.spec(s, c);
  }

  @Property
  void anyJsonMapsWithoutAnException(@ForAll("providerJson") Object json, @ForAll("presetIndex") int preset) {
    ProviderSpec spec = PRESETS.get(preset);
    spec.fields().map(spec.name(), json, java.util.Set.of(), java.util.Set.of());
    for (ProviderSpec.Enrichment e : spec.enrichments()) {
      JsonPaths.strings(json, e.items());
    }
  }

  @Provide
  Arbitrary<Object> providerJson() {
    return dev.tokenguard.fuzz.JsonArbitrariesAccess.value(4);
  }

  @Provide
  Arbitrary<Integer> presetIndex() {
    return Arbitraries.integers().between(0, PRESETS.size() - 1);
  }
}
