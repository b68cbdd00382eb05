package dev.tokenguard.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenguard.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Path normalisation and pattern matching: the spellings that must not slip past a rule. */
class PathRulesTest {

  @ParameterizedTest
  @CsvSource({
      "/api/orders/1, /api/orders/1",
      "/api//orders/1, /api/orders/1",
      "/api/./orders/1, /api/orders/1",
      "/api/x/../orders/1, /api/orders/1",
      "/api/%2E/orders/1, /api/orders/1",
      "/api/%2e%2e/api/orders/1, /api/orders/1",
      "/api/%6Frders/1, /api/orders/1",
      "/api/orders;jsessionid=abc/1, /api/orders/1",
      "/api/orders/1;v=2, /api/orders/1",
      "/api/a%20b, /api/a%20b",
      "/api/a%3ab, /api/a%3Ab",
      "'', /",
      "/, /",
      "/api/orders/, /api/orders",
      "/api/orders?x=1, /api/orders"})
  void normaliseWhenSpellingsDifferThenSameCanonicalPath(String raw, String expected) {
    assertThat(PathNormalizer.normalise(raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/..%2F..%2Fadmin", "/api%2fadmin", "/api%5Cadmin", "/a%00b", "/..", "/api/../../x",
      "/a\\b", "/a%zz", "/a%4"})
  void normaliseWhenAmbiguousOrEscapingThenInvalidRequest(String raw) {
    assertThatThrownBy(() -> PathNormalizer.normalise(raw)).isInstanceOf(InvalidRequestException.class);
  }

  @ParameterizedTest
  @CsvSource({
      "/api/orders/**, /api/orders, true",
      "/api/orders/**, /api/orders/1, true",
      "/api/orders/**, /api/orders/1/items, true",
      "/api/orders/**, /api/ordersX, false",
      "/api/orders/**, /api, false",
      "/api/*/items, /api/7/items, true",
      "/api/*/items, /api/7/8/items, false",
      "/files/*.json, /files/a.json, true",
      "/files/*.json, /files/a.xml, false",
      "/**/health, /health, true",
      "/**/health, /a/b/health, true",
      "/public, /public, true",
      "/public, /Public, false",
      "/**, /anything/at/all, true"})
  void matchWhenPatternThenAsDocumented(String pattern, String path, boolean expected) {
    assertThat(PathPattern.parse(pattern).matches(path)).isEqualTo(expected);
  }
}
