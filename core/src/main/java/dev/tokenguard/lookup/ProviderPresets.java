package dev.tokenguard.lookup;

import static dev.tokenguard.UserLookupSettings.ACCESS_KEY;
import static dev.tokenguard.UserLookupSettings.API_TOKEN;
import static dev.tokenguard.UserLookupSettings.AUDIENCE;
import static dev.tokenguard.UserLookupSettings.AUTH_METHOD;
import static dev.tokenguard.UserLookupSettings.BASE_URL;
import static dev.tokenguard.UserLookupSettings.BLOCKED_STATUSES;
import static dev.tokenguard.UserLookupSettings.BODY;
import static dev.tokenguard.UserLookupSettings.CLIENT_ID;
import static dev.tokenguard.UserLookupSettings.CLIENT_SECRET;
import static dev.tokenguard.UserLookupSettings.CREDENTIAL;
import static dev.tokenguard.UserLookupSettings.METHOD;
import static dev.tokenguard.UserLookupSettings.PERMISSIONS;
import static dev.tokenguard.UserLookupSettings.PERMISSIONS_AUDIENCE;
import static dev.tokenguard.UserLookupSettings.RESOURCE;
import static dev.tokenguard.UserLookupSettings.RESOURCE_URI;
import static dev.tokenguard.UserLookupSettings.ROLES;
import static dev.tokenguard.UserLookupSettings.SCOPE;
import static dev.tokenguard.UserLookupSettings.TOKEN_URL;
import static dev.tokenguard.UserLookupSettings.USER_URL;

import dev.tokenguard.ConfigKey;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenGuardConfigException;
import dev.tokenguard.UserLookupSettings;
import dev.tokenguard.shared.SharedTier;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every supported provider, as its own API documentation describes it, as data over the one engine: the user request, the field
 * mapping, the extra calls for roles and permissions, and the credential. URLs derive from
 * {@code user-lookup.base-url} as each provider documents them; any derived value can be overridden by its key
 * ({@code user-lookup.user-url}, {@code .token-url}, {@code .audience}, {@code .field.<name>}, ...).
 */
final class ProviderPresets {
  /** The request URL marker meaning "discover the issuer's userinfo_endpoint". */
  static final String DISCOVER_USERINFO = "discover:userinfo_endpoint";

  private ProviderPresets() {}

  /** The provider described by {@code settings}. */
  static ProviderSpec spec(UserLookupSettings s, TokenGuardConfig config) {
    String base = base(s);
    String provider = s.provider();
    ProviderSpec preset = switch (provider) {
      case "auth0" -> auth0(s, config, base);
      case "logto" -> logto(s, base);
      case "authress" -> authress(s, base);
      case "pangea" -> pangea(base);
      case "guardhouse" -> guardhouse(base);
      case "keycloak" -> keycloak(s, base);
      case "userinfo" -> userinfo();
      default -> new ProviderSpec("generic", "GET", null, null, null, List.of(), new FieldMapping(Map.of(), Set.of()), false);
    };
    String userUrl = s.get(USER_URL) != null ? s.get(USER_URL).replace("{base-url}", base == null ? "" : base) : preset.userUrl();
    Set<String> blockedStatuses = new HashSet<>();
    for (String status : s.get(BLOCKED_STATUSES)) {
      blockedStatuses.add(status.toLowerCase(Locale.ROOT));
    }
    return new ProviderSpec(preset.name(), s.get(METHOD) != null ? s.get(METHOD) : preset.method(), userUrl,
        s.get(BODY) != null ? s.get(BODY) : preset.body(), preset.envelope(), preset.enrichments(),
        preset.fields().with(s.fieldOverrides(), blockedStatuses),
        preset.userTokenAuth() || "user-token".equals(s.get(CREDENTIAL)));
  }

  /** The credential the provider needs. */
  static CredentialProvider credentials(UserLookupSettings s, ApiClient api, Clock clock) {
    return credentials(s, api, clock, null);
  }

  /** As {@link #credentials(UserLookupSettings, ApiClient, Clock)}; client-credentials tokens are shared through {@code tier} when not null. */
  static CredentialProvider credentials(UserLookupSettings s, ApiClient api, Clock clock, SharedTier tier) {
    String base = base(s);
    switch (s.provider()) {
      case "auth0":
        warnUnlessTenantDomain(s, base, ".auth0.com", AUDIENCE, "Auth0 issues Management API tokens only for the"
            + " tenant's canonical domain: with a custom domain set user-lookup.audience=https://TENANT.REGION.auth0.com/api/v2/");
        return clientCredentials(s, api, clock, tier, base + "/oauth/token", false,
            params("audience", or(s.get(AUDIENCE), base + "/api/v2/"), "resource", s.get(RESOURCE), "scope", s.get(SCOPE)));
      case "logto":
        warnUnlessTenantDomain(s, base, ".logto.app", RESOURCE, "Logto's Management API resource is"
            + " https://TENANT-ID.logto.app/api on Logto Cloud (also behind a custom domain) and https://default.logto.app/api"
            + " when self-hosted: set user-lookup.resource");
        return clientCredentials(s, api, clock, tier, base + "/oidc/token", true,
            params("resource", or(s.get(RESOURCE), base + "/api"), "scope", or(s.get(SCOPE), "all"), "audience", s.get(AUDIENCE)));
      case "guardhouse":
        return clientCredentials(s, api, clock, tier, base + "/connect/token", false,
            params("scope", or(s.get(SCOPE), "system_api"), "audience", s.get(AUDIENCE), "resource", s.get(RESOURCE)));
      case "keycloak":
        return clientCredentials(s, api, clock, tier, base + "/protocol/openid-connect/token", false,
            params("scope", s.get(SCOPE), "audience", s.get(AUDIENCE), "resource", s.get(RESOURCE)));
      case "authress":
        return new AuthressServiceClientTokenProvider(s.get(ACCESS_KEY), URI.create(base), clock);
      case "pangea":
        return CredentialProvider.staticToken(s.get(API_TOKEN));
      case "userinfo":
        return CredentialProvider.USER_TOKEN;
      default:
        switch (s.get(CREDENTIAL) == null ? "none" : s.get(CREDENTIAL)) {
          case "client-credentials":
            return clientCredentials(s, api, clock, tier, null, false,
                params("scope", s.get(SCOPE), "audience", s.get(AUDIENCE), "resource", s.get(RESOURCE)));
          case "static":
            return CredentialProvider.staticToken(s.get(API_TOKEN));
          case "user-token":
            return CredentialProvider.USER_TOKEN;
          default:
            return CredentialProvider.NONE;
        }
    }
  }

  private static final System.Logger LOG = System.getLogger(ProviderPresets.class.getName());

  /**
   * Warns at start-up when {@code base} is not on the provider's own domain and {@code key} (the token request's
   * audience or resource, which the provider derives from its canonical domain) is not set: the default made from
   * {@code base} would be refused when the first user is looked up. Not an error: a private-cloud tenant has a
   * canonical domain of its own.
   */
  private static void warnUnlessTenantDomain(UserLookupSettings s, String base, String domain, ConfigKey<String> key,
      String advice) {
    String host = base == null ? null : java.net.URI.create(base).getHost();
    if (host != null && !host.toLowerCase(Locale.ROOT).endsWith(domain) && s.get(key) == null) {
      LOG.log(System.Logger.Level.WARNING, "user-lookup.base-url " + base + " (issuer " + s.issuer() + ") is not a *"
          + domain + " domain and " + key.name() + " is not set: " + advice);
    }
  }

  // ---- the presets ----

  private static ProviderSpec auth0(UserLookupSettings s, TokenGuardConfig config, String base) {
    List<ProviderSpec.Enrichment> extra = new ArrayList<>();
    String users = base + "/api/v2/users/{sub}";
    if (s.flag(ROLES, false)) {
      extra.add(new ProviderSpec.Enrichment("roles", users + "/roles", "[].name|roles[].name", null, auth0Pages("roles")));
    }
    if (s.flag(PERMISSIONS, false)) {
      java.util.Set<String> audiences = config.issuer(s.issuer()).audiences();
      String audience = or(s.get(PERMISSIONS_AUDIENCE), audiences.isEmpty() ? null : audiences.iterator().next());
      String filter = audience == null ? "[]" : "[resource_server_identifier=" + audience + "]";
      extra.add(new ProviderSpec.Enrichment("permissions", users + "/permissions",
          filter + ".permission_name|permissions" + filter + ".permission_name", null, auth0Pages("permissions")));
    }
    return new ProviderSpec("auth0", "GET", users, null, null, extra, fields(
        "id", "user_id", "email", "email", "email-verified", "email_verified",
        "name", "name|nickname|given_name+family_name", "given-name", "given_name", "family-name", "family_name",
        "picture", "picture", "blocked", "blocked", "last-login", "last_login",
        "metadata", "app_metadata", "user-metadata", "user_metadata"), false);
  }

  /**
   * Auth0's Management API pages: {@code page} from 0, {@code per_page} up to 100, and with {@code include_totals=true}
   * an object {@code {start, limit, length, total, <entries>: [...]}}.
   */
  private static ProviderSpec.Paging auth0Pages(String entries) {
    return new ProviderSpec.Paging("page", 0, "per_page", 100, Map.of("include_totals", "true"), entries, "total", null);
  }

  /** Logto's Management API pages: {@code page} from 1, {@code page_size} up to 100, the total in {@code Total-Number}. */
  private static final ProviderSpec.Paging LOGTO_PAGES =
      new ProviderSpec.Paging("page", 1, "page_size", 100, Map.of(), "", null, "Total-Number");

  private static ProviderSpec logto(UserLookupSettings s, String base) {
    List<ProviderSpec.Enrichment> extra = new ArrayList<>();
    boolean permissions = s.flag(PERMISSIONS, false);
    if (s.flag(ROLES, true) || permissions) {
      extra.add(new ProviderSpec.Enrichment("roles", base + "/api/users/{sub}/roles", "[].name", null, LOGTO_PAGES));
    }
    if (permissions) {
      extra.add(new ProviderSpec.Enrichment("permissions", base + "/api/roles/{item}/scopes", "[].name", "[].id", LOGTO_PAGES));
    }
    return new ProviderSpec("logto", "GET", base + "/api/users/{sub}", null, null, extra, fields(
        "id", "id", "email", "primaryEmail", "email-verified", "primaryEmail?", "name", "name|username",
        "picture", "avatar", "blocked", "isSuspended", "last-login", "lastSignInAt", "metadata", "customData"), false);
  }

  private static ProviderSpec authress(UserLookupSettings s, String base) {
    List<ProviderSpec.Enrichment> extra = new ArrayList<>();
    String resource = s.get(RESOURCE_URI);
    if (resource != null) {
      String resources = base + "/v1/users/{sub}/resources/" + HttpUserLookup.encodePathSegment(resource);
      extra.add(new ProviderSpec.Enrichment("roles", resources + "/roles", "roles[].roleId", null));
      extra.add(new ProviderSpec.Enrichment("permissions", resources + "/permissions", "permissions[allow=true].action", null));
    }
    return new ProviderSpec("authress", "GET", base + "/v1/users/{sub}", null, null, extra, fields(
        "id", "userId", "email", "email", "name", "name", "picture", "picture"), false);
  }

  private static ProviderSpec pangea(String base) {
    return new ProviderSpec("pangea", "POST", base + "/v2/user/profile/get", "{\"id\":\"{sub}\"}",
        new ProviderSpec.Envelope("status", "Success", "NotFound"), List.of(), fields(
        "id", "result.id", "email", "result.email", "email-verified", "result.verified",
        "name", "result.profile.first_name+result.profile.last_name|result.username",
        "given-name", "result.profile.first_name", "family-name", "result.profile.last_name",
        "picture", "result.profile.image_url", "roles", "result.groups",
        "blocked", "result.disabled,result.locked_out", "last-login", "result.last_login_at",
        "metadata", "result.profile"), false);
  }

  /**
   * Guardhouse's user status, an enum its server sends as a number or as a string (the .NET SDK's
   * {@code UserStatus} and {@code UserStatusJsonConverter}): 0 staged, 1 active, 2 inactive, 3 locked, 4 invited,
   * 5 suspended, 6 archived, and the SDK's aliases {@code disabled} (inactive) and {@code lockedout} (locked), in any
   * case, with or without {@code _}, {@code -} or spaces. Only active is not blocked. (An earlier SDK numbered
   * 1 staged, 2 invited, 3 active, 4 archived: a server of that generation sending numbers needs
   * {@code user-lookup.field.status} pointed elsewhere, see the README.)
   */
  static final StatusVocabulary GUARDHOUSE_STATUSES = new StatusVocabulary(Map.of(
      "0", "staged", "1", "active", "2", "inactive", "3", "locked", "4", "invited", "5", "suspended", "6", "archived",
      "disabled", "inactive", "lockedout", "locked"), Set.of("active"));

  private static ProviderSpec guardhouse(String base) {
    FieldMapping fields = fields(
        "id", "id|user_id", "email", "email", "email-verified", "email_verified",
        "name", "firstName+lastName|name", "given-name", "firstName|given_name", "family-name", "lastName|family_name",
        "picture", "avatarUrl|picture", "roles", "roles[].name|app_metadata.roles",
        "permissions", "systemPermissions[].name|app_metadata.permissions",
        "blocked", "blocked", "status", "status", "last-login", "lastLogin|last_login",
        "metadata", "app_metadata", "user-metadata", "user_metadata");
    return new ProviderSpec("guardhouse", "GET", base + "/api/v1/users/{sub}", null, null, List.of(),
        new FieldMapping(fields.expressions(), fields.blockedStatuses(), GUARDHOUSE_STATUSES), false);
  }

  private static ProviderSpec keycloak(UserLookupSettings s, String base) {
    int realms = base.indexOf("/realms/");
    if (realms < 0) {
      throw new TokenGuardConfigException("user-lookup.base-url",
          "expected the realm URL {server}/realms/{realm} for keycloak, but was '" + base + "'");
    }
    String admin = base.substring(0, realms) + "/admin" + base.substring(realms);
    List<ProviderSpec.Enrichment> extra = new ArrayList<>();
    if (s.flag(ROLES, true)) {
      extra.add(new ProviderSpec.Enrichment("roles", admin + "/users/{sub}/role-mappings/realm/composite", "[].name", null));
    }
    for (String clientId : s.get(UserLookupSettings.CLIENT_ROLES)) { // the client's id, then the user's roles in it
      extra.add(new ProviderSpec.Enrichment(ProviderSpec.Enrichment.IDS,
          admin + "/clients?clientId=" + java.net.URLEncoder.encode(clientId, java.nio.charset.StandardCharsets.UTF_8), "", null));
      extra.add(new ProviderSpec.Enrichment("roles", admin + "/users/{sub}/role-mappings/clients/{item}/composite",
          "[].name", "[clientId=" + clientId + "].id"));
    }
    if (s.get(UserLookupSettings.BRUTE_FORCE)) {
      extra.add(new ProviderSpec.Enrichment(ProviderSpec.Enrichment.BLOCKED,
          admin + "/attack-detection/brute-force/users/{sub}", "disabled", null));
    }
    return new ProviderSpec("keycloak", "GET", admin + "/users/{sub}", null, null, extra, fields(
        "id", "id", "email", "email", "email-verified", "emailVerified", "name", "firstName+lastName|username",
        "given-name", "firstName", "family-name", "lastName", "picture", "attributes.picture[0]",
        "blocked", "!enabled", "metadata", "attributes"), false);
  }

  private static ProviderSpec userinfo() {
    return new ProviderSpec("userinfo", "GET", DISCOVER_USERINFO, null, null, List.of(), fields(
        "id", "sub", "email", "email", "email-verified", "email_verified",
        "name", "name|given_name+family_name|preferred_username", "given-name", "given_name",
        "family-name", "family_name", "picture", "picture", "roles", "roles"), true);
  }

  // ---- helpers ----

  private static CredentialProvider clientCredentials(UserLookupSettings s, ApiClient api, Clock clock, SharedTier tier,
      String defaultTokenUrl, boolean basicByDefault, Map<String, String> params) {
    String tokenUrl = or(s.get(TOKEN_URL), defaultTokenUrl);
    String method = s.get(AUTH_METHOD);
    boolean basic = method == null ? basicByDefault : method.equals("client_secret_basic");
    return new ClientCredentialsTokenProvider(api, URI.create(tokenUrl), s.get(CLIENT_ID), s.get(CLIENT_SECRET),
        basic, params, clock, tier);
  }

  private static Map<String, String> params(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      if (kv[i + 1] != null) {
        m.put(kv[i], kv[i + 1]);
      }
    }
    return m;
  }

  private static FieldMapping fields(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return new FieldMapping(m, Set.of());
  }

  private static String base(UserLookupSettings s) {
    String b = s.get(BASE_URL);
    return b == null ? null : b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
  }

  private static String or(String value, String fallback) {
    return value != null ? value : fallback;
  }
}
