package dev.tokenguard;

import dev.tokenguard.internal.Lists;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

  /** Default time a looked-up profile is used without asking again. */
  public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(5);
  /** Default head start of the background profile refresh. */
  public static final Duration DEFAULT_REFRESH_AHEAD = Duration.ofSeconds(30);
  /** Default time a cached profile is still served past its TTL while the user API fails. */
  public static final Duration DEFAULT_STALE_IF_ERROR = Duration.ofHours(1);
  /** Default time a "no such user" answer is remembered. */
  public static final Duration DEFAULT_NOT_FOUND_TTL = Duration.ofMinutes(1);
  /** Default time after a failed lookup during which the same user is not looked up again. */
  public static final Duration DEFAULT_FAILURE_BACKOFF = Duration.ofSeconds(5);
  /** Default connect and read timeout of one user-API request. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  /** Default number of retries on 408, 429, 500, 502, 503, 504 and connection failures. */
  public static final int DEFAULT_MAX_RETRIES = 3;

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

  /** The {@code user-lookup.*} keys, besides {@code user-lookup.field.<name>}. */
  public static final List<ConfigKey> KEYS = List.of(
      new ConfigKey("user-lookup.provider", null, false, "User API to ask for the caller's profile: " + String.join(", ", PROVIDERS) + "; none by default."),
      new ConfigKey("user-lookup.issuer", null, false, "The issuer whose tokens are looked up: a user API knows the subjects of one issuer, so tokens of other issuers get no profile (and no roles from it). Default: the issuer when only one is configured; required with several."),
      new ConfigKey("user-lookup.base-url", null, false, "The provider's API base URL (Auth0 tenant, Logto endpoint, ...); keycloak and userinfo default to the issuer."),
      new ConfigKey("user-lookup.token-url", null, false, "Client-credentials token endpoint; derived from base-url for presets."),
      new ConfigKey("user-lookup.client-id", null, false, "Client id for the management API (client-credentials presets)."),
      new ConfigKey("user-lookup.client-secret", null, true, "Client secret for the management API."),
      new ConfigKey("user-lookup.api-token", null, true, "Static API token (pangea, or generic with credential=static)."),
      new ConfigKey("user-lookup.access-key", null, true, "Authress service-client access key (clientId.keyId.accountId.privateKey)."),
      new ConfigKey("user-lookup.audience", null, false, "Audience requested with client credentials (auth0: {base-url}/api/v2/)."),
      new ConfigKey("user-lookup.resource", null, false, "Resource indicator requested with client credentials (logto: {base-url}/api)."),
      new ConfigKey("user-lookup.scope", null, false, "Scope requested with client credentials (logto: all, guardhouse: system_api)."),
      new ConfigKey("user-lookup.auth-method", null, false, "How the client authenticates at the token endpoint: client_secret_post or client_secret_basic."),
      new ConfigKey("user-lookup.resource-uri", null, false, "Authress resource URI whose roles and permissions are read."),
      new ConfigKey("user-lookup.roles", null, false, "Also fetch roles with extra calls (auth0, logto, keycloak); default true for keycloak and logto, false for auth0."),
      new ConfigKey("user-lookup.permissions", null, false, "Also fetch permissions with extra calls (auth0: filtered by permissions-audience; logto: via role scopes)."),
      new ConfigKey("user-lookup.permissions-audience", null, false, "auth0: keep permissions of this API only; default: the first audience."),
      new ConfigKey("user-lookup.user-url", null, false, "URL template of the user request, with {sub} and {base-url}; required for generic."),
      new ConfigKey("user-lookup.method", null, false, "HTTP method of the user request (GET or POST)."),
      new ConfigKey("user-lookup.body", null, false, "JSON body template of a POST user request, with {sub}."),
      new ConfigKey("user-lookup.credential", null, false, "generic: client-credentials, static, user-token or none."),
      new ConfigKey("user-lookup.blocked-statuses", null, false, "Values of the status field that mean blocked, with any provider (added to the preset's own)."),
      new ConfigKey("user-lookup.cache-ttl", Durations.format(DEFAULT_CACHE_TTL), false, "How long a profile is used without asking again."),
      new ConfigKey("user-lookup.refresh-ahead", Durations.format(DEFAULT_REFRESH_AHEAD), false, "Background refresh starts this long before cache-ttl ends (by default at most a tenth of cache-ttl)."),
      new ConfigKey("user-lookup.stale-if-error", Durations.format(DEFAULT_STALE_IF_ERROR), false, "A cached profile keeps serving this long past cache-ttl while the user API fails."),
      new ConfigKey("user-lookup.not-found-ttl", Durations.format(DEFAULT_NOT_FOUND_TTL), false, "How long a 404 (user gone) is remembered."),
      new ConfigKey("user-lookup.failure-backoff", Durations.format(DEFAULT_FAILURE_BACKOFF), false, "After a failed lookup, the same user is not looked up again for this long."),
      new ConfigKey("user-lookup.timeout", Durations.format(DEFAULT_TIMEOUT), false, "Connect and read timeout of one user-API request."),
      new ConfigKey("user-lookup.max-retries", Integer.toString(DEFAULT_MAX_RETRIES), false, "Retries on 408/429/5xx with exponential backoff and jitter, honouring Retry-After."),
      new ConfigKey("user-lookup.on-failure", "fail-closed", false, "When the user API fails and nothing is cached: fail-closed (503) or fail-open (no profile)."),
      new ConfigKey("user-lookup.reject-blocked", "true", false, "Answer 401 invalid_token for a blocked, suspended or disabled user."),
      new ConfigKey("user-lookup.merge-authorities", "true", false, "Add the profile's roles and permissions to the principal's."));

  private final Map<String, String> values;
  private final Map<String, String> fields;
  // read on every lookup: parsed once here
  private final Duration cacheTtl;
  private final Duration refreshAhead;
  private final Duration staleIfError;
  private final Duration notFoundTtl;
  private final Duration failureBackoff;
  private final Duration timeout;
  private final int maxRetries;
  private final OnFailure onFailure;
  private final boolean rejectBlocked;
  private final boolean mergeAuthorities;

  private UserLookupSettings(Map<String, String> values, Map<String, String> fields) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    this.cacheTtl = duration("cache-ttl", DEFAULT_CACHE_TTL);
    this.refreshAhead = values.containsKey("refresh-ahead") ? duration("refresh-ahead", null)
        : Durations.scaledDefault(DEFAULT_REFRESH_AHEAD, cacheTtl, 10);
    this.staleIfError = duration("stale-if-error", DEFAULT_STALE_IF_ERROR);
    this.notFoundTtl = duration("not-found-ttl", DEFAULT_NOT_FOUND_TTL);
    this.failureBackoff = duration("failure-backoff", DEFAULT_FAILURE_BACKOFF);
    this.timeout = duration("timeout", DEFAULT_TIMEOUT);
    this.maxRetries = values.containsKey("max-retries") ? Integer.parseInt(values.get("max-retries").trim()) : DEFAULT_MAX_RETRIES;
    this.onFailure = "fail-open".equals(values.get("on-failure")) ? OnFailure.FAIL_OPEN : OnFailure.FAIL_CLOSED;
    this.rejectBlocked = flag("reject-blocked", true);
    this.mergeAuthorities = flag("merge-authorities", true);
  }

  /** The provider name, one of {@link #PROVIDERS}. */
  public String provider() { return values.get("provider"); }

  /** {@code user-lookup.issuer}: the issuer whose tokens are looked up. */
  public String issuer() { return values.get("issuer"); }

  /** A raw value by key suffix ({@code base-url}, {@code client-id}, ...), or {@code null}. */
  public String get(String name) { return values.get(name); }

  /** {@code user-lookup.field.<name>} overrides, by field name. */
  public Map<String, String> fieldOverrides() { return fields; }

  /** {@code user-lookup.cache-ttl}. */
  public Duration cacheTtl() { return cacheTtl; }

  /** {@code user-lookup.refresh-ahead}; when not set, 30 s or a tenth of {@code cache-ttl} if that is shorter. */
  public Duration refreshAhead() { return refreshAhead; }

  /** {@code user-lookup.stale-if-error}. */
  public Duration staleIfError() { return staleIfError; }

  /** {@code user-lookup.not-found-ttl}. */
  public Duration notFoundTtl() { return notFoundTtl; }

  /** {@code user-lookup.failure-backoff}. */
  public Duration failureBackoff() { return failureBackoff; }

  /** {@code user-lookup.timeout}. */
  public Duration timeout() { return timeout; }

  /** {@code user-lookup.max-retries}. */
  public int maxRetries() { return maxRetries; }

  /** {@code user-lookup.on-failure}. */
  public OnFailure onFailure() { return onFailure; }

  /** {@code user-lookup.reject-blocked}. */
  public boolean rejectBlocked() { return rejectBlocked; }

  /** {@code user-lookup.merge-authorities}. */
  public boolean mergeAuthorities() { return mergeAuthorities; }

  /** A boolean value ({@code roles}, {@code permissions}, ...) with its default. */
  public boolean flag(String name, boolean defaultValue) {
    String v = values.get(name);
    return v == null ? defaultValue : v.equals("true");
  }

  private Duration duration(String name, Duration defaultValue) {
    String v = values.get(name);
    return v == null ? defaultValue : Durations.parse("user-lookup." + name, v);
  }

  /** Values for printing: secrets masked. */
  @Override
  public String toString() {
    Map<String, String> shown = new LinkedHashMap<>();
    values.forEach((k, v) -> shown.put(k, isSecret(k) ? "******" : v));
    return "UserLookupSettings" + shown + (fields.isEmpty() ? "" : " fields=" + fields);
  }

  /** The configured secret values (client secret, API token, access key), to keep them out of messages and logs. */
  public Set<String> secretValues() {
    Set<String> out = new java.util.HashSet<>();
    values.forEach((k, v) -> {
      if (isSecret(k) && v != null && !v.isEmpty()) {
        out.add(v);
      }
    });
    return Set.copyOf(out);
  }

  private static boolean isSecret(String name) {
    return name.equals("client-secret") || name.equals("api-token") || name.equals("access-key");
  }

  /** Collects {@code user-lookup.*} values and checks them. */
  static final class Builder {
    private static final Set<String> DURATIONS = Set.of("cache-ttl", "refresh-ahead", "stale-if-error", "not-found-ttl",
        "failure-backoff", "timeout");
    private static final Set<String> BOOLEANS = Set.of("roles", "permissions", "reject-blocked", "merge-authorities");
    private static final Set<String> URLS = Set.of("base-url", "token-url");

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> fields = new LinkedHashMap<>();

    static boolean knows(String key) {
      if (key.startsWith("user-lookup.field.")) {
        return true;
      }
      for (ConfigKey k : KEYS) {
        if (k.name().equals(key)) {
          return true;
        }
      }
      return false;
    }

    /** Sets one {@code user-lookup.*} key, checking its value. */
    void set(String key, String rawValue) {
      String value = rawValue.trim();
      String name = key.substring("user-lookup.".length());
      if (name.startsWith("field.")) {
        String field = name.substring("field.".length());
        if (!FIELDS.contains(field)) {
          throw new TokenGuardConfigException(key, "unknown field '" + field + "'; fields are " + FIELDS);
        }
        fields.put(field, value);
        return;
      }
      if (name.equals("provider")) {
        String p = value.toLowerCase(Locale.ROOT);
        if (p.equals("none")) {
          values.remove("provider");
          return;
        }
        if (!PROVIDERS.contains(p)) {
          throw new TokenGuardConfigException(key, "expected one of " + PROVIDERS + " or none, but was '" + value + "'");
        }
        values.put(name, p);
        return;
      }
      if (DURATIONS.contains(name)) {
        if (name.equals("timeout")) {
          ConfigText.duration(key, value, Duration.ofMillis(1), Duration.ofSeconds(60));
        } else {
          Durations.parse(key, value);
        }
      } else if (BOOLEANS.contains(name)) {
        value = Boolean.toString(ConfigText.flag(key, value));
      } else if (URLS.contains(name)) {
        ConfigText.url(key, value);
      } else if (name.equals("max-retries")) {
        ConfigText.whole(key, value, 0, 10);
      } else if (name.equals("on-failure")) {
        ConfigText.choice(key, value, List.of("fail-closed", "fail-open"));
      } else if (name.equals("auth-method")) {
        ConfigText.choice(key, value, List.of("client_secret_post", "client_secret_basic"));
      } else if (name.equals("method")) {
        value = ConfigText.choice(key, value.toUpperCase(Locale.ROOT), List.of("GET", "POST"));
      } else if (name.equals("credential")) {
        ConfigText.choice(key, value, List.of("client-credentials", "static", "user-token", "none"));
      }
      values.put(name, value);
    }

    /** The settings, or {@code null} when no provider is configured; checks what the provider needs. */
    UserLookupSettings build(List<String> issuers) {
      String provider = values.get("provider");
      if (provider == null) {
        // a value equal to its default says nothing (adapters may pass every default); anything else needs a provider
        String first = fields.isEmpty() ? null : "field." + fields.keySet().iterator().next();
        for (Map.Entry<String, String> e : values.entrySet()) {
          if (first == null && !e.getValue().equals(defaultOf(e.getKey()))) {
            first = e.getKey();
          }
        }
        if (first != null) {
          throw new TokenGuardConfigException("user-lookup.provider", "is required when user-lookup." + first
              + " is set; expected one of " + PROVIDERS);
        }
        return null;
      }
      String issuer = values.get("issuer");
      if (issuer == null) {
        if (issuers.size() != 1) {
          throw new TokenGuardConfigException("user-lookup.issuer", "is required with several issuers: a user API knows"
              + " the subjects of one issuer (a subject of another could name a different user); expected one of " + issuers);
        }
        values.put("issuer", issuers.get(0));
      } else if (!issuers.contains(issuer)) {
        throw new TokenGuardConfigException("user-lookup.issuer", "expected one of the configured issuers " + issuers
            + ", but was '" + issuer + "'");
      }
      if (!values.containsKey("base-url") && (provider.equals("keycloak") || provider.equals("userinfo"))) {
        values.put("base-url", values.get("issuer"));
      }
      require(provider, "base-url", !List.of("userinfo", "generic").contains(provider));
      switch (provider) {
        case "auth0", "logto", "guardhouse", "keycloak" -> {
          require(provider, "client-id", true);
          require(provider, "client-secret", true);
        }
        case "authress" -> {
          require(provider, "access-key", true);
          String key = values.get("access-key");
          if (key.split("\\.", 4).length != 4) {
            throw new TokenGuardConfigException("user-lookup.access-key",
                "expected clientId.keyId.accountId.privateKey (an Authress service-client access key)");
          }
        }
        case "pangea" -> require(provider, "api-token", true);
        case "generic" -> {
          require(provider, "user-url", true);
          require(provider, "field.id", !fields.containsKey("id"));
          String credential = values.getOrDefault("credential", "none");
          if (credential.equals("client-credentials")) {
            require(provider, "token-url", true);
            require(provider, "client-id", true);
            require(provider, "client-secret", true);
          } else if (credential.equals("static")) {
            require(provider, "api-token", true);
          }
        }
        default -> { }
      }
      UserLookupSettings settings = new UserLookupSettings(values, fields);
      Duration ttl = settings.cacheTtl();
      Duration ahead = settings.refreshAhead();
      if (ttl.isZero()) {
        throw new TokenGuardConfigException("user-lookup.cache-ttl", "must be positive");
      }
      if (ahead.compareTo(ttl) >= 0) {
        throw new TokenGuardConfigException("user-lookup.refresh-ahead", "must be shorter than user-lookup.cache-ttl ("
            + Durations.format(ttl) + "), but was " + Durations.format(ahead));
      }
      for (String list : Lists.splitComma(values.get("blocked-statuses"))) {
        if (list.isBlank()) {
          throw new TokenGuardConfigException("user-lookup.blocked-statuses", "must not contain blank values");
        }
      }
      return settings;
    }

    private static String defaultOf(String name) {
      for (ConfigKey k : KEYS) {
        if (k.name().equals("user-lookup." + name)) {
          return k.defaultValue();
        }
      }
      return null;
    }

    private void require(String provider, String name, boolean required) {
      if (required && (name.startsWith("field.") ? !fields.containsKey(name.substring(6)) : !values.containsKey(name))) {
        throw new TokenGuardConfigException("user-lookup." + name, "is required for user-lookup.provider=" + provider);
      }
    }
  }
}
