package dev.tokenguard;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tokenguard.internal.Lists;
import dev.tokenguard.internal.TokenTypes;
import dev.tokenguard.net.UrlPolicy;
import dev.tokenguard.rules.PathPattern;
import dev.tokenguard.rules.PathRule;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The whole configuration of TokenGuard: immutable, built once by {@link #builder()} or
 * {@link #fromProperties(Map)}, shared by every adapter. Every value is checked when it is set or at
 * {@link Builder#build()}, and a bad value throws {@link TokenGuardConfigException} naming the key.
 *
 * <p>The keys, their defaults and their meaning are listed by {@link #KEYS}; the README's configuration table
 * is the same list. Any value given to {@link #fromProperties(Map)} may be {@code ${env:NAME}} or
 * {@code ${sys:name}} so secrets need not live in a file.
 */
public final class TokenGuardConfig {

  /** Default allowed clock difference for {@code exp}, {@code nbf} and {@code iat}. */
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
  /** Default lifetime of a fetched JWKS before it is refreshed. */
  public static final Duration DEFAULT_JWKS_CACHE_TTL = Duration.ofMinutes(5);
  /** Default head start of the background JWKS refresh before the TTL runs out. */
  public static final Duration DEFAULT_JWKS_REFRESH_AHEAD = Duration.ofSeconds(30);
  /** Default time a JWKS is still served past its TTL while refreshes fail. */
  public static final Duration DEFAULT_JWKS_STALE_IF_ERROR = Duration.ofMinutes(30);
  /** Default minimum time between two JWKS fetches triggered by unknown key ids or failures. */
  public static final Duration DEFAULT_JWKS_MIN_REFETCH_INTERVAL = Duration.ofSeconds(30);
  /** Default connect and read timeout of JWKS and discovery requests. */
  public static final Duration DEFAULT_JWKS_TIMEOUT = Duration.ofSeconds(5);
  /** Default maximum number of verified tokens kept in memory. */
  public static final long DEFAULT_TOKEN_CACHE_MAX_SIZE = 10_000;
  /** Default longest time a verified token is reused without re-validation (never past its {@code exp}). */
  public static final Duration DEFAULT_TOKEN_CACHE_MAX_TTL = Duration.ofMinutes(5);
  /** Default largest accepted token, in characters (bytes: a compact JWS is ASCII). */
  public static final int DEFAULT_MAX_TOKEN_SIZE = 16 * 1024;
  /** Default claim used as the principal name. */
  public static final String DEFAULT_PRINCIPAL_CLAIM = "sub";
  /** Default claim paths read as permissions. */
  public static final List<String> DEFAULT_PERMISSIONS_CLAIMS = List.of("permissions", "scope", "scp");
  /** Default claim paths read as roles. */
  public static final List<String> DEFAULT_ROLES_CLAIMS = List.of("roles", "realm_access.roles", "groups");
  /** Accepted {@code typ} values by default; {@code none} stands for a header without {@code typ}. */
  public static final List<String> DEFAULT_TOKEN_TYPES = List.of("JWT", "at+jwt", "none");
  /** Asymmetric algorithms accepted by default. */
  public static final List<String> DEFAULT_ALGORITHMS =
      List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519");
  /** HMAC algorithms added to the defaults when {@code hmac-secret} is set. */
  public static final List<String> HMAC_ALGORITHMS = List.of("HS256", "HS384", "HS512");
  /** Smallest accepted HMAC secret, in bytes (RFC 7518 §3.2: at least the hash size). */
  public static final int MIN_HMAC_SECRET_BYTES = 32;

  /**
   * Every key {@link #fromProperties(Map)} accepts, besides the {@code rule.<name>.*} and
   * {@code user-lookup.field.<name>} families.
   */
  public static final List<ConfigKey> KEYS = concat(List.of(
      new ConfigKey("issuer", null, false, "Trusted issuer URL(s), comma-separated; the token's iss must equal one exactly. Required."),
      new ConfigKey("jwks-uri", null, false, "JWKS URL(s), one per issuer in the same order; default: discovered from each issuer."),
      new ConfigKey("audience", null, false, "Accepted audience(s), comma-separated; the token's aud must contain one. Strongly recommended."),
      new ConfigKey("algorithms", String.join(",", DEFAULT_ALGORITHMS), false, "Accepted JWS algorithms; HS256/384/512 only with hmac-secret, never none."),
      new ConfigKey("hmac-secret", null, true, "Shared secret enabling HMAC-signed tokens: UTF-8 text or base64:<bytes>, at least 32 bytes."),
      new ConfigKey("token-types", String.join(",", DEFAULT_TOKEN_TYPES), false, "Accepted typ header values (case-insensitive, application/ prefix optional); none = no typ."),
      new ConfigKey("clock-skew", Durations.format(DEFAULT_CLOCK_SKEW), false, "Allowed clock difference for exp, nbf and iat."),
      new ConfigKey("required-claims", null, false, "Claims that must be present and not null, comma-separated."),
      new ConfigKey("principal-claim", DEFAULT_PRINCIPAL_CLAIM, false, "Claim used as the principal name; it must be a string."),
      new ConfigKey("permissions-claims", String.join(",", DEFAULT_PERMISSIONS_CLAIMS), false, "Claim paths read as permissions (arrays or space-separated strings)."),
      new ConfigKey("roles-claims", String.join(",", DEFAULT_ROLES_CLAIMS), false, "Claim paths read as roles; nested paths such as resource_access.my-client.roles."),
      new ConfigKey("public-paths", null, false, "Path patterns served without a token, comma-separated (/health, /public/**)."),
      new ConfigKey("paths.case-insensitive", "false", false, "Rules match paths regardless of case, for hosts that route case-insensitively; public paths stay exact. The CLI gateway with --upstream defaults to true."),
      new ConfigKey("realm", null, false, "The realm of the WWW-Authenticate challenge; none by default."),
      new ConfigKey("permissions-as-roles", "false", false, "Role checks (isUserInRole, @RolesAllowed) also match permissions."),
      new ConfigKey("allow-query-token", "false", false, "Also accept the token from the access_token query parameter (RFC 6750 §2.3)."),
      new ConfigKey("max-token-size", Integer.toString(DEFAULT_MAX_TOKEN_SIZE), false, "Largest accepted token in bytes."),
      new ConfigKey("jwks.cache-ttl", Durations.format(DEFAULT_JWKS_CACHE_TTL), false, "How long a fetched JWKS is fresh."),
      new ConfigKey("jwks.refresh-ahead", Durations.format(DEFAULT_JWKS_REFRESH_AHEAD), false, "Start a background refresh this long before the TTL runs out (by default at most a tenth of jwks.cache-ttl)."),
      new ConfigKey("jwks.stale-if-error", Durations.format(DEFAULT_JWKS_STALE_IF_ERROR), false, "Keep serving the last good JWKS this long past its TTL while refreshes fail."),
      new ConfigKey("jwks.min-refetch-interval", Durations.format(DEFAULT_JWKS_MIN_REFETCH_INTERVAL), false, "At most one JWKS fetch per this interval for unknown key ids and after failures (by default at most jwks.cache-ttl)."),
      new ConfigKey("jwks.timeout", Durations.format(DEFAULT_JWKS_TIMEOUT), false, "Connect and read timeout of JWKS and discovery requests."),
      new ConfigKey("token-cache.enabled", "true", false, "Reuse the result of validating the same token."),
      new ConfigKey("token-cache.max-size", Long.toString(DEFAULT_TOKEN_CACHE_MAX_SIZE), false, "Most verified tokens kept in memory."),
      new ConfigKey("token-cache.max-ttl", Durations.format(DEFAULT_TOKEN_CACHE_MAX_TTL), false, "Longest reuse of a verified token; never past its exp.")),
      UserLookupSettings.KEYS, SharedCacheSettings.KEYS);

  /** The key families, {@code <name>} standing for a name the user chooses (a rule) or a profile field. */
  public static final List<ConfigKey> KEY_FAMILIES = List.of(
      new ConfigKey("rule.<name>.paths", null, false, "Path patterns the rule covers (required)."),
      new ConfigKey("rule.<name>.methods", null, false, "HTTP methods the rule covers; all by default; GET also covers HEAD."),
      new ConfigKey("rule.<name>.permissions", null, false, "Permissions the rule requires (required)."),
      new ConfigKey("rule.<name>.match", "all", false, "all or any of the permissions."),
      new ConfigKey("user-lookup.field.<name>", null, false, "Field expression overriding the preset's for one profile field (" + String.join(", ", UserLookupSettings.FIELDS) + ")."));

  private static final Map<String, ConfigKey> KEYS_BY_NAME = indexKeys();

  private final List<String> issuers;
  private final Map<String, URI> jwksUris;
  private final Set<String> audiences;
  private final Set<JWSAlgorithm> algorithms;
  private final byte[] hmacSecret;
  private final Set<String> tokenTypes;
  private final Duration clockSkew;
  private final List<String> requiredClaims;
  private final String principalClaim;
  private final List<String> permissionsClaims;
  private final List<String> rolesClaims;
  private final List<PathPattern> publicPaths;
  private final String realm;
  private final boolean allowQueryToken;
  private final boolean permissionsAsRoles;
  private final boolean pathsCaseInsensitive;
  private final int maxTokenSize;
  private final Duration jwksCacheTtl;
  private final Duration jwksRefreshAhead;
  private final Duration jwksStaleIfError;
  private final Duration jwksMinRefetchInterval;
  private final Duration jwksTimeout;
  private final boolean tokenCacheEnabled;
  private final long tokenCacheMaxSize;
  private final Duration tokenCacheMaxTtl;
  private final List<PathRule> rules;
  private final UserLookupSettings userLookup;
  private final SharedCacheSettings sharedCache;
  private final Clock clock;

  private TokenGuardConfig(Builder b) {
    this.issuers = List.copyOf(b.issuers);
    this.jwksUris = Collections.unmodifiableMap(new LinkedHashMap<>(b.resolvedJwksUris));
    this.audiences = Collections.unmodifiableSet(new LinkedHashSet<>(b.audiences));
    this.algorithms = Collections.unmodifiableSet(new LinkedHashSet<>(b.resolvedAlgorithms));
    this.hmacSecret = b.hmacSecret == null ? null : b.hmacSecret.clone();
    this.tokenTypes = Collections.unmodifiableSet(new LinkedHashSet<>(b.tokenTypes));
    this.clockSkew = b.clockSkew;
    this.requiredClaims = List.copyOf(b.requiredClaims);
    this.principalClaim = b.principalClaim;
    this.permissionsClaims = List.copyOf(b.permissionsClaims);
    this.rolesClaims = List.copyOf(b.rolesClaims);
    this.publicPaths = List.copyOf(b.publicPaths);
    this.realm = b.realm;
    this.allowQueryToken = b.allowQueryToken;
    this.permissionsAsRoles = b.permissionsAsRoles;
    this.pathsCaseInsensitive = b.pathsCaseInsensitive;
    this.maxTokenSize = b.maxTokenSize;
    this.jwksCacheTtl = b.jwksCacheTtl;
    this.jwksRefreshAhead = b.jwksRefreshAhead;
    this.jwksStaleIfError = b.jwksStaleIfError;
    this.jwksMinRefetchInterval = b.jwksMinRefetchInterval;
    this.jwksTimeout = b.jwksTimeout;
    this.tokenCacheEnabled = b.tokenCacheEnabled;
    this.tokenCacheMaxSize = b.tokenCacheMaxSize;
    this.tokenCacheMaxTtl = b.tokenCacheMaxTtl;
    this.rules = List.copyOf(b.rules.values());
    this.userLookup = b.resolvedUserLookup;
    this.sharedCache = b.sharedCache.build();
    this.clock = b.clock;
  }

  /** A new builder with every default set. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a configuration from {@code key -> value} pairs, keys as listed in {@link #KEYS} plus
   * {@code rule.<name>.paths|methods|permissions|match}. Values may be {@code ${env:NAME}} or
   * {@code ${sys:name}}. Blank values count as absent.
   *
   * @throws TokenGuardConfigException naming the key when a key is unknown or a value is bad
   */
  public static TokenGuardConfig fromProperties(Map<String, String> properties) {
    return builder().properties(properties).build();
  }

  @SafeVarargs
  private static List<ConfigKey> concat(List<ConfigKey>... parts) {
    List<ConfigKey> all = new ArrayList<>();
    for (List<ConfigKey> part : parts) {
      all.addAll(part);
    }
    return List.copyOf(all);
  }

  private static Map<String, ConfigKey> indexKeys() {
    Map<String, ConfigKey> m = new LinkedHashMap<>();
    for (ConfigKey k : KEYS) {
      m.put(k.name(), k);
    }
    return Collections.unmodifiableMap(m);
  }

  /** Trusted issuers, in configured order. */
  public List<String> issuers() { return issuers; }

  /** The JWKS URL configured for an issuer, or {@code null} when it is discovered. */
  public URI jwksUri(String issuer) { return jwksUris.get(issuer); }

  /** Accepted audiences (any-of); empty means the audience is not checked. */
  public Set<String> audiences() { return audiences; }

  /** Accepted JWS algorithms. */
  public Set<JWSAlgorithm> algorithms() { return algorithms; }

  /** The HMAC secret, or {@code null}. A copy: the caller may clear it. */
  public byte[] hmacSecret() { return hmacSecret == null ? null : hmacSecret.clone(); }

  /** Accepted {@code typ} values, normalised to lower case without {@code application/}; {@code ""} = no typ. */
  public Set<String> tokenTypes() { return tokenTypes; }

  /** Allowed clock difference. */
  public Duration clockSkew() { return clockSkew; }

  /** Claims that must be present and not null. */
  public List<String> requiredClaims() { return requiredClaims; }

  /** The claim used as principal name. */
  public String principalClaim() { return principalClaim; }

  /** Claim paths read as permissions. */
  public List<String> permissionsClaims() { return permissionsClaims; }

  /** Claim paths read as roles. */
  public List<String> rolesClaims() { return rolesClaims; }

  /** Patterns of paths served without a token. */
  public List<PathPattern> publicPaths() { return publicPaths; }

  /** The realm of challenges, or {@code null}. */
  public String realm() { return realm; }

  /** Whether the {@code access_token} query parameter is read. */
  public boolean allowQueryToken() { return allowQueryToken; }

  /** Whether role checks also match permissions. */
  public boolean permissionsAsRoles() { return permissionsAsRoles; }

  /** Whether rules match paths regardless of case ({@code paths.case-insensitive}); public paths never do. */
  public boolean pathsCaseInsensitive() { return pathsCaseInsensitive; }

  /** Largest accepted token in bytes. */
  public int maxTokenSize() { return maxTokenSize; }

  /** How long a fetched JWKS is fresh. */
  public Duration jwksCacheTtl() { return jwksCacheTtl; }

  /** Head start of the background refresh before the TTL runs out. */
  public Duration jwksRefreshAhead() { return jwksRefreshAhead; }

  /** How long past its TTL the last good JWKS is served while refreshes fail. */
  public Duration jwksStaleIfError() { return jwksStaleIfError; }

  /** Minimum interval between JWKS fetches caused by unknown kids or failures. */
  public Duration jwksMinRefetchInterval() { return jwksMinRefetchInterval; }

  /** Connect and read timeout for JWKS and discovery. */
  public Duration jwksTimeout() { return jwksTimeout; }

  /** Whether verified tokens are cached. */
  public boolean tokenCacheEnabled() { return tokenCacheEnabled; }

  /** Maximum number of cached verified tokens. */
  public long tokenCacheMaxSize() { return tokenCacheMaxSize; }

  /** Longest reuse of a verified token. */
  public Duration tokenCacheMaxTtl() { return tokenCacheMaxTtl; }

  /** The configured path rules, ordered by name. */
  public List<PathRule> rules() { return rules; }

  /** The user-lookup settings, when {@code user-lookup.provider} is set. */
  public java.util.Optional<UserLookupSettings> userLookup() { return java.util.Optional.ofNullable(userLookup); }

  /** The shared cache tier ({@code cache.redis.*}), when {@code cache.redis.uri} is set. */
  public java.util.Optional<SharedCacheSettings> sharedCache() { return java.util.Optional.ofNullable(sharedCache); }

  /** The clock every time check uses (the system UTC clock unless a test sets one). */
  public Clock clock() { return clock; }

  /** The configuration as properties, secrets masked; for start-up logs and the CLI. */
  @Override
  public String toString() {
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("issuer", String.join(",", issuers));
    if (!jwksUris.isEmpty()) shown.put("jwks-uri", jwksUris.values().toString());
    shown.put("audience", String.join(",", audiences));
    shown.put("algorithms", algorithms.toString());
    shown.put("hmac-secret", hmacSecret == null ? "" : "******");
    shown.put("token-types", tokenTypes.toString());
    shown.put("clock-skew", Durations.format(clockSkew));
    shown.put("principal-claim", principalClaim);
    shown.put("public-paths", publicPaths.toString());
    shown.put("rules", rules.toString());
    if (pathsCaseInsensitive) shown.put("paths.case-insensitive", "true");
    if (userLookup != null) shown.put("user-lookup", userLookup.toString());
    if (sharedCache != null) shown.put("cache.redis", sharedCache.toString());
    return "TokenGuardConfig" + shown;
  }

  /** Builds a {@link TokenGuardConfig}; each setter checks its argument at once. Not thread-safe. */
  public static final class Builder {
    private final List<String> issuers = new ArrayList<>();
    private final List<String> jwksUriValues = new ArrayList<>();
    private final Map<String, URI> resolvedJwksUris = new LinkedHashMap<>();
    private final Set<String> audiences = new LinkedHashSet<>();
    private List<String> algorithmNames;
    private final Set<JWSAlgorithm> resolvedAlgorithms = new LinkedHashSet<>();
    private byte[] hmacSecret;
    private final Set<String> tokenTypes = new LinkedHashSet<>();
    private Duration clockSkew = DEFAULT_CLOCK_SKEW;
    private final List<String> requiredClaims = new ArrayList<>();
    private String principalClaim = DEFAULT_PRINCIPAL_CLAIM;
    private final List<String> permissionsClaims = new ArrayList<>(DEFAULT_PERMISSIONS_CLAIMS);
    private final List<String> rolesClaims = new ArrayList<>(DEFAULT_ROLES_CLAIMS);
    private final List<PathPattern> publicPaths = new ArrayList<>();
    private String realm;
    private boolean allowQueryToken;
    private boolean permissionsAsRoles;
    private boolean pathsCaseInsensitive;
    private int maxTokenSize = DEFAULT_MAX_TOKEN_SIZE;
    private Duration jwksCacheTtl = DEFAULT_JWKS_CACHE_TTL;
    private Duration jwksRefreshAhead; // null: derived from the TTL in build()
    private Duration jwksStaleIfError = DEFAULT_JWKS_STALE_IF_ERROR;
    private Duration jwksMinRefetchInterval; // null: derived from the TTL in build()
    private Duration jwksTimeout = DEFAULT_JWKS_TIMEOUT;
    private boolean tokenCacheEnabled = true;
    private long tokenCacheMaxSize = DEFAULT_TOKEN_CACHE_MAX_SIZE;
    private Duration tokenCacheMaxTtl = DEFAULT_TOKEN_CACHE_MAX_TTL;
    private final Map<String, PathRule> rules = new TreeMap<>();
    private final UserLookupSettings.Builder userLookup = new UserLookupSettings.Builder();
    private final SharedCacheSettings.Builder sharedCache = new SharedCacheSettings.Builder();
    private UserLookupSettings resolvedUserLookup;
    private Clock clock = Clock.systemUTC();

    private Builder() {
      setTokenTypes(DEFAULT_TOKEN_TYPES);
    }

    /**
     * Sets every key of {@code properties}, as {@link TokenGuardConfig#fromProperties(Map)} does: keys of
     * {@link #KEYS} and {@code rule.<name>.*}; values may be {@code ${env:NAME}} or {@code ${sys:name}}; blank
     * values count as absent.
     *
     * @throws TokenGuardConfigException naming the key when a key is unknown or a value is bad
     */
    public Builder properties(Map<String, String> properties) {
      Map<String, Map<String, String>> ruleAttributes = new TreeMap<>();
      for (Map.Entry<String, String> e : new TreeMap<>(properties).entrySet()) {
        String key = e.getKey().trim();
        String value = ConfigText.resolvePlaceholders(key, e.getValue());
        if (value == null || value.isBlank()) {
          continue;
        }
        if (key.startsWith("rule.")) {
          String rest = key.substring("rule.".length());
          int dot = rest.lastIndexOf('.');
          if (dot <= 0) {
            throw new TokenGuardConfigException(key, "expected rule.<name>.paths, .methods, .permissions or .match");
          }
          ruleAttributes.computeIfAbsent(rest.substring(0, dot), n -> new TreeMap<>()).put(rest.substring(dot + 1), value);
          continue;
        }
        set(key, value.trim());
      }
      ruleAttributes.forEach(this::rule);
      return this;
    }

    /** Sets one key from its string form, as {@link #fromProperties(Map)} does. */
    public Builder set(String key, String value) {
      Objects.requireNonNull(value, key);
      switch (key) {
        case "issuer": return issuer(Lists.splitComma(value).toArray(String[]::new));
        case "jwks-uri": return jwksUri(Lists.splitComma(value).toArray(String[]::new));
        case "audience": return audience(Lists.splitComma(value).toArray(String[]::new));
        case "algorithms": return algorithms(Lists.splitComma(value).toArray(String[]::new));
        case "hmac-secret": return hmacSecret(value);
        case "token-types": return tokenTypes(Lists.splitComma(value).toArray(String[]::new));
        case "clock-skew": return clockSkew(Durations.parse(key, value));
        case "required-claims": return requiredClaims(Lists.splitComma(value).toArray(String[]::new));
        case "principal-claim": return principalClaim(value);
        case "permissions-claims": return permissionsClaims(Lists.splitComma(value).toArray(String[]::new));
        case "roles-claims": return rolesClaims(Lists.splitComma(value).toArray(String[]::new));
        case "public-paths": return publicPaths(Lists.splitComma(value).toArray(String[]::new));
        case "realm": return realm(value);
        case "allow-query-token": return allowQueryToken(ConfigText.flag(key, value));
        case "permissions-as-roles": return permissionsAsRoles(ConfigText.flag(key, value));
        case "paths.case-insensitive": return pathsCaseInsensitive(ConfigText.flag(key, value));
        case "max-token-size": return maxTokenSize((int) ConfigText.whole(key, value, 256, 1 << 20));
        case "jwks.cache-ttl": return jwksCacheTtl(Durations.parse(key, value));
        case "jwks.refresh-ahead": return jwksRefreshAhead(Durations.parse(key, value));
        case "jwks.stale-if-error": return jwksStaleIfError(Durations.parse(key, value));
        case "jwks.min-refetch-interval": return jwksMinRefetchInterval(Durations.parse(key, value));
        case "jwks.timeout": return jwksTimeout(Durations.parse(key, value));
        case "token-cache.enabled": return tokenCacheEnabled(ConfigText.flag(key, value));
        case "token-cache.max-size": return tokenCacheMaxSize(ConfigText.whole(key, value, 0, Long.MAX_VALUE));
        case "token-cache.max-ttl": return tokenCacheMaxTtl(Durations.parse(key, value));
        default:
          if (UserLookupSettings.Builder.knows(key)) {
            userLookup.set(key, value);
            return this;
          }
          if (SharedCacheSettings.knows(key)) {
            sharedCache.set(key, value);
            return this;
          }
          throw new TokenGuardConfigException(key, "unknown key" + ConfigText.suggestion(key, KEYS_BY_NAME.keySet()) + "; known keys are "
              + KEYS_BY_NAME.keySet() + ", rule.<name>.paths|methods|permissions|match and user-lookup.field.<name>");
      }
    }

    /** Trusted issuers ({@code issuer}); the token's {@code iss} must equal one exactly. Required. */
    public Builder issuer(String... values) {
      issuers.clear();
      for (String v : values) {
        String s = v.trim();
        if (s.isEmpty()) {
          throw new TokenGuardConfigException("issuer", "must not be blank");
        }
        if (!issuers.contains(s)) {
          issuers.add(s);
        }
      }
      return this;
    }

    /** JWKS URLs ({@code jwks-uri}), one per issuer in the same order. Default: discovered. */
    public Builder jwksUri(String... values) {
      jwksUriValues.clear();
      for (String v : values) {
        jwksUriValues.add(ConfigText.url("jwks-uri", v.trim()));
      }
      return this;
    }

    /** Accepted audiences ({@code audience}), any-of. */
    public Builder audience(String... values) {
      audiences.clear();
      for (String v : values) {
        if (v.isBlank()) {
          throw new TokenGuardConfigException("audience", "must not contain a blank value");
        }
        audiences.add(v.trim());
      }
      return this;
    }

    /** Accepted JWS algorithms ({@code algorithms}). */
    public Builder algorithms(String... names) {
      if (names.length == 0) {
        throw new TokenGuardConfigException("algorithms", "must name at least one algorithm");
      }
      algorithmNames = List.of(names);
      return this;
    }

    /**
     * The HMAC secret ({@code hmac-secret}), at least {@value #MIN_HMAC_SECRET_BYTES} bytes: the UTF-8 bytes of
     * {@code secret}, or, when it starts with {@code base64:}, the bytes it encodes (standard or URL alphabet).
     */
    public Builder hmacSecret(String secret) {
      if (secret.startsWith("base64:")) {
        String encoded = secret.substring("base64:".length()).trim();
        try {
          return hmacSecret(encoded.indexOf('-') >= 0 || encoded.indexOf('_') >= 0
              ? java.util.Base64.getUrlDecoder().decode(encoded) : java.util.Base64.getDecoder().decode(encoded));
        } catch (IllegalArgumentException e) {
          throw new TokenGuardConfigException("hmac-secret", "the value after base64: is not valid base64");
        }
      }
      return hmacSecret(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** The HMAC secret ({@code hmac-secret}) as raw bytes, at least {@value #MIN_HMAC_SECRET_BYTES} of them. */
    public Builder hmacSecret(byte[] secret) {
      byte[] bytes = secret.clone();
      if (bytes.length < MIN_HMAC_SECRET_BYTES) {
        throw new TokenGuardConfigException("hmac-secret",
            "must be at least " + MIN_HMAC_SECRET_BYTES + " bytes, but has " + bytes.length);
      }
      hmacSecret = bytes;
      return this;
    }

    /** Accepted {@code typ} values ({@code token-types}); {@code none} accepts a header without {@code typ}. */
    public Builder tokenTypes(String... values) {
      if (values.length == 0) {
        throw new TokenGuardConfigException("token-types", "must list at least one type (use none for no typ)");
      }
      setTokenTypes(List.of(values));
      return this;
    }

    private void setTokenTypes(List<String> values) {
      tokenTypes.clear();
      for (String v : values) {
        String t = v.trim().toLowerCase(Locale.ROOT);
        tokenTypes.add(t.equals("none") ? "" : TokenTypes.normalise(t));
      }
    }

    /** Allowed clock difference ({@code clock-skew}, default 60s); at most 10 minutes. */
    public Builder clockSkew(Duration skew) {
      clockSkew = ConfigText.atMost("clock-skew", skew, Duration.ofMinutes(10));
      return this;
    }

    /** Claims that must be present and not null ({@code required-claims}). */
    public Builder requiredClaims(String... claims) {
      requiredClaims.clear();
      requiredClaims.addAll(List.of(claims));
      return this;
    }

    /** The claim used as principal name ({@code principal-claim}, default {@code sub}). */
    public Builder principalClaim(String claim) {
      if (claim.isBlank()) {
        throw new TokenGuardConfigException("principal-claim", "must not be blank");
      }
      principalClaim = claim.trim();
      return this;
    }

    /** Claim paths read as permissions ({@code permissions-claims}). */
    public Builder permissionsClaims(String... paths) {
      permissionsClaims.clear();
      permissionsClaims.addAll(List.of(paths));
      return this;
    }

    /** Claim paths read as roles ({@code roles-claims}). */
    public Builder rolesClaims(String... paths) {
      rolesClaims.clear();
      rolesClaims.addAll(List.of(paths));
      return this;
    }

    /** Patterns of paths served without a token ({@code public-paths}). */
    public Builder publicPaths(String... patterns) {
      publicPaths.clear();
      for (String p : patterns) {
        publicPaths.add(ConfigText.pattern("public-paths", p));
      }
      return this;
    }

    /** Realm of the challenge ({@code realm}). */
    public Builder realm(String value) {
      if (value.indexOf('"') >= 0 || value.indexOf('\\') >= 0 || !value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
        throw new TokenGuardConfigException("realm", "must be printable ASCII without quotes or backslashes");
      }
      realm = value;
      return this;
    }

    /** Whether the {@code access_token} query parameter is read ({@code allow-query-token}, default false). */
    public Builder allowQueryToken(boolean allow) {
      allowQueryToken = allow;
      return this;
    }

    /** Whether role checks also match permissions ({@code permissions-as-roles}, default false). */
    public Builder permissionsAsRoles(boolean value) {
      permissionsAsRoles = value;
      return this;
    }

    /**
     * Whether rules match paths regardless of case ({@code paths.case-insensitive}, default false): set it when
     * the host routes {@code /API/Admin} to the handler of {@code /api/admin} (Express and ASP.NET Core by
     * default, or an upstream of the gateway whose router is unknown). Public paths always match exactly.
     */
    public Builder pathsCaseInsensitive(boolean value) {
      pathsCaseInsensitive = value;
      return this;
    }

    /** Largest accepted token in bytes ({@code max-token-size}). */
    public Builder maxTokenSize(int bytes) {
      maxTokenSize = (int) ConfigText.range("max-token-size", bytes, 256, 1 << 20);
      return this;
    }

    /** Freshness of a fetched JWKS ({@code jwks.cache-ttl}). */
    public Builder jwksCacheTtl(Duration ttl) {
      jwksCacheTtl = ConfigText.positive("jwks.cache-ttl", ttl);
      return this;
    }

    /**
     * Head start of the background refresh ({@code jwks.refresh-ahead}); when not set, 30 s or a tenth of
     * {@code jwks.cache-ttl} if that is shorter.
     */
    public Builder jwksRefreshAhead(Duration ahead) {
      jwksRefreshAhead = ConfigText.atMost("jwks.refresh-ahead", ahead, Duration.ofDays(1));
      return this;
    }

    /** How long past its TTL the last good JWKS is served while refreshes fail ({@code jwks.stale-if-error}). */
    public Builder jwksStaleIfError(Duration stale) {
      jwksStaleIfError = ConfigText.atMost("jwks.stale-if-error", stale, Duration.ofDays(7));
      return this;
    }

    /** Minimum interval between JWKS fetches for unknown kids and after failures ({@code jwks.min-refetch-interval}). */
    public Builder jwksMinRefetchInterval(Duration interval) {
      jwksMinRefetchInterval = ConfigText.atMost("jwks.min-refetch-interval", interval, Duration.ofDays(1));
      return this;
    }

    /** Connect and read timeout ({@code jwks.timeout}), between 1 ms and 60 s. */
    public Builder jwksTimeout(Duration timeout) {
      jwksTimeout = ConfigText.positive("jwks.timeout", ConfigText.atMost("jwks.timeout", timeout, Duration.ofSeconds(60)));
      return this;
    }

    /** Whether verified tokens are cached ({@code token-cache.enabled}). */
    public Builder tokenCacheEnabled(boolean enabled) {
      tokenCacheEnabled = enabled;
      return this;
    }

    /** Maximum number of cached verified tokens ({@code token-cache.max-size}). */
    public Builder tokenCacheMaxSize(long size) {
      tokenCacheMaxSize = ConfigText.range("token-cache.max-size", size, 0, Long.MAX_VALUE);
      return this;
    }

    /** Longest reuse of a verified token ({@code token-cache.max-ttl}). */
    public Builder tokenCacheMaxTtl(Duration ttl) {
      tokenCacheMaxTtl = ConfigText.positive("token-cache.max-ttl", ttl);
      return this;
    }

    /**
     * Adds or replaces rule {@code name} from its attributes {@code paths}, {@code methods},
     * {@code permissions} and {@code match}, as in {@code rule.<name>.<attribute>}.
     */
    public Builder rule(String name, Map<String, String> attributes) {
      rules.put(name, RuleReader.read(name, attributes));
      return this;
    }

    /** The clock used for every time check; tests pass a fixed or fake clock. */
    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Checks the combination of values and builds the configuration.
     *
     * @throws TokenGuardConfigException naming the key of the first problem found
     */
    public TokenGuardConfig build() {
      if (issuers.isEmpty()) {
        throw new TokenGuardConfigException("issuer", "is required: set the trusted issuer URL(s)");
      }
      resolveJwksUris();
      resolveAlgorithms();
      resolvedUserLookup = userLookup.build(issuers);
      if (jwksRefreshAhead == null) {
        jwksRefreshAhead = Durations.scaledDefault(DEFAULT_JWKS_REFRESH_AHEAD, jwksCacheTtl, 10);
      }
      if (jwksMinRefetchInterval == null) {
        jwksMinRefetchInterval = Durations.scaledDefault(DEFAULT_JWKS_MIN_REFETCH_INTERVAL, jwksCacheTtl, 1);
      }
      if (jwksRefreshAhead.compareTo(jwksCacheTtl) >= 0) {
        throw new TokenGuardConfigException("jwks.refresh-ahead", "must be shorter than jwks.cache-ttl ("
            + Durations.format(jwksCacheTtl) + "), but was " + Durations.format(jwksRefreshAhead));
      }
      if (jwksMinRefetchInterval.compareTo(jwksCacheTtl) > 0) {
        throw new TokenGuardConfigException("jwks.min-refetch-interval", "must not exceed jwks.cache-ttl ("
            + Durations.format(jwksCacheTtl) + "), but was " + Durations.format(jwksMinRefetchInterval));
      }
      return new TokenGuardConfig(this);
    }

    private void resolveJwksUris() {
      resolvedJwksUris.clear();
      if (jwksUriValues.isEmpty()) {
        for (String issuer : issuers) {
          String problem = UrlPolicy.problemWith(issuer);
          if (problem != null) {
            throw new TokenGuardConfigException("issuer", problem + " (the issuer is used for discovery because jwks-uri is not set)");
          }
        }
        return;
      }
      if (jwksUriValues.size() != issuers.size()) {
        throw new TokenGuardConfigException("jwks-uri", "expected one URL per issuer (" + issuers.size()
            + "), in the same order, but found " + jwksUriValues.size());
      }
      for (int i = 0; i < issuers.size(); i++) {
        resolvedJwksUris.put(issuers.get(i), URI.create(jwksUriValues.get(i)));
      }
    }

    private void resolveAlgorithms() {
      resolvedAlgorithms.clear();
      List<String> names = algorithmNames;
      if (names == null) {
        names = new ArrayList<>(DEFAULT_ALGORITHMS);
        if (hmacSecret != null) {
          for (String hmac : HMAC_ALGORITHMS) { // only those the secret is long enough for
            if (hmacSecret.length >= Integer.parseInt(hmac.substring(2)) / 8) {
              names.add(hmac);
            }
          }
        }
      }
      for (String name : names) {
        String n = name.trim();
        if (n.equalsIgnoreCase("none")) {
          throw new TokenGuardConfigException("algorithms", "'none' is never accepted");
        }
        if (HMAC_ALGORITHMS.contains(n)) {
          if (hmacSecret == null) {
            throw new TokenGuardConfigException("algorithms", n + " needs hmac-secret; set it or remove " + n);
          }
          int needed = Integer.parseInt(n.substring(2)) / 8;
          if (hmacSecret.length < needed) {
            throw new TokenGuardConfigException("algorithms", n + " needs an hmac-secret of at least " + needed
                + " bytes, but it has " + hmacSecret.length);
          }
        } else if (!DEFAULT_ALGORITHMS.contains(n)) {
          throw new TokenGuardConfigException("algorithms", "unsupported algorithm '" + n + "'; supported are "
              + DEFAULT_ALGORITHMS + " and, with hmac-secret, " + HMAC_ALGORITHMS);
        }
        resolvedAlgorithms.add(JWSAlgorithm.parse(n));
      }
    }

  }
}
