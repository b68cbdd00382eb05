package dev.tokenguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A default never makes a valid setting fail: every duration key set alone, from 1 ms to 30 days, is either
 * accepted or refused for its own range (the message names that key), never because of another key's default.
 * An explicit contradictory pair still fails, naming both keys.
 */
class DependentDefaultsTest {
  private static final List<String> VALUES = List.of("1ms", "10ms", "1s", "10s", "1m", "10m", "1h", "1d", "7d", "30d");

  /** The least configuration each key needs to be meaningful (a provider for user-lookup keys, a URI for Redis). */
  private static Map<String, String> base(String key) {
    Map<String, String> m = new HashMap<>();
    m.put("issuer", "https://issuer.example.com/");
    if (key.startsWith("user-lookup.")) {
      m.put("user-lookup.provider", "generic");
      m.put("user-lookup.user-url", "https://users.example.com/users/{sub}");
      m.put("user-lookup.field.id", "id");
    }
    if (key.startsWith("cache.redis.")) {
      m.put("cache.redis.uri", "redis://127.0.0.1:6379");
    }
    return m;
  }

  private static boolean isDuration(ConfigKey<?> key) {
    try {
      return key.defaultValue() != null && Durations.parse(key.name(), key.defaultValue()) != null;
    } catch (RuntimeException notADuration) {
      return false;
    }
  }

  @Test
  void everyDurationKeySetAloneFailsOnlyForItsOwnRange() {
    List<String> accepted = new ArrayList<>();
    int keys = 0;
    for (ConfigKey<?> key : TokenGuardConfig.KEYS) {
      if (!isDuration(key)) {
        continue;
      }
      keys++;
      int ok = 0;
      for (String value : VALUES) {
        Map<String, String> p = base(key.name());
        p.put(key.name(), value);
        try {
          TokenGuardConfig.fromProperties(p);
          ok++;
        } catch (TokenGuardConfigException e) {
          assertThat(e.getMessage()).as("%s=%s alone", key.name(), value).startsWith(key.name() + ":");
        }
      }
      assertThat(ok).as("values of %s accepted", key.name()).isPositive();
      accepted.add(key.name() + ":" + ok);
    }
    assertThat(keys).as("duration keys tried").isGreaterThanOrEqualTo(15);
  }

  @Test
  void ttlAloneScalesTheWindowsThatMustStayShorter() {
    TokenGuardConfig jwks = TokenGuardConfig.fromProperties(Map.of("issuer", "https://i.example.com/", "jwks.cache-ttl", "1s"));
    assertThat(jwks.jwksRefreshAhead()).isEqualTo(Duration.ofMillis(100));
    assertThat(jwks.jwksMinRefetchInterval()).isEqualTo(Duration.ofSeconds(1));
    TokenGuardConfig defaults = TokenGuardConfig.fromProperties(Map.of("issuer", "https://i.example.com/"));
    assertThat(defaults.jwksRefreshAhead()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.jwksMinRefetchInterval()).isEqualTo(Duration.ofSeconds(30));
    Map<String, String> lookup = base("user-lookup.cache-ttl");
    lookup.put("user-lookup.cache-ttl", "1s");
    assertThat(TokenGuardConfig.fromProperties(lookup).userLookup().orElseThrow().refreshAhead()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void explicitContradictoryPairStillFailsNamingBothKeys() {
    assertThatThrownBy(() -> TokenGuardConfig.fromProperties(Map.of("issuer", "https://i.example.com/",
        "jwks.cache-ttl", "1s", "jwks.refresh-ahead", "30s")))
        .hasMessageStartingWith("jwks.refresh-ahead:").hasMessageContaining("jwks.cache-ttl");
    assertThatThrownBy(() -> TokenGuardConfig.fromProperties(Map.of("issuer", "https://i.example.com/",
        "jwks.cache-ttl", "1s", "jwks.min-refetch-interval", "30s")))
        .hasMessageStartingWith("jwks.min-refetch-interval:").hasMessageContaining("jwks.cache-ttl");
    Map<String, String> lookup = base("user-lookup.cache-ttl");
    lookup.put("user-lookup.cache-ttl", "1s");
    lookup.put("user-lookup.refresh-ahead", "30s");
    assertThatThrownBy(() -> TokenGuardConfig.fromProperties(lookup))
        .hasMessageStartingWith("user-lookup.refresh-ahead:").hasMessageContaining("user-lookup.cache-ttl");
  }
}
