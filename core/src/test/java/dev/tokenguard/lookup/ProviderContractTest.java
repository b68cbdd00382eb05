package dev.tokenguard.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.UserProfile;
import dev.tokenguard.testing.ApiServer.Answer;
import dev.tokenguard.testing.ApiServer.Recorded;
import dev.tokenguard.testing.TestFiles;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The presets against the providers' own OpenAPI descriptions in {@code core/src/test/resources/contracts/}: the operations
 * TokenGuard calls exist, what it sends is in the request schema, every field it reads is in the response
 * schema, and the providers' own response examples map to the expected profile through the real engine.
 */
class ProviderContractTest extends LookupFixture {

  @AfterEach
  void stop() {
    closeServer();
  }

  @Test
  void pangeaPresetMatchesTheAuthnSpecAndMapsItsExample() throws Exception {
    Map<String, Object> spec = spec("pangea-authn.openapi.json");
    Map<String, Object> op = operation(spec, "/v2/user/profile/get", "post");
    Map<String, Object> requestSchema = resolve(spec, path(op, "requestBody", "content", "application/json", "schema"));
    Map<String, Object> userInfo = resolve(spec, Map.of("$ref", "#/components/schemas/authn-v2-user-info"));

    UserLookupSettingsFixture s = settings("user-lookup.provider", "pangea", "user-lookup.base-url", api.url(),
        "user-lookup.api-token", "pts");
    ProviderSpec preset = s.spec();
    assertThat(preset.method()).isEqualTo("POST");
    assertThat(preset.userUrl()).endsWith("/v2/user/profile/get");
    Map<String, Object> body = JSONObjectUtils.parse(preset.body().replace("{sub}", "pui_x"));
    assertThat(properties(spec, requestSchema).keySet()).containsAll(body.keySet());

    for (String field : readFields(preset)) {
      assertThat(field).startsWith("result.");
      assertThat(hasPath(spec, userInfo, field.substring("result.".length()).split("\\.")))
          .as("the Pangea spec documents %s", field).isTrue();
    }

    Object example = ((List<?>) userInfo.get("examples")).get(0);
    String envelope = "{\"request_id\":\"prq_1\",\"request_time\":\"t\",\"response_time\":\"t\",\"status\":\"Success\","
        + "\"summary\":\"ok\",\"result\":" + JSONObjectUtils.toJSONString(cast(example)) + "}";
    api.on("POST", "/v2/user/profile/get", Answer.json(200, envelope));
    String id = (String) cast(example).get("id");
    UserProfile p = lookup("user-lookup.provider", "pangea", "user-lookup.base-url", api.url(), "user-lookup.api-token", "pts")
        .lookUp(principal(id), "t");
    assertThat(p.email()).isEqualTo("joe.user@email.com");
    assertThat(p.name()).isEqualTo("Joe User");
    assertThat(p.picture()).startsWith("https://avatars.githubusercontent.com/");
    assertThat(p.emailVerified()).isFalse();
    assertThat(p.blocked()).isFalse();
    assertThat(p.lastLogin()).isEqualTo(Instant.parse("2022-11-21T21:21:40.256969Z"));
  }

  @Test
  void pangeaTokenCheckFitsTheAuthnSpecAndItsExampleBecomesAPrincipal() throws Exception {
    Map<String, Object> spec = spec("pangea-authn.openapi.json");
    Map<String, Object> op = operation(spec, "/v2/client/token/check", "post");
    Map<String, Object> requestSchema = resolve(spec, path(op, "requestBody", "content", "application/json", "schema"));
    Map<String, Object> info = resolve(spec, Map.of("$ref", "#/components/schemas/authn-token-info-user-nocreds"));
    Map<String, Object> example = cast(((List<?>) path(spec, "components", "schemas", "authn-token-info-user-nocreds")
        .get("examples")).get(0)); // beside the $ref, which resolve() follows
    String envelope = "{\"request_id\":\"prq_1\",\"request_time\":\"t\",\"response_time\":\"t\",\"status\":\"Success\","
        + "\"summary\":\"ok\",\"result\":" + JSONObjectUtils.toJSONString(example) + "}";
    api.on("POST", "/v2/client/token/check", Answer.json(200, envelope));
    Map<String, String> p = new java.util.LinkedHashMap<>();
    p.put("issuer", "https://authn.aws.us.pangea.cloud");
    p.put("token-format", "opaque");
    p.put("introspection.protocol", "pangea");
    p.put("introspection.endpoint", api.url() + "/v2/client/token/check");
    p.put("introspection.client-secret", "pts_service");
    dev.tokenguard.testing.FakeClock before = dev.tokenguard.testing.FakeClock.at("2022-11-22T00:00:00Z"); // the example's lifetime
    try (dev.tokenguard.TokenGuard guard = dev.tokenguard.TokenGuard.builder(TokenGuardConfig.builder().properties(p).clock(before)
        .build()).build()) {
      dev.tokenguard.TokenPrincipal principal = guard.validator().validate((String) example.get("token"));
      assertThat(principal.getName()).isEqualTo(example.get("identity"));
      assertThat(principal.expiresAt()).isEqualTo(Instant.parse((String) example.get("expire")).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
      assertThat(principal.claims()).containsEntry("email", "joe.user@email.com");
    }
    Map<String, Object> body = JSONObjectUtils.parse(api.requests("POST", "/v2/client/token/check").get(0).body());
    assertThat(properties(spec, requestSchema).keySet()).as("what TokenGuard sends is in the request schema").containsAll(body.keySet());
    assertThat(body.keySet()).containsAll(stringList(requestSchema.get("required")));
    Map<String, Object> read = properties(spec, info);
    assertThat(read).as("the members TokenGuard reads are documented")
        .containsKeys("identity", "expire", "created_at", "scopes", "audience", "enabled", "client_id");
  }

  @Test
  void auth0ClientCredentialsRequestFitsTheAuthenticationSpec() throws Exception {
    Map<String, Object> spec = spec("auth0-authentication-api.oas.json");
    operation(spec, "/oauth/token", "post");
    Map<String, Object> grant = resolve(spec, Map.of("$ref", "#/components/schemas/ClientCredentialsGrant"));

    api.on("POST", "/oauth/token", Answer.json(200, "{\"access_token\":\"m\",\"expires_in\":86400}"));
    api.on("GET", "/api/v2/users/u", Answer.json(200, "{\"user_id\":\"u\"}"));
    lookup("user-lookup.provider", "auth0", "user-lookup.base-url", api.url(), "user-lookup.client-id", "c",
        "user-lookup.client-secret", "s").lookUp(principal("u"), "t");
    Map<String, String> form = api.requests("POST", "/oauth/token").get(0).form();
    assertThat(properties(spec, grant).keySet()).containsAll(form.keySet());
    assertThat(form.keySet()).containsAll(stringList(grant.get("required")));
  }

  @Test
  void userinfoPresetReadsOnlyDocumentedClaimsAndMapsTheSpecExample() throws Exception {
    Map<String, Object> spec = spec("auth0-authentication-api.oas.json");
    Map<String, Object> ok = path(operation(spec, "/userinfo", "get"), "responses", "200", "content", "application/json");
    Map<String, Object> schema = resolve(spec, cast(ok.get("schema")));
    ProviderSpec preset = settings("user-lookup.provider", "userinfo", "user-lookup.base-url", api.url()).spec();
    for (String field : readFields(preset)) {
      if (!field.equals("roles")) { // roles is a provider-specific custom claim, documented as such
        assertThat(properties(spec, schema)).as("the spec documents %s", field).containsKey(field);
      }
    }
    Map<String, Object> example = cast(ok.get("example"));
    api.on("GET", "/.well-known/openid-configuration", Answer.json(200, "{\"issuer\":\"" + api.url()
        + "\",\"jwks_uri\":\"" + api.url() + "/jwks\",\"userinfo_endpoint\":\"" + api.url() + "/userinfo\"}"));
    api.on("GET", "/userinfo", Answer.json(200, JSONObjectUtils.toJSONString(example)));
    UserProfile p = lookup("user-lookup.provider", "userinfo", "user-lookup.base-url", api.url())
        .lookUp(principal((String) example.get("sub")), "t");
    assertThat(p.name()).isEqualTo("Jane Doe");
    assertThat(p.emailVerified()).isTrue();
    assertThat(p.picture()).isEqualTo(example.get("picture"));
  }

  @Test
  void logtoPresetCallsOperationsTheManagementApiFragmentsDescribe() throws Exception {
    Map<String, Object> basic = spec("logto-admin-user-basic.openapi.json");
    Map<String, Object> roles = spec("logto-admin-user-role.openapi.json");
    ProviderSpec preset = settings("user-lookup.provider", "logto", "user-lookup.base-url", api.url(),
        "user-lookup.client-id", "c", "user-lookup.client-secret", "s").spec();
    assertThat(preset.userUrl()).isEqualTo(api.url() + "/api/users/{sub}");
    operation(basic, "/api/users/{userId}", preset.method().toLowerCase());
    assertThat(preset.enrichments()).extracting(ProviderSpec.Enrichment::url).contains(api.url() + "/api/users/{sub}/roles");
    operation(roles, "/api/users/{userId}/roles", "get");
  }

  // ---- helpers ----

  /** A preset built from properties without starting anything. */
  record UserLookupSettingsFixture(TokenGuardConfig config) {
    ProviderSpec spec() {
      return ProviderPresets.spec(config.userLookup().orElseThrow(), config);
    }
  }

  UserLookupSettingsFixture settings(String... kv) {
    return new UserLookupSettingsFixture(TokenGuardConfig.builder().properties(props(kv)).clock(clock).build());
  }

  /** The JSON paths of every field expression, without operators. */
  static Set<String> readFields(ProviderSpec preset) {
    Set<String> out = new java.util.TreeSet<>();
    for (String expression : preset.fields().expressions().values()) {
      for (String part : expression.split("[|+,]")) {
        String p = part.trim().replaceFirst("^!", "").replaceFirst("\\?$", "").replaceAll("!=.*|=.*", "")
            .replaceAll("\\[[^]]*]", "");
        if (!p.isEmpty()) {
          out.add(p);
        }
      }
    }
    return out;
  }

  static Map<String, Object> spec(String file) throws Exception {
    return JSONObjectUtils.parse(TestFiles.resource("contracts/" + file), -1);
  }

  static Map<String, Object> operation(Map<String, Object> spec, String path, String method) {
    Map<String, Object> paths = cast(spec.get("paths"));
    assertThat(paths).as("the spec has %s", path).containsKey(path);
    Map<String, Object> ops = cast(paths.get(path));
    assertThat(ops).as("the spec has %s %s", method, path).containsKey(method);
    return cast(ops.get(method));
  }

  static Map<String, Object> path(Map<String, Object> node, String... keys) {
    Map<String, Object> n = node;
    for (String k : keys) {
      n = cast(n.get(k));
    }
    return n;
  }

  /** Follows $ref and merges allOf into one schema. */
  static Map<String, Object> resolve(Map<String, Object> spec, Map<String, Object> schema) {
    Map<String, Object> s = schema;
    while (s.containsKey("$ref")) {
      String ref = (String) s.get("$ref");
      s = path(spec, ref.substring(2).split("/"));
    }
    if (s.containsKey("allOf")) {
      Map<String, Object> merged = new java.util.LinkedHashMap<>(s);
      Map<String, Object> props = new java.util.LinkedHashMap<>();
      for (Object part : (List<?>) s.get("allOf")) {
        props.putAll(properties(spec, resolve(spec, cast(part))));
      }
      merged.put("properties", props);
      return merged;
    }
    return s;
  }

  static Map<String, Object> properties(Map<String, Object> spec, Map<String, Object> schema) {
    Object p = resolve(spec, schema).get("properties");
    return p == null ? Map.of() : cast(p);
  }

  /** Whether {@code segments} lead through the schema; a free-form map (patternProperties) accepts any key. */
  static boolean hasPath(Map<String, Object> spec, Map<String, Object> schema, String[] segments) {
    Map<String, Object> s = resolve(spec, schema);
    for (String segment : segments) {
      Map<String, Object> props = properties(spec, s);
      if (props.containsKey(segment)) {
        s = resolve(spec, cast(props.get(segment)));
      } else {
        return s.containsKey("patternProperties") || s.get("additionalProperties") instanceof Map;
      }
      if ("array".equals(s.get("type")) && s.get("items") instanceof Map<?, ?> items) {
        s = resolve(spec, cast(items));
      }
    }
    return true;
  }

  static List<String> stringList(Object o) {
    List<String> out = new ArrayList<>();
    for (Object x : (List<?>) o) {
      out.add((String) x);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> cast(Object o) {
    return (Map<String, Object>) o;
  }

  /**
   * Auth0's paging, with Auth0's own Java SDK as the contract (the Management API spec is not vendored, see
   * contracts/README.md): the SDK's own request for a page of roles or permissions has the query TokenGuard sends, and
   * the test double's pages (which the paging tests in ProviderPresetsTest use) parse with the SDK's deserializers into
   * the total and entries they claim.
   */
  @Test
  void auth0PagingMatchesAuth0sJavaSdk() throws Exception {
    String path = "/api/v2/users/auth0%7Cpaged";
    api.on("POST", "/oauth/token", ProviderPresetsTest.token("m", 86400));
    api.on("GET", path, Answer.json(200, "{\"user_id\":\"auth0|paged\"}"));
    api.on("GET", path + "/roles", r -> ProviderPresetsTest.auth0Page(r, "roles", 150,
        i -> "{\"id\":\"rol_" + i + "\",\"name\":\"role-" + i + "\",\"description\":\"d\"}"));
    api.on("GET", path + "/permissions", r -> ProviderPresetsTest.auth0Page(r, "permissions", 150,
        i -> "{\"permission_name\":\"p" + i + "\",\"resource_server_identifier\":\"https://api.example.com\"}"));

    com.auth0.client.mgmt.ManagementAPI sdk = com.auth0.client.mgmt.ManagementAPI.newBuilder(api.url(), "m").build();
    com.auth0.client.mgmt.filter.PageFilter second = new com.auth0.client.mgmt.filter.PageFilter().withPage(1, 100).withTotals(true);
    com.auth0.json.mgmt.roles.RolesPage roles = sdk.users().listRoles("auth0|paged", second).execute().getBody();
    assertThat(roles.getTotal()).isEqualTo(150);
    assertThat(roles.getStart()).isEqualTo(100);
    assertThat(roles.getItems()).hasSize(50);
    assertThat(roles.getItems().get(0).getName()).isEqualTo("role-100");
    com.auth0.json.mgmt.permissions.PermissionsPage permissions =
        sdk.users().listPermissions("auth0|paged", second).execute().getBody();
    assertThat(permissions.getTotal()).isEqualTo(150);
    assertThat(permissions.getItems()).hasSize(50);
    assertThat(permissions.getItems().get(0).getName()).isEqualTo("p100");
    Map<String, String> sdkRoles = api.requests("GET", path + "/roles").get(0).query();
    Map<String, String> sdkPermissions = api.requests("GET", path + "/permissions").get(0).query();

    UserProfile p = lookup("user-lookup.provider", "auth0", "user-lookup.base-url", api.url(), "user-lookup.client-id", "c",
        "user-lookup.client-secret", "s", "user-lookup.roles", "true", "user-lookup.permissions", "true",
        "user-lookup.permissions-audience", "https://api.example.com").lookUp(principal("auth0|paged"), "t");
    assertThat(p.roles()).hasSize(150);
    assertThat(p.permissions()).hasSize(150);
    assertThat(api.requests("GET", path + "/roles")).extracting(Recorded::query)
        .as("TokenGuard asks for the pages as Auth0's SDK does").contains(sdkRoles);
    assertThat(api.requests("GET", path + "/permissions")).extracting(Recorded::query).contains(sdkPermissions);
  }

  /**
   * Logto's paging as its pagination middleware defines it (the route fragments carry no parameters: the middleware
   * adds them): TokenGuard asks with the middleware's parameter names, pages from 1, a page size within its maximum,
   * and reads the total from the header it sets.
   */
  @Test
  void logtoPagingMatchesLogtosPaginationMiddleware() throws Exception {
    String middleware = Files.readString(TestFiles.repositoryFile("core").resolve("src/test/resources/contracts/logto-koa-pagination.ts"));
    assertThat(middleware).contains("query: { page, page_size }", "ctx.set('Total-Number', String(totalCount))",
        "offset: (pageNumber - 1) * pageSize");
    java.util.regex.Matcher max = java.util.regex.Pattern.compile("maxPageSize = (\\d+)").matcher(middleware);
    assertThat(max.find()).isTrue();
    ProviderSpec preset = settings("user-lookup.provider", "logto", "user-lookup.base-url", api.url(),
        "user-lookup.client-id", "c", "user-lookup.client-secret", "s", "user-lookup.permissions", "true").spec();
    assertThat(preset.enrichments()).hasSize(2).allSatisfy(e -> {
      ProviderSpec.Paging paging = e.paging();
      assertThat(paging.pageParam()).isEqualTo("page");
      assertThat(paging.sizeParam()).isEqualTo("page_size");
      assertThat(paging.firstPage()).as("pages from 1: offset (page - 1) * size").isEqualTo(1);
      assertThat(paging.size()).isBetween(1, Integer.parseInt(max.group(1)));
      assertThat(paging.totalHeader()).isEqualTo("Total-Number");
      assertThat(paging.entries()).as("the routes answer a bare array").isEmpty();
    });
  }
}
