package dev.tokenguard.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenguard.InvalidRequestException;
import dev.tokenguard.http.AccessPolicy;
import dev.tokenguard.http.RequestPaths;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The path a request is judged on, the firewall in front of it, and pattern matching. */
class PathRulesTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/api/orders/1|/api/orders/1",
      "/api/%6Frders/1|/api/orders/1",
      "/api/%6frders/1|/api/orders/1",
      "/api/a%20b|/api/a b",
      "/api/orders/42%3acancel|/api/orders/42:cancel",
      "/api/users/%40me|/api/users/@me",
      "/docs/caf%C3%A9|/docs/café",
      "/api/orders/|/api/orders/",
      "/|/",
      "/a..b/.well-known/x.json|/a..b/.well-known/x.json",
      "/a:b@c!$&'()*+,=-_~|/a:b@c!$&'()*+,=-_~"})
  void decodeWhenUnambiguousThenDecodedOnce(String raw, String expected) {
    assertThat(RequestPaths.decode(raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "api", "*", "//api", "/api//orders", "/api/./x", "/api/../x", "/api/.", "/api/..", "/./",
      "/api/%2E/x", "/api/%2e%2e/x", "/api/x%2e", "/api;x=1/y", "/api/orders;jsessionid=1", "/api%2Fadmin",
      "/api%2fadmin", "/api%5cadmin", "/a%00b", "/a%0Ab", "/a%7Fb", "/a%25b", "/a%252e", "/a%3Bb", "/a\\b", "/a b",
      "/caf\u00e9", "/a%zz", "/a%4", "/a%", "/a%C0%AE", "/a%E0%80%AE", "/a%ED%A0%80", "/a%C2%85", "/a%E2%80%A8",
      "/a%FF", "/a|b", "/a#b", "/a\"b", "/a<b>", "/a{b}", "/a^b", "/a`b", "/a[0]", "/a\tb", "/a\u0000b"})
  void decodeWhenAmbiguousThenInvalidRequest(String raw) {
    assertThatThrownBy(() -> RequestPaths.decode(raw)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void judgeWhenHostRoutesWithoutContextThenRoutedPathIsJudged() {
    assertThat(RequestPaths.judge("/app/api/x", "/app", "/api/x")).isEqualTo("/api/x");
    assertThat(RequestPaths.judge("/app/api/%61dmin", "/app", "/api/admin")).isEqualTo("/api/admin");
    assertThat(RequestPaths.judge("/app/", "/app", "")).isEqualTo("/");
    assertThat(RequestPaths.judge("/api/x", "", null)).isEqualTo("/api/x");
  }

  @Test
  void judgeWhenHostRoutesAnotherPathThenInvalidRequest() {
    assertThatThrownBy(() -> RequestPaths.judge("/app/api/x", "/app", "/api/y")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> RequestPaths.judge("/app/api/x", "/app", "api/x")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> RequestPaths.judge("//app/api/x", "/app", "/api/x")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> RequestPaths.judge("/%61pp/api/x", "/app", "/api/x")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> RequestPaths.judge("/application/api/x", "/app", "/api/x")).isInstanceOf(InvalidRequestException.class);
  }

  @ParameterizedTest
  @CsvSource({
      "/api/orders/**, /api/orders, true",
      "/api/orders/**, /api/orders/, true",
      "/api/orders/**, /api/orders/1, true",
      "/api/orders/**, /api/orders/1/items, true",
      "/api/orders/**, /api/ordersX, false",
      "/api/orders/**, /api, false",
      "/api/*/items, /api/7/items, true",
      "/api/*/items, /api/7/8/items, false",
      "/files/*.json, /files/a.json, true",
      "/files/*.json, /files/a.xml, false",
      "/files/*.json, /files/.json, true",
      "/static/*-*-*.js, /static/a-b-c.js, true",
      "/static/*-*-*.js, /static/a-b.js, false",
      "/static/*-*-*.js, /static/---.js, true",
      "/x/a*a, /x/a, false",
      "/x/a*a, /x/aa, true",
      "/**/health, /health, true",
      "/**/health, /a/b/health, true",
      "/**/a/**/b/**, /x/a/y/b, true",
      "/**/a/**/b/**, /x/b/y/a, false",
      "/**/a/b/**, /a/x/a/b/y, true",
      "/a/**/a, /a, false",
      "/a/**/a, /a/a, true",
      "/public, /public, true",
      "/public, /public/, true",
      "/public, /Public, false",
      "/, /, true",
      "/, /x, false",
      "/**, /anything/at/all, true",
      "/**, /, true",
      "'/api/orders/*:cancel', '/api/orders/42:cancel', true",
      "'/api/orders/*:cancel', '/api/orders/42', false",
      "/api/users/@me/**, /api/users/@me/x, true",
      "/docs/café, /docs/café, true",
      "/docs/caf%C3%A9, /docs/café, true",
      "/docs/a%20b, /docs/a b, true"})
  void matchWhenPatternThenAsDocumented(String pattern, String path, boolean expected) {
    assertThat(PathPattern.parse(pattern).matches(path)).isEqualTo(expected);
  }

  @Test
  void matchWhenIgnoringCaseThenEveryCaseVariantMatches() {
    PathPattern admin = PathPattern.parse("/api/admin/**");
    assertThat(admin.matches(PathPattern.segments("/API/Admin/stats"), true)).isTrue();
    assertThat(admin.matches(PathPattern.segments("/API/Admin/stats"), false)).isFalse();
    assertThat(PathPattern.parse("/files/*.JSON").matches(PathPattern.segments("/FILES/a.json"), true)).isTrue();
  }

  @Test
  void parseWhenPatternHoldsAnAmbiguousEscapeThenRefused() {
    assertThatThrownBy(() -> PathPattern.parse("/api%2Fadmin")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PathPattern.parse("api")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ruleWhenGetThenHeadIsCoveredToo() {
    PathRule rule = new PathRule("read", List.of(PathPattern.parse("/api/**")), Set.of("GET"), List.of("read"), PathRule.Match.ALL);
    List<String> path = PathPattern.segments("/api/x");
    assertThat(rule.appliesTo("GET", path, false)).isTrue();
    assertThat(rule.appliesTo("HEAD", path, false)).isTrue();
    assertThat(rule.appliesTo("head", path, false)).isTrue();
    assertThat(rule.appliesTo("POST", path, false)).isFalse();
    PathRule post = new PathRule("write", List.of(PathPattern.parse("/api/**")), Set.of("POST"), List.of("write"), PathRule.Match.ALL);
    assertThat(post.appliesTo("HEAD", path, false)).isFalse();
  }

  @Test
  void policyWhenCaseInsensitiveThenRulesWidenButPublicPathsStayExact() {
    PathRule admin = new PathRule("admin", List.of(PathPattern.parse("/api/admin/**")), Set.of(), List.of("admin"), PathRule.Match.ALL);
    AccessPolicy policy = new AccessPolicy(List.of(PathPattern.parse("/public/**")), List.of(admin), true);
    assertThat(policy.isPublic("/public/x")).isTrue();
    assertThat(policy.isPublic("/PUBLIC/x")).isFalse();
  }
}
