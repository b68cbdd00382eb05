package dev.tokenguard.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.TokenGuardConfigException;
import dev.tokenguard.UserProfile;
import dev.tokenguard.testing.ApiServer.Answer;
import dev.tokenguard.testing.ApiServer.Recorded;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every preset against a loopback double answering with the provider's documented shapes (the providers' API documentation; their OpenAPI files are in core/src/test/resources/contracts/):
 * the exact requests TokenGuard sends and the profile it maps.
 */
class ProviderPresetsTest extends LookupFixture {

  @AfterEach
  void stop() {
    closeServer();
  }

  static Answer token(String accessToken, long expiresIn) {
    return Answer.json(200, "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}");
  }

  // ---- Auth0 ----

  @Test
  void auth0WhenUserExistsThenProfileFromManagementApiWithRolesAndAudiencePermissions() {
    api.on("POST", "/oauth/token", token("mgmt-1", 86400));
    api.on("GET", "/api/v2/users/auth0%7C123", Answer.json(200, """
        {"user_id":"auth0|123","email":"jane@example.com","email_verified":true,"name":"Jane Doe",
         "given_name":"Jane","family_name":"Doe","nickname":"jd","picture":"https://cdn/jane.png",
         "app_metadata":{"plan":"gold"},"user_metadata":{"theme":"dark"},"blocked":false,
         "last_login":"2026-11-20T08:30:00.000Z","logins_count":3}"""));
    api.on("GET", "/api/v2/users/auth0%7C123/roles", Answer.json(200,
        "[{\"id\":\"rol_1\",\"name\":\"admin\",\"description\":\"x\"},{\"id\":\"rol_2\",\"name\":\"editor\"}]"));
    api.on("GET", "/api/v2/users/auth0%7C123/permissions", Answer.json(200, """
        [{"permission_name":"read:orders","resource_server_identifier":"https://api.example.com","sources":[]},
         {"permission_name":"read:other","resource_server_identifier":"https://other.example.com"}]"""));

    UserProfile p = lookup("user-lookup.provider", "auth0", "user-lookup.base-url", api.url(),
        "user-lookup.client-id", "cid", "user-lookup.client-secret", "s3cret",
        "user-lookup.roles", "true", "user-lookup.permissions", "true").lookUp(principal("auth0|123"), "t");

    Recorded tokenCall = api.requests("POST", "/oauth/token").get(0);
    assertThat(tokenCall.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(tokenCall.form()).containsExactly(Map.entry("grant_type", "client_credentials"),
        Map.entry("client_id", "cid"), Map.entry("client_secret", "s3cret"), Map.entry("audience", api.url() + "/api/v2/"));
    Recorded userCall = api.requests("GET", "/api/v2/users/auth0%7C123").get(0);
    assertThat(userCall.header("Authorization")).isEqualTo("Bearer mgmt-1");
    assertThat(userCall.header("Accept")).isEqualTo("application/json");

    assertThat(p.provider()).isEqualTo("auth0");
    assertThat(p.id()).isEqualTo("auth0|123");
    assertThat(p.email()).isEqualTo("jane@example.com");
    assertThat(p.emailVerified()).isTrue();
    assertThat(p.name()).isEqualTo("Jane Doe");
    assertThat(p.givenName()).isEqualTo("Jane");
    assertThat(p.familyName()).isEqualTo("Doe");
    assertThat(p.picture()).isEqualTo("https://cdn/jane.png");
    assertThat(p.blocked()).isFalse();
    assertThat(p.lastLogin()).isEqualTo(Instant.parse("2026-11-20T08:30:00Z"));
    assertThat(p.metadata()).containsEntry("plan", "gold");
    assertThat(p.userMetadata()).containsEntry("theme", "dark");
    assertThat(p.roles()).containsExactlyInAnyOrder("admin", "editor");
    assertThat(p.permissions()).containsExactly("read:orders");
    assertThat(p.raw()).containsEntry("logins_count", 3L);
  }

  @Test
  void auth0WhenUserBlockedThenProfileSaysBlocked() {
    api.on("POST", "/oauth/token", token("m", 86400));
    api.on("GET", "/api/v2/users/auth0%7C9", Answer.json(200, "{\"user_id\":\"auth0|9\",\"blocked\":true}"));
    assertThatThrownBy(() -> lookup("user-lookup.provider", "auth0", "user-lookup.base-url", api.url(),
        "user-lookup.client-id", "c", "user-lookup.client-secret", "s").lookUp(principal("auth0|9"), "t"))
        .isInstanceOf(InvalidTokenException.class).hasMessageContaining("is blocked");
  }

  @Test
  void auth0WhenUserUnknownThenInvalidToken() {
    api.on("POST", "/oauth/token", token("m", 86400));
    api.on("GET", "/api/v2/users/auth0%7Cgone", Answer.json(404,
        "{\"statusCode\":404,\"error\":\"Not Found\",\"message\":\"The user does not exist.\",\"errorCode\":\"inexistent_user\"}"));
    assertThatThrownBy(() -> lookup("user-lookup.provider", "auth0", "user-lookup.base-url", api.url(),
        "user-lookup.client-id", "c", "user-lookup.client-secret", "s").lookUp(principal("auth0|gone"), "t"))
        .isInstanceOf(InvalidTokenException.class).hasMessage("the user 'auth0|gone' does not exist at the identity provider");
  }

  /** Query parameter {@code name} of a recorded request, or null. */
  static String query(Recorded r, String name) {
    return r.query().get(name);
  }

  /**
   * An Auth0 list of {@code total} entries as the Management API pages it ({@code page} from 0, {@code per_page},
   * {@code include_totals=true}: {@code {start, limit, length, total, <member>: [...]}}).
   */
  static Answer auth0Page(Recorded r, String member, int total, java.util.function.IntFunction<String> entry) {
    assertThat(query(r, "include_totals")).isEqualTo("true");
    int page = Integer.parseInt(query(r, "page"));
    int perPage = Integer.parseInt(query(r, "per_page"));
    StringBuilder entries = new StringBuilder();
    for (int i = page * perPage; i < Math.min(total, (page + 1) * perPage); i++) {
      entries.append(entries.length() == 0 ? "" : ",").append(entry.apply(i));
    }
    int length = Math.max(0, Math.min(total, (page + 1) * perPage) - page * perPage);
    return Answer.json(200, "{\"start\":" + page * perPage + ",\"limit\":" + perPage + ",\"length\":" + length
        + ",\"total\":" + total + ",\"" + member + "\":[" + entries + "]}");
  }

  /**
   * A base-url off the provider's own domain (an Auth0 or Logto custom domain) without the audience or resource the
   * token request needs: said at start-up, naming the key to set; nothing said once it is set.
   */
  @Test
  void customDomainWithoutAudienceOrResourceIsWarnedAtStartUp() {
    try (dev.tokenguard.testing.LogCapture log = new dev.tokenguard.testing.LogCapture()) {
      lookup("user-lookup.provider", "auth0", "user-lookup.base-url", "https://login.shop.example",
          "user-lookup.client-id", "c", "user-lookup.client-secret", "s");
      assertThat(warnings(log)).singleElement().asString().contains("user-lookup.audience is not set",
          "https://TENANT.REGION.auth0.com/api/v2/");
      lookup("user-lookup.provider", "logto", "user-lookup.base-url", "https://auth.shop.example",
          "user-lookup.client-id", "c", "user-lookup.client-secret", "s");
      assertThat(warnings(log)).hasSize(2).last().asString().contains("user-lookup.resource is not set", "default.logto.app/api");
      lookup("user-lookup.provider", "auth0", "user-lookup.base-url", "https://shop.eu.auth0.com",
          "user-lookup.client-id", "c", "user-lookup.client-secret", "s");
      lookup("user-lookup.provider", "auth0", "user-lookup.base-url", "https://login.shop.example",
          "user-lookup.client-id", "c", "user-lookup.client-secret", "s", "user-lookup.audience", "https://shop.eu.auth0.com/api/v2/");
      assertThat(warnings(log)).hasSize(2);
    }
  }

  /** The warnings logged so far. */
  static java.util.List<String> warnings(dev.tokenguard.testing.LogCapture log) {
    return log.lines().stream().filter(l -> l.startsWith("WARNING ")).toList();
  }

  /** Auth0 roles and permissions over pages of 1, 2 and 3: every one is read, the audience filter applied per page. */
  @Test
  void auth0RolesAndPermissionsAreReadOverEveryPage() {
    for (int roles : new int[] {1, 150, 250}) {
      api.on("POST", "/oauth/token", token("m", 86400));
      String id = "auth0|r" + roles;
      String path = "/api/v2/users/auth0%7Cr" + roles;
      api.on("GET", path, Answer.json(200, "{\"user_id\":\"" + id + "\"}"));
      api.on("GET", path + "/roles", r -> auth0Page(r, "roles", roles, i -> "{\"id\":\"rol_" + i + "\",\"name\":\"role-" + i + "\"}"));
      // 120 permissions of another API first, then this API's: the filter must not stop at the first page
      api.on("GET", path + "/permissions", r -> auth0Page(r, "permissions", 120 + roles, i -> "{\"permission_name\":\"p" + i
          + "\",\"resource_server_identifier\":\"" + (i < 120 ? "https://other.example.com" : "https://api.example.com") + "\"}"));
      UserProfile p = lookup("user-lookup.provider", "auth0", "user-lookup.base-url", api.url(), "user-lookup.client-id", "c",
          "user-lookup.client-secret", "s", "user-lookup.roles", "true", "user-lookup.permissions", "true").lookUp(principal(id), "t");
      assertThat(p.roles()).as("%d roles", roles).hasSize(roles).contains("role-0", "role-" + (roles - 1));
      assertThat(p.permissions()).as("%d permissions of this API", roles).hasSize(roles).contains("p120", "p" + (119 + roles));
      assertThat(api.requests("GET", path + "/roles")).hasSize((roles + 99) / 100);
    }
  }

  /** A user with more roles than ten pages: the first thousand are read, a warning says the rest is left out. */
  @Test
  void auth0RolesBeyondTheCeilingAreLeftOutWithAWarning() {
    api.on("POST", "/oauth/token", token("m", 86400));
    api.on("GET", "/api/v2/users/auth0%7Cmany", Answer.json(200, "{\"user_id\":\"auth0|many\"}"));
    api.on("GET", "/api/v2/users/auth0%7Cmany/roles", r -> auth0Page(r, "roles", 5000, i -> "{\"name\":\"role-" + i + "\"}"));
    try (dev.tokenguard.testing.LogCapture log = new dev.tokenguard.testing.LogCapture()) {
      UserProfile p = lookup("user-lookup.provider", "auth0", "user-lookup.base-url", api.url(), "user-lookup.client-id", "c",
          "user-lookup.client-secret", "s", "user-lookup.roles", "true").lookUp(principal("auth0|many"), "t");
      assertThat(p.roles()).hasSize(1000);
      assertThat(api.requests("GET", "/api/v2/users/auth0%7Cmany/roles")).hasSize(10);
      assertThat(warnings(log)).filteredOn(l -> l.contains("left out")).singleElement().asString().contains("more than 1000 roles of user 'auth0|many'", "left out");
    }
  }

  // ---- Logto ----

  /** Logto roles over pages (total in Total-Number, page from 1), and the scopes of roles past the first page. */
  @Test
  void logtoRolesAndTheirScopesAreReadOverEveryPage() {
    api.on("POST", "/oidc/token", token("logto-m2m", 3600));
    api.on("GET", "/api/users/u2", Answer.json(200, "{\"id\":\"u2\",\"isSuspended\":false}"));
    int total = 130;
    api.on("GET", "/api/users/u2/roles", r -> {
      int page = Integer.parseInt(query(r, "page"));
      int size = Integer.parseInt(query(r, "page_size"));
      assertThat(page).isPositive();
      StringBuilder roles = new StringBuilder();
      for (int i = (page - 1) * size; i < Math.min(total, page * size); i++) {
        roles.append(roles.length() == 0 ? "" : ",").append("{\"id\":\"r" + i + "\",\"name\":\"role-" + i + "\"}");
      }
      return Answer.json(200, "[" + roles + "]").withHeader("Total-Number", Integer.toString(total));
    });
    api.on("GET", "/api/roles/r129/scopes", Answer.json(200, "[{\"id\":\"s1\",\"name\":\"read:last\"}]")
        .withHeader("Total-Number", "1"));
    for (int i = 0; i < 129; i++) {
      api.on("GET", "/api/roles/r" + i + "/scopes", Answer.json(200, "[]").withHeader("Total-Number", "0"));
    }
    UserProfile p = lookup("user-lookup.provider", "logto", "user-lookup.base-url", api.url(), "user-lookup.client-id", "a",
        "user-lookup.client-secret", "b", "user-lookup.permissions", "true").lookUp(principal("u2"), "t");
    assertThat(p.roles()).hasSize(130).contains("role-0", "role-129");
    assertThat(p.permissions()).containsExactly("read:last");
    assertThat(api.requests("GET", "/api/users/u2/roles")).extracting(r -> query(r, "page")).containsExactly("1", "2");
  }

  @Test
  void logtoWhenUserExistsThenBasicAuthTokenRolesAndRoleScopes() {
    api.on("POST", "/oidc/token", token("logto-m2m", 3600));
    api.on("GET", "/api/users/u1abc", Answer.json(200, """
        {"id":"u1abc","username":"jane","primaryEmail":"jane@example.com","primaryPhone":null,"name":null,
         "avatar":"https://cdn/a.png","customData":{"tier":"pro"},"profile":{},"identities":{},
         "lastSignInAt":1763631000000,"createdAt":1700000000000,"isSuspended":false}"""));
    api.on("GET", "/api/users/u1abc/roles", Answer.json(200,
        "[{\"id\":\"r1\",\"tenantId\":\"default\",\"name\":\"admin\",\"type\":\"User\",\"isDefault\":false}]"));
    api.on("GET", "/api/roles/r1/scopes", Answer.json(200, "[{\"id\":\"s1\",\"name\":\"read:orders\"},{\"id\":\"s2\",\"name\":\"write:orders\"}]"));

    UserProfile p = lookup("user-lookup.provider", "logto", "user-lookup.base-url", api.url(),
        "user-lookup.client-id", "app id", "user-lookup.client-secret", "sec:ret", "user-lookup.permissions", "true")
        .lookUp(principal("u1abc"), "t");

    Recorded tokenCall = api.requests("POST", "/oidc/token").get(0);
    assertThat(tokenCall.header("Authorization")).isEqualTo("Basic "
        + Base64.getEncoder().encodeToString("app+id:sec%3Aret".getBytes(StandardCharsets.UTF_8)));
    assertThat(tokenCall.form()).containsExactly(Map.entry("grant_type", "client_credentials"),
        Map.entry("resource", api.url() + "/api"), Map.entry("scope", "all"));
    assertThat(api.requests("GET", "/api/users/u1abc").get(0).header("Authorization")).isEqualTo("Bearer logto-m2m");
    assertThat(p.id()).isEqualTo("u1abc");
    assertThat(p.name()).isEqualTo("jane");
    assertThat(p.email()).isEqualTo("jane@example.com");
    assertThat(p.emailVerified()).isTrue();
    assertThat(p.picture()).isEqualTo("https://cdn/a.png");
    assertThat(p.lastLogin()).isEqualTo(Instant.ofEpochMilli(1763631000000L));
    assertThat(p.metadata()).containsEntry("tier", "pro");
    assertThat(p.roles()).containsExactly("admin");
    assertThat(p.permissions()).containsExactlyInAnyOrder("read:orders", "write:orders");
    assertThat(p.blocked()).isFalse();
  }

  @Test
  void logtoWhenSuspendedThenBlockedAndNoEmailMeansUnknownVerification() {
    api.on("POST", "/oidc/token", token("m", 3600));
    api.on("GET", "/api/users/u2", Answer.json(200, "{\"id\":\"u2\",\"primaryEmail\":null,\"isSuspended\":true}"));
    api.on("GET", "/api/users/u2/roles", Answer.json(200, "[]"));
    UserProfile p = lookup("user-lookup.provider", "logto", "user-lookup.base-url", api.url(),
        "user-lookup.client-id", "c", "user-lookup.client-secret", "s", "user-lookup.reject-blocked", "false")
        .lookUp(principal("u2"), "t");
    assertThat(p.blocked()).isTrue();
    assertThat(p.emailVerified()).isNull();
  }

  // ---- Authress ----

  @Test
  void authressWhenUserExistsThenSelfSignedEdDsaTokenAndResourceRolesAndPermissions() throws Exception {
    KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String accessKey = "sc_client.kid_1.acc_42." + Base64.getEncoder().encodeToString(kp.getPrivate().getEncoded());
    api.on("GET", "/v1/users/user%7C1", Answer.json(200,
        "{\"userId\":\"user|1\",\"name\":\"Ann\",\"email\":\"ann@example.com\",\"picture\":\"https://p\"}"));
    api.on("GET", "/v1/users/user%7C1/resources/projects%2Fone/roles", Answer.json(200,
        "{\"userId\":\"user|1\",\"roles\":[{\"roleId\":\"viewer\"}]}"));
    api.on("GET", "/v1/users/user%7C1/resources/projects%2Fone/permissions", Answer.json(200,
        "{\"userId\":\"user|1\",\"permissions\":[{\"action\":\"read\",\"allow\":true,\"grant\":false,\"delegate\":false},"
            + "{\"action\":\"delete\",\"allow\":false}]}"));

    UserProfile p = lookup("user-lookup.provider", "authress", "user-lookup.base-url", api.url(),
        "user-lookup.access-key", accessKey, "user-lookup.resource-uri", "projects/one").lookUp(principal("user|1"), "t");

    assertThat(p.id()).isEqualTo("user|1");
    assertThat(p.name()).isEqualTo("Ann");
    assertThat(p.roles()).containsExactly("viewer");
    assertThat(p.permissions()).containsExactly("read");
    String jwt = api.requests("GET", "/v1/users/user%7C1").get(0).header("Authorization").substring("Bearer ".length());
    String[] parts = jwt.split("\\.");
    String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
    String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    assertThat(header).isEqualTo("{\"alg\":\"EdDSA\",\"kid\":\"kid_1\",\"typ\":\"at+jwt\"}");
    assertThat(claims).contains("\"iss\":\"" + api.url() + "/v1/clients/sc_client\"", "\"sub\":\"sc_client\"",
        "\"client_id\":\"sc_client\"", "\"aud\":\"acc_42.accounts.authress.io\"", "\"scope\":\"openid\"",
        "\"exp\":" + (clock.instant().getEpochSecond() + 86400));
    Signature verify = Signature.getInstance("Ed25519");
    verify.initVerify(kp.getPublic());
    verify.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(verify.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
  }

  @Test
  void authressWhenAccessKeyMalformedThenStartUpFailsNamingTheKey() {
    assertThatThrownBy(() -> lookup("user-lookup.provider", "authress", "user-lookup.base-url", api.url(),
        "user-lookup.access-key", "not-a-key"))
        .isInstanceOf(TokenGuardConfigException.class).hasMessageStartingWith("user-lookup.access-key:");
    assertThatThrownBy(() -> lookup("user-lookup.provider", "authress", "user-lookup.base-url", api.url(),
        "user-lookup.access-key", "a.b.c.bm90LWEta2V5"))
        .isInstanceOf(TokenGuardConfigException.class).hasMessageContaining("not a base64 PKCS#8 Ed25519 key");
  }

  // ---- Pangea ----

  @Test
  void pangeaWhenUserExistsThenPostWithStaticTokenAndEnvelope() {
    api.on("POST", "/v2/user/profile/get", Answer.json(200, """
        {"request_id":"prq_1","request_time":"2026-11-23T10:00:00Z","response_time":"2026-11-23T10:00:00Z",
         "status":"Success","summary":"ok","result":{"id":"pui_abc","email":"p@example.com","username":"p",
         "profile":{"first_name":"Pat","last_name":"Lee","image_url":"https://img"},"verified":true,
         "disabled":false,"locked_out":false,"last_login_at":"2026-11-22T12:00:00.000000Z","groups":["grp_1"]}}"""));
    UserProfile p = lookup("user-lookup.provider", "pangea", "user-lookup.base-url", api.url(),
        "user-lookup.api-token", "pts_token").lookUp(principal("pui_abc"), "t");
    Recorded call = api.requests("POST", "/v2/user/profile/get").get(0);
    assertThat(call.header("Authorization")).isEqualTo("Bearer pts_token");
    assertThat(call.header("Content-Type")).isEqualTo("application/json");
    assertThat(call.body()).isEqualTo("{\"id\":\"pui_abc\"}");
    assertThat(p.id()).isEqualTo("pui_abc");
    assertThat(p.name()).isEqualTo("Pat Lee");
    assertThat(p.picture()).isEqualTo("https://img");
    assertThat(p.emailVerified()).isTrue();
    assertThat(p.roles()).containsExactly("grp_1");
    assertThat(p.lastLogin()).isEqualTo(Instant.parse("2026-11-22T12:00:00Z"));
    assertThat(p.metadata()).containsEntry("first_name", "Pat");
  }

  @Test
  void pangeaWhenLockedOutThenBlockedAndWhenEnvelopeNotFoundThenGone() {
    api.on("POST", "/v2/user/profile/get", r -> r.body().contains("pui_locked")
        ? Answer.json(200, "{\"status\":\"Success\",\"result\":{\"id\":\"pui_locked\",\"disabled\":false,\"locked_out\":true}}")
        : Answer.json(400, "{\"request_id\":\"prq_9\",\"status\":\"NotFound\",\"summary\":\"user not found\",\"result\":null}"));
    var lookup = lookup("user-lookup.provider", "pangea", "user-lookup.base-url", api.url(), "user-lookup.api-token", "t");
    assertThatThrownBy(() -> lookup.lookUp(principal("pui_locked"), "t")).hasMessageContaining("is blocked");
    assertThatThrownBy(() -> lookup.lookUp(principal("pui_none"), "t")).hasMessageContaining("does not exist");
  }

  // ---- Guardhouse ----

  @Test
  void guardhouseWhenUserExistsThenSystemApiScopeAndEmbeddedRoles() {
    api.on("POST", "/connect/token", token("gh", 3600));
    api.on("GET", "/api/v1/users/42", Answer.json(200, """
        {"id":42,"email":"g@example.com","firstName":"Gil","lastName":"Hart","status":"active",
         "avatarUrl":"https://a","lastLogin":"2026-11-01T00:00:00Z",
         "roles":[{"id":1,"name":"admin"}],"systemPermissions":[{"id":7,"name":"users.read"}]}"""));
    UserProfile p = lookup("user-lookup.provider", "guardhouse", "user-lookup.base-url", api.url(),
        "user-lookup.client-id", "c", "user-lookup.client-secret", "s").lookUp(principal("42"), "t");
    assertThat(api.requests("POST", "/connect/token").get(0).form()).containsEntry("scope", "system_api")
        .containsEntry("client_id", "c").containsEntry("client_secret", "s");
    assertThat(p.id()).isEqualTo("42");
    assertThat(p.name()).isEqualTo("Gil Hart");
    assertThat(p.roles()).containsExactly("admin");
    assertThat(p.permissions()).containsExactly("users.read");
    assertThat(p.status()).isEqualTo("active");
    assertThat(p.blocked()).isFalse();
  }

  @Test
  void guardhouseWhenAuth0LikeShapeOrLockedStatusThenReadToo() {
    api.on("POST", "/connect/token", token("gh", 3600));
    api.on("GET", "/api/v1/users/u-7", Answer.json(200, """
        {"user_id":"u-7","name":"Uma","email":"u@example.com","email_verified":true,"blocked":false,
         "app_metadata":{"roles":["ops"],"permissions":["deploy"]},"user_metadata":{"lang":"fr"}}"""));
    api.on("GET", "/api/v1/users/u-8", Answer.json(200, "{\"id\":\"u-8\",\"status\":\"locked\"}"));
    var lookup = lookup("user-lookup.provider", "guardhouse", "user-lookup.base-url", api.url(),
        "user-lookup.client-id", "c", "user-lookup.client-secret", "s");
    UserProfile p = lookup.lookUp(principal("u-7"), "t");
    assertThat(p.roles()).containsExactly("ops");
    assertThat(p.permissions()).containsExactly("deploy");
    assertThat(p.userMetadata()).containsEntry("lang", "fr");
    assertThat(p.emailVerified()).isTrue();
    assertThatThrownBy(() -> lookup.lookUp(principal("u-8"), "t")).hasMessageContaining("blocked").hasMessageContaining("status locked");
    assertThat(api.count("POST", "/connect/token")).isEqualTo(1);
  }

  /**
   * Guardhouse sends its status enum as a number or a string (with the SDK's aliases): only active lets the user
   * through; a numeric status no longer blocks every user (before, any status but the text active did).
   */
  @Test
  void guardhouseStatusAsNumberOrStringBlockedUnlessActive() {
    api.on("POST", "/connect/token", token("gh", 3600));
    Map<String, String> shapes = new java.util.LinkedHashMap<>();
    shapes.put("1", "active");
    shapes.put("\"1\"", "active");
    shapes.put("\"Active\"", "active");
    shapes.put("\"ACTIVE\"", "active");
    shapes.put("0", "staged");
    shapes.put("2", "inactive");
    shapes.put("\"disabled\"", "inactive");
    shapes.put("3", "locked");
    shapes.put("\"Locked_Out\"", "locked");
    shapes.put("\"locked-out\"", "locked");
    shapes.put("4", "invited");
    shapes.put("5", "suspended");
    shapes.put("\"archived\"", "archived");
    shapes.put("6", "archived");
    shapes.put("-1", "-1"); // the SDK's Unknown: a sign is no separator
    shapes.put("\"-1\"", "-1");
    shapes.put("\"01\"", "active");
    shapes.put("99", "99");
    shapes.put("\"deleted\"", "deleted");
    int n = 0;
    var lookup = lookup("user-lookup.provider", "guardhouse", "user-lookup.base-url", api.url(),
        "user-lookup.client-id", "c", "user-lookup.client-secret", "s", "user-lookup.on-failure", "fail-closed");
    for (Map.Entry<String, String> shape : shapes.entrySet()) {
      String id = "s" + n++;
      api.on("GET", "/api/v1/users/" + id, Answer.json(200, "{\"id\":\"" + id + "\",\"status\":" + shape.getKey() + "}"));
      if (shape.getValue().equals("active")) {
        UserProfile p = lookup.lookUp(principal(id), "t");
        assertThat(p.blocked()).as(shape.getKey()).isFalse();
        assertThat(p.status()).as(shape.getKey()).isEqualTo("active");
      } else {
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> lookup.lookUp(principal(id), "t"));
        assertThat(refused).as("status %s", shape.getKey()).isNotNull()
            .hasMessageContaining("blocked").hasMessageContaining("status " + shape.getValue());
      }
    }
  }

  // ---- Keycloak ----

  @Test
  void keycloakWhenUserExistsThenAdminApiAndEffectiveRealmRoles() {
    String realm = api.url() + "/realms/shop";
    api.on("POST", "/realms/shop/protocol/openid-connect/token", token("kc", 300));
    api.on("GET", "/admin/realms/shop/users/6f1c", Answer.json(200, """
        {"id":"6f1c","username":"kim","firstName":"Kim","lastName":"Ng","email":"kim@example.com",
         "emailVerified":false,"enabled":true,"attributes":{"picture":["https://kc/p.png"],"dept":["eng"]},
         "createdTimestamp":1700000000000}"""));
    api.on("GET", "/admin/realms/shop/users/6f1c/role-mappings/realm/composite", Answer.json(200,
        "[{\"id\":\"r1\",\"name\":\"default-roles-shop\",\"composite\":true},{\"id\":\"r2\",\"name\":\"buyer\"}]"));
    UserProfile p = lookup("user-lookup.provider", "keycloak", "user-lookup.base-url", realm,
        "user-lookup.client-id", "tg", "user-lookup.client-secret", "s").lookUp(principal("6f1c"), "t");
    assertThat(api.requests("POST", "/realms/shop/protocol/openid-connect/token").get(0).form())
        .containsExactly(Map.entry("grant_type", "client_credentials"), Map.entry("client_id", "tg"), Map.entry("client_secret", "s"));
    assertThat(p.name()).isEqualTo("Kim Ng");
    assertThat(p.emailVerified()).isFalse();
    assertThat(p.picture()).isEqualTo("https://kc/p.png");
    assertThat(p.roles()).containsExactlyInAnyOrder("default-roles-shop", "buyer");
    assertThat(p.metadata()).containsKey("dept");
    assertThat(p.blocked()).isFalse();
  }

  /** client-roles: the client's id found by its clientId, then the user's composite roles in it; brute-force: a lockout blocks. */
  @Test
  void keycloakClientRolesAndBruteForceLockout() {
    api.on("POST", "/realms/shop/protocol/openid-connect/token", token("kc", 300));
    for (String user : java.util.List.of("u1", "u2")) {
      api.on("GET", "/admin/realms/shop/users/" + user, Answer.json(200, "{\"id\":\"" + user + "\",\"enabled\":true}"));
      api.on("GET", "/admin/realms/shop/users/" + user + "/role-mappings/realm/composite", Answer.json(200, "[]"));
      api.on("GET", "/admin/realms/shop/users/" + user + "/role-mappings/clients/c-uuid-9/composite",
          Answer.json(200, "[{\"id\":\"cr1\",\"name\":\"auditor\",\"clientRole\":true}]"));
    }
    api.on("GET", "/admin/realms/shop/clients", r -> "clientId=orders%3Aapi".equals(r.rawQuery())
        ? Answer.json(200, "[{\"id\":\"c-uuid-9\",\"clientId\":\"orders:api\"}]") : Answer.json(400, "{}"));
    api.on("GET", "/admin/realms/shop/attack-detection/brute-force/users/u1",
        Answer.json(200, "{\"numFailures\":0,\"disabled\":false,\"lastIPFailure\":\"n/a\",\"lastFailure\":0}"));
    api.on("GET", "/admin/realms/shop/attack-detection/brute-force/users/u2",
        Answer.json(200, "{\"numFailures\":3,\"disabled\":true,\"lastIPFailure\":\"127.0.0.1\",\"lastFailure\":1}"));
    var lookup = lookup("user-lookup.provider", "keycloak", "user-lookup.base-url", api.url() + "/realms/shop",
        "user-lookup.client-id", "c", "user-lookup.client-secret", "s", "user-lookup.client-roles", "orders:api",
        "user-lookup.brute-force", "true");
    UserProfile p = lookup.lookUp(principal("u1"), "t");
    assertThat(p.roles()).containsExactly("auditor");
    assertThat(p.blocked()).isFalse();
    assertThatThrownBy(() -> lookup.lookUp(principal("u2"), "t")).hasMessageContaining("blocked");
  }

  @Test
  void keycloakWhenDisabledThenBlocked() {
    api.on("POST", "/realms/shop/protocol/openid-connect/token", token("kc", 300));
    api.on("GET", "/admin/realms/shop/users/x", Answer.json(200, "{\"id\":\"x\",\"username\":\"x\",\"enabled\":false}"));
    api.on("GET", "/admin/realms/shop/users/x/role-mappings/realm/composite", Answer.json(200, "[]"));
    assertThatThrownBy(() -> lookup("user-lookup.provider", "keycloak", "user-lookup.base-url", api.url() + "/realms/shop",
        "user-lookup.client-id", "c", "user-lookup.client-secret", "s").lookUp(principal("x"), "t"))
        .hasMessageContaining("blocked");
  }

  @Test
  void keycloakWhenBaseUrlIsNotARealmThenStartUpFails() {
    assertThatThrownBy(() -> lookup("user-lookup.provider", "keycloak", "user-lookup.base-url", api.url(),
        "user-lookup.client-id", "c", "user-lookup.client-secret", "s"))
        .isInstanceOf(TokenGuardConfigException.class).hasMessageStartingWith("user-lookup.base-url:");
  }

  // ---- OIDC UserInfo ----

  @Test
  void userinfoWhenDiscoveredThenCallsWithTheCallersToken() {
    api.on("GET", "/.well-known/openid-configuration", Answer.json(200,
        "{\"issuer\":\"" + api.url() + "\",\"jwks_uri\":\"" + api.url() + "/jwks\",\"userinfo_endpoint\":\"" + api.url() + "/userinfo\"}"));
    api.on("GET", "/userinfo", r -> "Bearer good-token".equals(r.header("Authorization"))
        ? Answer.json(200, "{\"sub\":\"s-1\",\"name\":\"Sam\",\"email\":\"s@example.com\",\"email_verified\":true,\"picture\":\"https://s\"}")
        : new Answer(401, Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""), "", 0));
    var lookup = lookup("user-lookup.provider", "userinfo", "user-lookup.base-url", api.url());
    UserProfile p = lookup.lookUp(principal("s-1"), "good-token");
    assertThat(p.name()).isEqualTo("Sam");
    assertThat(p.emailVerified()).isTrue();
    assertThat(p.provider()).isEqualTo("userinfo");
    assertThat(api.count("GET", "/.well-known/openid-configuration")).isEqualTo(1);
    assertThatThrownBy(() -> lookup.lookUp(principal("s-2"), "bad-token"))
        .isInstanceOf(InvalidTokenException.class).hasMessageContaining("does not accept the token");
  }

  // ---- generic ----

  @Test
  void genericWhenDescribedInConfigurationThenRequestAndMappingFollowIt() {
    api.on("POST", "/directory/lookup", Answer.json(200, """
        {"data":{"uid":"e-1","mail":"e@example.com","display":"Eve","state":"SUSPENDED","groups":["a","b"],
         "meta":{"x":1}}}"""));
    UserProfile p = lookup("user-lookup.provider", "generic", "user-lookup.base-url", api.url(),
        "user-lookup.user-url", "{base-url}/directory/lookup", "user-lookup.method", "post",
        "user-lookup.body", "{\"userId\":\"{sub}\",\"fields\":\"all\"}",
        "user-lookup.credential", "static", "user-lookup.api-token", "k-1",
        "user-lookup.field.id", "data.uid", "user-lookup.field.email", "data.mail", "user-lookup.field.name", "data.display",
        "user-lookup.field.roles", "data.groups", "user-lookup.field.status", "data.state",
        "user-lookup.field.metadata", "data.meta", "user-lookup.blocked-statuses", "suspended,locked",
        "user-lookup.reject-blocked", "false").lookUp(principal("e-1"), "t");
    Recorded call = api.requests("POST", "/directory/lookup").get(0);
    assertThat(call.body()).isEqualTo("{\"userId\":\"e-1\",\"fields\":\"all\"}");
    assertThat(call.header("Authorization")).isEqualTo("Bearer k-1");
    assertThat(p.provider()).isEqualTo("generic");
    assertThat(p.email()).isEqualTo("e@example.com");
    assertThat(p.roles()).containsExactlyInAnyOrder("a", "b");
    assertThat(p.blocked()).isTrue();
    assertThat(p.status()).isEqualTo("SUSPENDED");
  }

  @Test
  void genericWhenUrlOrIdMissingThenStartUpFailsNamingTheKey() {
    assertThatThrownBy(() -> lookup("user-lookup.provider", "generic", "user-lookup.field.id", "id"))
        .isInstanceOf(TokenGuardConfigException.class).hasMessageStartingWith("user-lookup.user-url:");
    assertThatThrownBy(() -> lookup("user-lookup.provider", "generic", "user-lookup.user-url", "https://x/{sub}"))
        .isInstanceOf(TokenGuardConfigException.class).hasMessageStartingWith("user-lookup.field.id:");
    assertThatThrownBy(() -> lookup("user-lookup.provider", "auth0", "user-lookup.base-url", "https://t.example"))
        .isInstanceOf(TokenGuardConfigException.class).hasMessageStartingWith("user-lookup.client-id:");
    assertThatThrownBy(() -> lookup("user-lookup.provider", "okta"))
        .isInstanceOf(TokenGuardConfigException.class).hasMessageStartingWith("user-lookup.provider:");
    assertThatThrownBy(() -> lookup("user-lookup.client-id", "x"))
        .isInstanceOf(TokenGuardConfigException.class).hasMessageStartingWith("user-lookup.provider: is required");
    assertThatThrownBy(() -> lookup("user-lookup.provider", "generic", "user-lookup.field.nickname", "x"))
        .isInstanceOf(TokenGuardConfigException.class).hasMessageStartingWith("user-lookup.field.nickname:");
  }
}
