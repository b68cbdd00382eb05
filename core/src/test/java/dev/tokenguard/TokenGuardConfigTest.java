package dev.tokenguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tokenguard.rules.PathRule;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The configuration model: defaults, parsing, and a start-up error naming the key for every bad value. */
class TokenGuardConfigTest {
  static final String ISSUER = "https://issuer.example.com/";

  static Map<String, String> props(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("issuer", ISSUER);
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  static void assertRejected(Map<String, String> props, String key, String messagePart) {
    assertThatThrownBy(() -> TokenGuardConfig.fromProperties(props))
        .isInstanceOf(TokenGuardConfigException.class)
        .hasMessageStartingWith(key + ": ")
        .hasMessageContaining(messagePart)
        .satisfies(e -> assertThat(((TokenGuardConfigException) e).key()).isEqualTo(key));
  }

  @Test
  void fromPropertiesWhenOnlyIssuerThenDefaults() {
    TokenGuardConfig c = TokenGuardConfig.fromProperties(props());
    assertThat(c.issuers()).containsExactly(ISSUER);
    assertThat(c.jwksUri(ISSUER)).isNull();
    assertThat(c.clockSkew()).isEqualTo(TokenGuardConfig.CLOCK_SKEW.fallback());
    assertThat(c.algorithms()).contains(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA)
        .doesNotContain(JWSAlgorithm.HS256);
    assertThat(c.tokenTypes()).containsExactlyInAnyOrder("jwt", "at+jwt", "");
    assertThat(c.jwksCacheTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.jwksMinRefetchInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.principalClaim()).isEqualTo("sub");
    assertThat(c.permissionsClaims()).containsExactly("permissions", "scope", "scp");
    assertThat(c.tokenCacheEnabled()).isTrue();
    assertThat(c.allowQueryToken()).isFalse();
    assertThat(c.jdkSignatureEnginesOnly()).isFalse();
  }

  @Test
  void signatureEnginesIsFastestOrJdkAndNothingElse() {
    assertThat(TokenGuardConfig.fromProperties(props("signature-engines", "jdk")).jdkSignatureEnginesOnly()).isTrue();
    assertThat(TokenGuardConfig.fromProperties(props("signature-engines", "fastest")).jdkSignatureEnginesOnly()).isFalse();
    assertRejected(props("signature-engines", "sunec"), "signature-engines", "fastest");
  }

  @Test
  void keysListsEveryDefaultAsItsConstant() {
    Map<String, String> defaults = new HashMap<>();
    TokenGuardConfig.KEYS.forEach(k -> {
      if (k.defaultValue() != null) {
        defaults.put(k.name(), k.defaultValue());
      }
    });
    defaults.put("issuer", ISSUER);
    TokenGuardConfig fromDefaults = TokenGuardConfig.fromProperties(defaults);
    TokenGuardConfig builtIn = TokenGuardConfig.fromProperties(props());
    assertThat(fromDefaults.toString()).isEqualTo(builtIn.toString());
    assertThat(fromDefaults.jwksStaleIfError()).isEqualTo(builtIn.jwksStaleIfError());
    assertThat(fromDefaults.tokenCacheMaxTtl()).isEqualTo(builtIn.tokenCacheMaxTtl());
    assertThat(fromDefaults.maxTokenSize()).isEqualTo(builtIn.maxTokenSize());
  }

  @Test
  void fromPropertiesWhenEveryKeySetThenParsed() {
    TokenGuardConfig c = TokenGuardConfig.fromProperties(props(
        "issuer", "https://a.example/, https://b.example/",
        "jwks-uri", "https://a.example/keys,https://b.example/keys",
        "audience", "api1, api2",
        "algorithms", "RS256,ES256",
        "token-types", "at+jwt",
        "clock-skew", "500ms",
        "required-claims", "jti,client_id",
        "principal-claim", "email",
        "permissions-claims", "permissions",
        "roles-claims", "realm_access.roles",
        "public-paths", "/health,/public/**",
        "realm", "orders",
        "allow-query-token", "true",
        "max-token-size", "4096",
        "jwks.cache-ttl", "PT10M",
        "jwks.refresh-ahead", "1m",
        "jwks.stale-if-error", "2h",
        "jwks.min-refetch-interval", "10s",
        "jwks.timeout", "2s",
        "token-cache.enabled", "false",
        "token-cache.max-size", "50",
        "token-cache.max-ttl", "1m",
        "rule.write.paths", "/api/orders/**",
        "rule.write.methods", "post, put",
        "rule.write.permissions", "orders:write",
        "rule.admin.paths", "/admin/**",
        "rule.admin.permissions", "admin,root",
        "rule.admin.match", "any"));
    assertThat(c.issuers()).containsExactly("https://a.example/", "https://b.example/");
    assertThat(c.jwksUri("https://b.example/")).isEqualTo(URI.create("https://b.example/keys"));
    assertThat(c.audiences()).containsExactly("api1", "api2");
    assertThat(c.algorithms()).containsExactly(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    assertThat(c.tokenTypes()).containsExactly("at+jwt");
    assertThat(c.clockSkew()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.jwksCacheTtl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.jwksStaleIfError()).isEqualTo(Duration.ofHours(2));
    assertThat(c.realm()).isEqualTo("orders");
    assertThat(c.allowQueryToken()).isTrue();
    assertThat(c.tokenCacheEnabled()).isFalse();
    assertThat(c.rules()).extracting(PathRule::name).containsExactly("admin", "write");
    PathRule write = c.rules().get(1);
    assertThat(write.methods()).containsExactlyInAnyOrder("POST", "PUT");
    assertThat(write.match()).isEqualTo(PathRule.Match.ALL);
    assertThat(c.rules().get(0).match()).isEqualTo(PathRule.Match.ANY);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "clock-skew | 60 | expected a non-negative duration",
      "clock-skew | -5s | expected a non-negative duration",
      "clock-skew | 1h | must be at most 10m",
      "jwks.cache-ttl | 0s | must be positive",
      "jwks.timeout | soon | expected a non-negative duration",
      "jwks.refresh-ahead | 10m | must be shorter than jwks.cache-ttl",
      "jwks.min-refetch-interval | 1h | must not exceed jwks.cache-ttl",
      "token-cache.enabled | yes | expected true or false",
      "token-cache.max-size | lots | expected a whole number",
      "max-token-size | 10 | must be between 256",
      "algorithms | none | 'none' is never accepted",
      "algorithms | HS256 | needs hmac-secret",
      "algorithms | RS1 | unsupported algorithm 'RS1'",
      "hmac-secret | short | at least 32 bytes",
      "jwks-uri | http://idp.example.com/jwks | plain http is allowed only for loopback hosts",
      "jwks-uri | file:///etc/passwd | expected an absolute https URL",
      "jwks-uri | https://a/keys,https://b/keys | expected one URL per issuer (1)",
      "public-paths | health | must start with '/'",
      "realm | say \"hi\" | printable ASCII without quotes",
      "issuers | https://x | unknown key (did you mean issuer?)",
      "jwks.cache-tll | 5m | did you mean jwks.cache-ttl?",
      "rule.x.paths | /a | is required",
      "cache.redis.uri | http://cache:6379 | expected redis://host:port or rediss://host:port",
      "cache.redis.uri | redis:// | expected redis://host:port",
      "cache.redis.prefix | my app: | printable characters without spaces",
      "cache.redis.timeout | 30s | must be between 1ms and 10s",
      "cache.redis.lock-wait | soon | expected a non-negative duration",
      "cache.redis.revocation-ttl | 0s | must be between 1s and 30d"})
  void fromPropertiesWhenValueBadThenFailsNamingTheKey(String key, String value, String messagePart) {
    // a rule with paths but no permissions is reported at its missing attribute
    String expectedKey = key.equals("rule.x.paths") ? "rule.x.permissions" : key;
    assertRejected(props(key, value), expectedKey, messagePart);
  }

  @Test
  void sharedCacheOffUnlessUriSetAndItsPasswordIsMasked() {
    assertThat(TokenGuardConfig.fromProperties(props()).sharedCache()).isEmpty();
    assertThat(TokenGuardConfig.fromProperties(props("cache.redis.prefix", "shop:")).sharedCache()).isEmpty();
    TokenGuardConfig c = TokenGuardConfig.fromProperties(props("cache.redis.uri", "rediss://app:s3cr3t-pw@cache.internal:6380/2",
        "cache.redis.lock-wait", "500ms"));
    SharedCacheSettings s = c.sharedCache().orElseThrow();
    assertThat(s.uri().getPort()).isEqualTo(6380);
    assertThat(s.prefix()).isEqualTo("tokenguard:");
    assertThat(s.lockWait()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.toString()).contains("rediss://******@cache.internal:6380/2").doesNotContain("s3cr3t-pw");
  }

  @Test
  void fromPropertiesWhenIssuerMissingThenFailsNamingIt() {
    assertThatThrownBy(() -> TokenGuardConfig.fromProperties(Map.of("audience", "x")))
        .isInstanceOf(TokenGuardConfigException.class).hasMessage("issuer: is required: set the trusted issuer URL(s), or issuers.<name>.url");
  }

  @Test
  void fromPropertiesWhenIssuerIsPlainHttpAndNoJwksUriThenFails() {
    assertRejected(Map.of("issuer", "http://idp.example.com"), "issuer", "used for discovery");
    assertThat(TokenGuardConfig.fromProperties(Map.of("issuer", "http://127.0.0.1:8080")).issuers()).hasSize(1);
  }

  @Test
  void fromPropertiesWhenRuleAttributeUnknownOrMatchBadThenFails() {
    assertRejected(props("rule.x.paths", "/a", "rule.x.permissions", "p", "rule.x.verbs", "GET"), "rule.x.verbs", "unknown rule attribute");
    assertRejected(props("rule.x.paths", "/a", "rule.x.permissions", "p", "rule.x.match", "some"), "rule.x.match", "expected all or any");
    assertRejected(props("rule.x.paths", "/a", "rule.x.permissions", "p", "rule.x.methods", "GE T"), "rule.x.methods", "HTTP method names");
  }

  @Test
  void fromPropertiesWhenPlaceholdersThenResolvedFromEnvironmentAndSystemProperties() {
    System.setProperty("tg.test.secret", "s".repeat(40));
    try {
      TokenGuardConfig c = TokenGuardConfig.fromProperties(props("hmac-secret", "${sys:tg.test.secret}",
          "audience", "${env:PATH}"));
      assertThat(c.hmacSecret()).hasSize(40);
      assertThat(c.audiences()).isNotEmpty();
      assertThat(c.algorithms()).contains(JWSAlgorithm.HS256).doesNotContain(JWSAlgorithm.HS384, JWSAlgorithm.HS512);
    } finally {
      System.clearProperty("tg.test.secret");
    }
    assertRejected(props("hmac-secret", "${env:TOKENGUARD_SURELY_UNSET_VARIABLE}"), "hmac-secret", "which is not set");
    assertRejected(props("hmac-secret", "${vault:x}"), "hmac-secret", "expected ${env:NAME}");
  }

  @Test
  void hmacSecretAsBase64ThenDecoded() {
    TokenGuardConfig c = TokenGuardConfig.fromProperties(props("hmac-secret", "base64:" + "A".repeat(86)));
    assertThat(c.hmacSecret()).hasSize(64);
    assertThat(c.algorithms()).contains(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);
  }

  @Test
  void toStringMasksTheSecret() {
    TokenGuardConfig c = TokenGuardConfig.fromProperties(props("hmac-secret", "super-secret-value-that-is-long-enough"));
    assertThat(c.toString()).contains("hmac-secret=******").doesNotContain("super-secret");
    TokenGuardConfig withLookup = TokenGuardConfig.fromProperties(props("user-lookup.provider", "auth0",
        "user-lookup.base-url", "https://t.example", "user-lookup.client-id", "cid", "user-lookup.client-secret", "m2m-secret-value"));
    assertThat(withLookup.toString()).contains("client-secret=******", "client-id=cid").doesNotContain("m2m-secret-value");
  }
}
