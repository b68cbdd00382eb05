package dev.tokenguard;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code user-lookup.*} part of {@link TokenGuardConfig}: which identity provider's user API to ask for the
 * caller's profile, how to authenticate to it, and how lookups are cached and what happens when it fails.
 * Immutable; built by {@link TokenGuardConfig.Builder} from the same keys as everything else.
 *
 * <p>A provider preset ({@code auth0}, {@code logto}, {@code authress}, {@code pangea}, {@code guardhouse},
 * {@code keycloak}, {@code userinfo}) derives its URLs from {@code user-lookup.base-url} the way the provider
 * documents them, so the common case is a base URL plus credentials; every derived value can be overridden by
 * its key. {@code generic} describes any other user API entirely in configuration.
 */
public final class UserLookupSettings {

  /** Provider presets, plus {@code generic}. */
  public static final List<String> PROVIDERS =
      List.of("auth0", "logto", "authress", "pangea", "guardhouse", "keycloak", "userinfo", "generic");

  /** Names usable in {@code user-lookup.field.<name>}. */
  public static final List<String> FIELDS = List.of("id", "email", "email-verified", "name", "given-name",
      "family-name", "picture", "roles", "permissions", "blocked", "status", "last-login", "metadata",
      "user-metadata");

  /** What happens when the user API fails and no profile is cached. */
  public enum OnFailure {
    /** Answer 503: the request is not let through without a profile (default). */
    FAIL_CLOSED,
    /** Let the request through with a principal that has no profile. */
    FAIL_OPEN
  }

  /** {@code user-lookup.provider}; {@code none} is the same as not set. */
  public static final ConfigKey<String> PROVIDER = ConfigKey.of("user-lookup.provider", ConfigKey.Kind.TEXT, null, null,
      "User API to ask for the caller's profile: " + String.join(", ", PROVIDERS) + "; none by default.", (k, t) -> {
        String p = t.toLowerCase(Locale.ROOT);
        return p.equals("none") ? null : p;
      }, (k, v) -> {
        if (!PROVIDERS.contains(v)) {
          throw new TokenGuardConfigException(k, "expected one of " + PROVIDERS + " or none, but was '" + v + "'");
        }
        return v;
      }).withChoices(java.util.stream.Stream.concat(PROVIDERS.stream(), java.util.stream.Stream.of("none")).toList())
      .ownPerIssuer();
  /** {@code user-lookup.issuer}. */
  public static final ConfigKey<String> ISSUER = ConfigKey.text("user-lookup.issuer", null, "The issuer whose tokens are looked up: a user API knows the subjects of one issuer, so tokens of other issuers get no profile (and no roles from it). Default: the issuer when only one is configured; required with several.");
  /** {@code user-lookup.base-url}. */
  public static final ConfigKey<String> BASE_URL = ConfigKey.url("user-lookup.base-url", "The provider's API base URL (Auth0 tenant, Logto endpoint, ...); keycloak and userinfo default to the issuer.").ownPerIssuer();
  /** {@code user-lookup.token-url}. */
  public static final ConfigKey<String> TOKEN_URL = ConfigKey.url("user-lookup.token-url", "Client-credentials token endpoint; derived from base-url for presets.").ownPerIssuer();
  /** {@code user-lookup.client-id}. */
  public static final ConfigKey<String> CLIENT_ID = ConfigKey.text("user-lookup.client-id", null, "Client id for the management API (client-credentials presets).").ownPerIssuer();
  /** {@code user-lookup.client-secret}. */
  public static final ConfigKey<String> CLIENT_SECRET = ConfigKey.text("user-lookup.client-secret", null, "Client secret for the management API.").asSecret().ownPerIssuer();
  /** {@code user-lookup.api-token}. */
  public static final ConfigKey<String> API_TOKEN = ConfigKey.text("user-lookup.api-token", null, "Static API token (pangea, or generic with credential=static).").asSecret().ownPerIssuer();
  /** {@code user-lookup.access-key}. */
  public static final ConfigKey<String> ACCESS_KEY = ConfigKey.text("user-lookup.access-key", null, "Authress service-client access key (clientId.keyId.accountId.privateKey).").asSecret().ownPerIssuer();
  /** {@code user-lookup.audience}. */
  public static final ConfigKey<String> AUDIENCE = ConfigKey.text("user-lookup.audience", null, "Audience requested with client credentials (auth0: {base-url}/api/v2/).").ownPerIssuer();
  /** {@code user-lookup.resource}. */
  public static final ConfigKey<String> RESOURCE = ConfigKey.text("user-lookup.resource", null, "Resource indicator requested with client credentials (logto: {base-url}/api).").ownPerIssuer();
  /** {@code user-lookup.scope}. */
  public static final ConfigKey<String> SCOPE = ConfigKey.text("user-lookup.scope", null, "Scope requested with client credentials (logto: all, guardhouse: system_api).").ownPerIssuer();
  /** {@code user-lookup.auth-method}. */
  public static final ConfigKey<String> AUTH_METHOD = ConfigKey.choice("user-lookup.auth-method", null,
      List.of("client_secret_post", "client_secret_basic"), "How the client authenticates at the token endpoint: client_secret_post or client_secret_basic.").ownPerIssuer();
  /** {@code user-lookup.resource-uri}. */
  public static final ConfigKey<String> RESOURCE_URI = ConfigKey.text("user-lookup.resource-uri", null, "Authress resource URI whose roles and permissions are read.").ownPerIssuer();
  /** {@code user-lookup.roles}; the default depends on the provider. */
  public static final ConfigKey<Boolean> ROLES = ConfigKey.flag("user-lookup.roles", null, "Also fetch roles with extra calls (auth0, logto, keycloak); default true for keycloak and logto, false for auth0.").ownPerIssuer();
  /** {@code user-lookup.permissions}. */
  public static final ConfigKey<Boolean> PERMISSIONS = ConfigKey.flag("user-lookup.permissions", null, "Also fetch permissions with extra calls (auth0: filtered by permissions-audience; logto: via role scopes).").ownPerIssuer();
  /** {@code user-lookup.client-roles}. */
  public static final ConfigKey<List<String>> CLIENT_ROLES = ConfigKey.list("user-lookup.client-roles", List.of(), "keycloak: client ids whose (composite) client roles are added to the user's roles, read through the admin API (the service account needs view-clients besides view-users).").ownPerIssuer();
  /** {@code user-lookup.brute-force}. */
  public static final ConfigKey<Boolean> BRUTE_FORCE = ConfigKey.flag("user-lookup.brute-force", false, "keycloak: also ask the realm's brute-force detection; a user it has locked out for now is blocked (401) until the lockout ends.").ownPerIssuer();
  /** {@code user-lookup.permissions-audience}. */
  public static final ConfigKey<String> PERMISSIONS_AUDIENCE = ConfigKey.text("user-lookup.permissions-audience", null, "auth0: keep permissions of this API only; default: the first audience.").ownPerIssuer();
  /** {@code user-lookup.user-url}. */
  public static final ConfigKey<String> USER_URL = ConfigKey.text("user-lookup.user-url", null, "URL template of the user request, with {sub} and {base-url}; required for generic.").ownPerIssuer();
  /** {@code user-lookup.method}, upper case. */
  public static final ConfigKey<String> METHOD = ConfigKey.of("user-lookup.method", ConfigKey.Kind.TEXT, null, null,
      "HTTP method of the user request (GET or POST).", (k, t) -> t.toUpperCase(Locale.ROOT),
      (k, v) -> ConfigText.choice(k, v, List.of("GET", "POST"))).withChoices(List.of("GET", "POST")).ownPerIssuer();
  /** {@code user-lookup.body}. */
  public static final ConfigKey<String> BODY = ConfigKey.text("user-lookup.body", null, "JSON body template of a POST user request, with {sub}.").ownPerIssuer();
  /** {@code user-lookup.credential}. */
  public static final ConfigKey<String> CREDENTIAL = ConfigKey.choice("user-lookup.credential", null,
      List.of("client-credentials", "static", "user-token", "none"), "generic: client-credentials, static, user-token or none.").ownPerIssuer();
  /** {@code user-lookup.blocked-statuses}. */
  public static final ConfigKey<List<String>> BLOCKED_STATUSES = ConfigKey.list("user-lookup.blocked-statuses", List.of(), "Values of the status field that mean blocked, with any provider (added to the preset's own).").ownPerIssuer();
  /** {@code user-lookup.cache-ttl}. */
  public static final ConfigKey<Duration> CACHE_TTL = ConfigKey.duration("user-lookup.cache-ttl", Duration.ofMinutes(5),
      Duration.ofMillis(1), null, "How long a profile is used without asking again.").ownPerIssuer();
  /** {@code user-lookup.refresh-ahead}: 30 s, or a tenth of {@code cache-ttl} when that is shorter. */
  public static final ConfigKey<Duration> REFRESH_AHEAD = ConfigKey.duration("user-lookup.refresh-ahead", null,
      Duration.ZERO, null, "Background refresh starts this long before cache-ttl ends (by default at most a tenth of cache-ttl).")
      .derivedDefault("30s").ownPerIssuer();
  /** {@code user-lookup.stale-if-error}. */
  public static final ConfigKey<Duration> STALE_IF_ERROR = ConfigKey.duration("user-lookup.stale-if-error", Duration.ofHours(1),
      Duration.ZERO, null, "A cached profile keeps serving this long past cache-ttl while the user API fails.").ownPerIssuer();
  /** {@code user-lookup.not-found-ttl}. */
  public static final ConfigKey<Duration> NOT_FOUND_TTL = ConfigKey.duration("user-lookup.not-found-ttl", Duration.ofMinutes(1),
      Duration.ZERO, null, "How long a 404 (user gone) is remembered.").ownPerIssuer();
  /** {@code user-lookup.failure-backoff}. */
  public static final ConfigKey<Duration> FAILURE_BACKOFF = ConfigKey.duration("user-lookup.failure-backoff", Duration.ofSeconds(5),
      Duration.ZERO, null, "After a failed lookup, the same user is not looked up again for this long.").ownPerIssuer();
  /** {@code user-lookup.timeout}. */
  public static final ConfigKey<Duration> TIMEOUT = ConfigKey.duration("user-lookup.timeout", Duration.ofSeconds(5),
      Duration.ofMillis(1), Duration.ofSeconds(60), "Connect and read timeout of one user-API request.").ownPerIssuer();
  /** {@code user-lookup.max-retries}. */
  public static final ConfigKey<Integer> MAX_RETRIES = ConfigKey.integer("user-lookup.max-retries", 3, 0, 10,
      "Retries on 408/429/5xx with exponential backoff and jitter, honouring Retry-After.").ownPerIssuer();
  /** {@code user-lookup.breaker.failures}. */
  public static final ConfigKey<Integer> BREAKER_FAILURES = ConfigKey.integer("user-lookup.breaker.failures", 5, 0, 1000,
      "Failed exchanges in a row with the user API (no answer, 408, 429, 5xx; across all users) that open its circuit breaker: calls then fail at once (503, or fail-open) for breaker.open-for; 0 never opens.").ownPerIssuer();
  /** {@code user-lookup.breaker.open-for}. */
  public static final ConfigKey<Duration> BREAKER_OPEN_FOR = ConfigKey.duration("user-lookup.breaker.open-for", Duration.ofSeconds(30),
      Duration.ofMillis(1), Duration.ofHours(1), "How long an open breaker refuses calls before one probe call decides whether it closes.").ownPerIssuer();
  /** {@code user-lookup.on-failure}. */
  public static final ConfigKey<String> ON_FAILURE = ConfigKey.choice("user-lookup.on-failure", "fail-closed",
      List.of("fail-closed", "fail-open"), "When the user API fails and nothing is cached: fail-closed (503) or fail-open (no profile).").ownPerIssuer();
  /** {@code user-lookup.reject-blocked}. */
  public static final ConfigKey<Boolean> REJECT_BLOCKED = ConfigKey.flag("user-lookup.reject-blocked", true, "Answer 401 invalid_token for a blocked, suspended or disabled user.").ownPerIssuer();
  /** {@code user-lookup.merge-authorities}. */
  public static final ConfigKey<Boolean> MERGE_AUTHORITIES = ConfigKey.flag("user-lookup.merge-authorities", true, "Add the profile's roles and permissions to the principal's.").ownPerIssuer();

  /** The {@code user-lookup.*} keys, besides {@code user-lookup.field.<name>}. */
  public static final List<ConfigKey<?>> KEYS = List.of(PROVIDER, ISSUER, BASE_URL, TOKEN_URL, CLIENT_ID, CLIENT_SECRET,
      API_TOKEN, ACCESS_KEY, AUDIENCE, RESOURCE, SCOPE, AUTH_METHOD, RESOURCE_URI, ROLES, PERMISSIONS, CLIENT_ROLES, BRUTE_FORCE,
      PERMISSIONS_AUDIENCE, USER_URL, METHOD, BODY, CREDENTIAL, BLOCKED_STATUSES, CACHE_TTL, REFRESH_AHEAD,
      STALE_IF_ERROR, NOT_FOUND_TTL, FAILURE_BACKOFF, TIMEOUT, MAX_RETRIES, BREAKER_FAILURES, BREAKER_OPEN_FOR, ON_FAILURE, REJECT_BLOCKED, MERGE_AUTHORITIES);

  /** The family {@code user-lookup.field.<name>}. */
  static final String FIELD_PREFIX = "user-lookup.field.";

  private final KeyValues values;
  private final Map<String, String> fields;

  private UserLookupSettings(KeyValues values, Map<String, String> fields) {
    this.values = values;
    this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** The value of a {@code user-lookup.*} key of {@link #KEYS}: as configured, else its default (or the one derived at start). */
  public <T> T get(ConfigKey<T> key) { return values.get(key); }

  /** The provider name, one of {@link #PROVIDERS}. */
  public String provider() { return values.get(PROVIDER); }

  /** {@code user-lookup.issuer}: the issuer whose tokens are looked up. */
  public String issuer() { return values.get(ISSUER); }

  /** {@code user-lookup.field.<name>} overrides, by field name. */
  public Map<String, String> fieldOverrides() { return fields; }

  /** {@code user-lookup.cache-ttl}. */
  public Duration cacheTtl() { return values.get(CACHE_TTL); }

  /** {@code user-lookup.refresh-ahead}; when not set, 30 s or a tenth of {@code cache-ttl} if that is shorter. */
  public Duration refreshAhead() { return values.get(REFRESH_AHEAD); }

  /** {@code user-lookup.stale-if-error}. */
  public Duration staleIfError() { return values.get(STALE_IF_ERROR); }

  /** {@code user-lookup.not-found-ttl}. */
  public Duration notFoundTtl() { return values.get(NOT_FOUND_TTL); }

  /** {@code user-lookup.failure-backoff}. */
  public Duration failureBackoff() { return values.get(FAILURE_BACKOFF); }

  /** {@code user-lookup.timeout}. */
  public Duration timeout() { return values.get(TIMEOUT); }

  /** {@code user-lookup.max-retries}. */
  public int maxRetries() { return values.get(MAX_RETRIES); }

  /** {@code user-lookup.breaker.failures}: failed exchanges in a row that open the breaker (0: never). */
  public int breakerFailures() { return values.get(BREAKER_FAILURES); }

  /** {@code user-lookup.breaker.open-for}. */
  public Duration breakerOpenFor() { return values.get(BREAKER_OPEN_FOR); }

  /** {@code user-lookup.on-failure}. */
  public OnFailure onFailure() { return values.get(ON_FAILURE).equals("fail-open") ? OnFailure.FAIL_OPEN : OnFailure.FAIL_CLOSED; }

  /** {@code user-lookup.reject-blocked}. */
  public boolean rejectBlocked() { return values.get(REJECT_BLOCKED); }

  /** {@code user-lookup.merge-authorities}. */
  public boolean mergeAuthorities() { return values.get(MERGE_AUTHORITIES); }

  /** A flag whose default depends on the provider ({@link #ROLES}, {@link #PERMISSIONS}): as set, else {@code defaultValue}. */
  public boolean flag(ConfigKey<Boolean> key, boolean defaultValue) {
    Boolean v = values.get(key);
    return v == null ? defaultValue : v;
  }

  /** Values for printing: secrets masked. */
  @Override
  public String toString() {
    Map<String, String> shown = new LinkedHashMap<>();
    for (ConfigKey<?> k : KEYS) {
      if (values.isSet(k)) {
        shown.put(k.name().substring("user-lookup.".length()), k.secret() ? "******" : String.valueOf(values.get(k)));
      }
    }
    return "UserLookupSettings" + shown + (fields.isEmpty() ? "" : " fields=" + fields);
  }

  /** The configured secret values (client secret, API token, access key), to keep them out of messages and logs. */
  public Set<String> secretValues() {
    Set<String> out = new java.util.HashSet<>();
    for (ConfigKey<?> k : KEYS) {
      if (k.secret() && values.get(k) instanceof String v && !v.isEmpty()) {
        out.add(v);
      }
    }
    return Set.copyOf(out);
  }

  /** {@code field}, the name in the key {@code user-lookup.field.<name>} (or a block's), checked. */
  static String field(String key, String field) {
    if (!FIELDS.contains(field)) {
      throw new TokenGuardConfigException(key, "unknown field '" + field + "'; fields are " + FIELDS);
    }
    return field;
  }

  /**
   * The settings from the {@code user-lookup.*} values of {@code all} (which this fills with the values derived
   * from other keys), or {@code null} when no provider is configured; checks what the provider needs.
   */
  static UserLookupSettings build(String prefix, KeyValues all, Map<String, String> fields, List<String> issuers) {
    String provider = all.get(PROVIDER);
    if (provider == null) {
      // a value equal to its default says nothing (adapters may pass every default); anything else needs a provider
      String first = fields.isEmpty() ? null : prefix + FIELD_PREFIX + fields.keySet().iterator().next();
      for (ConfigKey<?> k : KEYS) {
        if (first == null && all.isSet(k) && !k.isDefault(all.get(k))) {
          first = prefix + k.name();
        }
      }
      if (first != null) {
        throw new TokenGuardConfigException(prefix + PROVIDER.name(), "is required when " + first + " is set; expected one of " + PROVIDERS);
      }
      return null;
    }
    String issuer = all.get(ISSUER);
    if (issuer == null) {
      if (issuers.size() != 1) {
        throw new TokenGuardConfigException(ISSUER.name(), "is required with several issuers: a user API knows"
            + " the subjects of one issuer (a subject of another could name a different user); expected one of " + issuers);
      }
      all.put(ISSUER, issuers.get(0));
    } else if (!issuers.contains(issuer)) {
      throw new TokenGuardConfigException(ISSUER.name(), "expected one of the configured issuers " + issuers
          + ", but was '" + issuer + "'");
    }
    if (!all.isSet(BASE_URL) && (provider.equals("keycloak") || provider.equals("userinfo"))) {
      all.put(BASE_URL, all.get(ISSUER));
    }
    require(prefix, all, fields, provider, BASE_URL.name(), !List.of("userinfo", "generic").contains(provider));
    switch (provider) {
      case "auth0", "logto", "guardhouse", "keycloak" -> {
        require(prefix, all, fields, provider, CLIENT_ID.name(), true);
        require(prefix, all, fields, provider, CLIENT_SECRET.name(), true);
      }
      case "authress" -> {
        require(prefix, all, fields, provider, ACCESS_KEY.name(), true);
        if (all.get(ACCESS_KEY).split("\\.", 4).length != 4) {
          throw new TokenGuardConfigException(prefix + ACCESS_KEY.name(),
              "expected clientId.keyId.accountId.privateKey (an Authress service-client access key)");
        }
      }
      case "pangea" -> require(prefix, all, fields, provider, API_TOKEN.name(), true);
      case "generic" -> {
        require(prefix, all, fields, provider, USER_URL.name(), true);
        require(prefix, all, fields, provider, FIELD_PREFIX + "id", true);
        String credential = Objects.requireNonNullElse(all.get(CREDENTIAL), "none");
        if (credential.equals("client-credentials")) {
          require(prefix, all, fields, provider, TOKEN_URL.name(), true);
          require(prefix, all, fields, provider, CLIENT_ID.name(), true);
          require(prefix, all, fields, provider, CLIENT_SECRET.name(), true);
        } else if (credential.equals("static")) {
          require(prefix, all, fields, provider, API_TOKEN.name(), true);
        }
      }
      default -> { }
    }
    Duration ttl = all.get(CACHE_TTL);
    if (!all.isSet(REFRESH_AHEAD)) {
      all.put(REFRESH_AHEAD, Durations.scaledDefault(Duration.ofSeconds(30), ttl, 10));
    }
    Duration ahead = all.get(REFRESH_AHEAD);
    if (ahead.compareTo(ttl) >= 0) {
      throw new TokenGuardConfigException(prefix + REFRESH_AHEAD.name(), "must be shorter than " + prefix + "user-lookup.cache-ttl ("
          + Durations.format(ttl) + "), but was " + Durations.format(ahead));
    }
    return new UserLookupSettings(all.frozen(), fields);
  }

  private static void require(String prefix, KeyValues all, Map<String, String> fields, String provider, String key,
      boolean required) {
    boolean present = key.startsWith(FIELD_PREFIX) ? fields.containsKey(key.substring(FIELD_PREFIX.length()))
        : all.keys().stream().anyMatch(k -> k.name().equals(key));
    if (required && !present) {
      throw new TokenGuardConfigException(prefix + key, "is required for " + prefix + "user-lookup.provider=" + provider);
    }
  }
}
