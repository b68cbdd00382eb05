package dev.tokenguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import io.quarkus.security.PermissionsAllowed;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same token gets the same decision from {@code @PermissionsAllowed} and from a TokenGuard {@code rule.*}, over a table of permission strings with and without {@code :}: permissions are whole
 * strings everywhere (Quarkus' own reading would let {@code orders:read} satisfy a required {@code orders}).
 */
class QuarkusPermissionSemanticsTest {
  static final int PORT = TestApp.port("tokenguard.test.permissions-idp-port");
  static final String ISSUER = "http://127.0.0.1:" + PORT;
  /** Required permission by path segment. */
  static final Map<String, String> REQUIRED = Map.of("plain", "orders", "read", "orders:read", "nested", "orders:read:all");

  @RegisterExtension
  static final QuarkusUnitTest QUARKUS = configure(new QuarkusUnitTest()
      .withApplicationRoot(jar -> jar.addClasses(Annotated.class, Open.class, TestApp.class))
      .overrideConfigKey("quarkus.http.test-port", "0")
      .overrideConfigKey("quarkus.tokenguard.issuer", ISSUER)
      .overrideConfigKey("quarkus.tokenguard.jwks-uri", ISSUER + "/jwks")
      .overrideConfigKey("quarkus.tokenguard.audience", "orders"));

  static QuarkusUnitTest configure(QuarkusUnitTest test) {
    REQUIRED.forEach((segment, permission) -> {
      test.overrideConfigKey("quarkus.tokenguard.rule." + segment + ".paths", "/ruled/" + segment);
      test.overrideConfigKey("quarkus.tokenguard.rule." + segment + ".permissions", permission);
    });
    return test;
  }

  @Path("/annotated")
  public static class Annotated {
    @GET
    @Path("plain")
    @PermissionsAllowed("orders")
    public String plain() {
      return "ok";
    }

    @GET
    @Path("read")
    @PermissionsAllowed("orders:read")
    public String read() {
      return "ok";
    }

    // no @PermissionsAllowed("orders:read:all"): Quarkus refuses a value with two ':' at build time
  }

  /** The targets of the rules: no annotation. */
  @Path("/")
  public static class Open {
    @GET
    @Path("ruled/{segment}")
    public String any() {
      return "ok";
    }
  }

  static JwksServer idp;

  @AfterAll
  static void stop() {
    if (idp != null) {
      idp.close();
    }
  }

  static synchronized String token(List<String> permissions) {
    if (idp == null) {
      idp = new JwksServer(PORT).keys(TestKeys.RSA);
    }
    return TestTokens.valid(ISSUER, "orders", Instant.now()).claim("scope", null).claim("permissions", permissions)
        .sign("RS256", TestKeys.RSA);
  }

  @Test
  void annotationsPoliciesAndRulesDecideAlikeAsWholeStrings() throws Exception {
    List<List<String>> held = List.of(List.of(), List.of("orders"), List.of("orders:read"), List.of("orders:write"),
        List.of("orders:read:all"), List.of("orders", "orders:read"));
    List<String> mismatches = new ArrayList<>();
    for (List<String> permissions : held) {
      String token = token(permissions);
      for (Map.Entry<String, String> required : REQUIRED.entrySet()) {
        int expected = permissions.contains(required.getValue()) ? 200 : 403;
        for (String kind : required.getKey().equals("nested") ? List.of("ruled") : List.of("annotated", "ruled")) {
          int status = TestApp.get("/" + kind + "/" + required.getKey(), token).statusCode();
          if (status != expected) {
            mismatches.add(kind + " " + required.getValue() + " with " + permissions + ": " + status + ", expected " + expected);
          }
        }
      }
    }
    assertThat(mismatches).isEmpty();
  }
}
