package dev.tokenguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.devui.tests.DevUIJsonRPCTest;
import io.quarkus.test.QuarkusDevModeTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Dev UI card's JSON-RPC methods in dev mode, against the Dev Services issuer: the configuration (secret masked),
 * the keys' health, a minted token explained as valid, a garbage one as refused.
 */
class QuarkusDevUiTest extends DevUIJsonRPCTest {
  @RegisterExtension
  static final QuarkusDevModeTest DEV = new QuarkusDevModeTest()
      .withApplicationRoot(jar -> jar.addClasses(QuarkusLazyAuthenticationTest.Plain.class)
          .addAsResource(new org.jboss.shrinkwrap.api.asset.StringAsset(
              "quarkus.tokenguard.hmac-secret=a-secret-of-at-least-thirty-two-bytes!\n"), "application.properties"));

  QuarkusDevUiTest() {
    super("dev.tokenguard.tokenguard-quarkus");
  }

  @Test
  void configurationHealthMintAndExplain() throws Exception {
    JsonNode config = executeJsonRPCMethod("getConfiguration");
    assertThat(config.get("issuer").asText()).startsWith("http://127.0.0.1:");
    assertThat(config.get("audience").asText()).isEqualTo("tokenguard-dev");
    assertThat(config.get("hmac-secret").asText()).isEqualTo("******");
    assertThat(config.toString()).doesNotContain("a-secret-of");

    String token = new ObjectMapper().readTree(executeJsonRPCMethod(String.class, "mint",
        Map.of("claims", "{\"sub\":\"alice\",\"permissions\":[\"orders:read\"]}"))).get("access_token").asText();
    JsonNode valid = executeJsonRPCMethod("explain", Map.of("token", "Bearer " + token));
    assertThat(valid.get("valid").asBoolean()).as(valid.toString()).isTrue();
    assertThat(valid.get("caller").get("name").asText()).isEqualTo("alice");
    assertThat(valid.get("steps").size()).isGreaterThan(3);

    JsonNode refused = executeJsonRPCMethod("explain", Map.of("token", "not-a-token"));
    assertThat(refused.get("valid").asBoolean()).isFalse();
    assertThat(refused.get("refusal").asText()).startsWith("HTTP 401 invalid_token");

    JsonNode health = executeJsonRPCMethod("getHealth");
    assertThat(health.get(0).get("name").asText()).startsWith("jwks http://127.0.0.1:");
    assertThat(health.get(0).get("up").asBoolean()).isTrue();
    assertThat(health.get(0).get("details").get("keys").asText()).isEqualTo("1");
  }
}
