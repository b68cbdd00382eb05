package dev.tokenguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one way configuration text is read, for every key of every settings class. */
class ConfigTextTest {
  @Test
  void choicesAreNamedInTheMessage() {
    assertThat(ConfigText.choice("k", "b", List.of("a", "b"))).isEqualTo("b");
    assertThatThrownBy(() -> ConfigText.choice("k", "x", List.of("a", "b"))).hasMessage("k: expected a or b, but was 'x'");
    assertThatThrownBy(() -> ConfigText.choice("k", "x", List.of("a", "b", "c"))).hasMessage("k: expected a, b or c, but was 'x'");
  }

  @Test
  void everySettingsClassReadsAChoiceTheSameWay() {
    Map<String, String> base = Map.of("issuer", "https://idp.example.com", "user-lookup.provider", "userinfo");
    assertThatThrownBy(() -> TokenGuardConfig.builder().properties(base).set("user-lookup.on-failure", "maybe").build())
        .hasMessage("user-lookup.on-failure: expected fail-closed or fail-open, but was 'maybe'");
    assertThatThrownBy(() -> TokenGuardConfig.builder().properties(base).set("user-lookup.method", "put").build())
        .hasMessage("user-lookup.method: expected GET or POST, but was 'PUT'");
    assertThat(TokenGuardConfig.builder().properties(base).set("user-lookup.reject-blocked", "FALSE").build()
        .userLookup().orElseThrow().rejectBlocked()).isFalse();
  }

  @Test
  void durationsWithinBounds() {
    assertThat(ConfigText.duration("k", "2s", Duration.ofMillis(1), Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(2));
    assertThatThrownBy(() -> ConfigText.duration("k", "11s", Duration.ofMillis(1), Duration.ofSeconds(10)))
        .hasMessage("k: must be between 1ms and 10s, but was 11s");
    assertThatThrownBy(() -> TokenGuardConfig.fromProperties(Map.of("issuer", "https://idp.example.com",
        "user-lookup.provider", "userinfo", "user-lookup.timeout", "0s")))
        .hasMessage("user-lookup.timeout: must be between 1ms and 1m, but was 0s");
  }

  @Test
  void placeholdersThatAreNotSetNameTheKey() {
    assertThatThrownBy(() -> ConfigText.resolvePlaceholders("hmac-secret", "${env:TOKENGUARD_SURELY_NOT_SET_4711}"))
        .hasMessage("hmac-secret: refers to ${env:TOKENGUARD_SURELY_NOT_SET_4711}, which is not set");
    assertThat(ConfigText.resolvePlaceholders("k", "plain ${text}")).isEqualTo("plain ${text}");
  }

  @Test
  void suggestionsAreTheClosestKnownKey() {
    assertThat(ConfigText.suggestion("jwks.cahce-ttl", List.of("jwks.cache-ttl", "jwks.timeout"))).isEqualTo(" (did you mean jwks.cache-ttl?)");
    assertThat(ConfigText.suggestion("something-else", List.of("jwks.cache-ttl"))).isEmpty();
  }
}
