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

  /** Asymmetric algorithms accepted by default. */
  public static final List<String> DEFAULT_ALGORITHMS =
      List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519");
  /** HMAC algorithms added to the defaults when {@code hmac-secret} is set. */
  public static final List<String> HMAC_ALGORITHMS = List.of("HS256", "HS384", "HS512");
  /** Smallest accepted HMAC secret, in bytes (RFC 7518 §3.2: at least the hash size). */
  public static final int MIN_HMAC_SECRET_BYTES = 32;

  // The catalogue: one constant per key. A new key is a constant here (and in KEYS) plus the code that reads it
  // with get(KEY); the README table, the CLI's environment variables and the Spring and Quarkus bindings follow.

  /** {@code issuer}. */
  public static final ConfigKey<List<String>> ISSUER = ConfigKey.of("issuer", ConfigKey.Kind.LIST, null, null,
      "Trusted issuer URL(s), comma-separated; the token's iss must equal one exactly. Required.",
      (k, t) -> Lists.splitComma(t), TokenGuardConfig::distinctNotBlank);
  /** {@code jwks-uri}. */
  public static final ConfigKey<List<String>> JWKS_URI = ConfigKey.of("jwks-uri", ConfigKey.Kind.LIST, null, null,
      "JWKS URL(s), one per issuer in the same order; default: discovered from each issuer.",
      (k, t) -> Lists.splitComma(t), (k, v) -> v.stream().map(u -> ConfigText.url(k, u.trim())).toList()).perIssuer();
  /** {@code audience}. */
  public static final ConfigKey<List<String>> AUDIENCE = ConfigKey.of("audience", ConfigKey.Kind.LIST, List.of(), null,
      "Accepted audience(s), comma-separated; the token's aud must contain one. Strongly recommended.",
      (k, t) -> Lists.splitComma(t), TokenGuardConfig::distinctNotBlank).perIssuer();
  /** {@code algorithms}; by default {@link #DEFAULT_ALGORITHMS}, plus the HMAC ones the {@code hmac-secret} is long enough for. */
  public static final ConfigKey<List<String>> ALGORITHMS = ConfigKey.of("algorithms", ConfigKey.Kind.LIST, null, null,
      "Accepted JWS algorithms; HS256/384/512 only with hmac-secret, never none.", (k, t) -> Lists.splitComma(t),
      (k, v) -> {
        if (v.isEmpty()) {
          throw new TokenGuardConfigException(k, "must name at least one algorithm");
        }
        return List.copyOf(v);
      }).derivedDefault(String.join(",", DEFAULT_ALGORITHMS)).perIssuer();
  /** {@code hmac-secret}: the secret's bytes. */
  public static final ConfigKey<byte[]> HMAC_SECRET = ConfigKey.of("hmac-secret", ConfigKey.Kind.TEXT, null, null,
      "Shared secret enabling HMAC-signed tokens: UTF-8 text or base64:<bytes>, at least 32 bytes.",
      TokenGuardConfig::secretBytes, (k, v) -> {
        if (v.length < MIN_HMAC_SECRET_BYTES) {
          throw new TokenGuardConfigException(k, "must be at least " + MIN_HMAC_SECRET_BYTES + " bytes, but has " + v.length);
        }
        return v.clone();
      }).asSecret().ownPerIssuer();
  /** {@code token-types}, normalised: lower case without {@code application/}, {@code ""} for no {@code typ}. */
  public static final ConfigKey<List<String>> TOKEN_TYPES = ConfigKey.of("token-types", ConfigKey.Kind.LIST,
      List.of("jwt", "at+jwt", ""), "JWT,at+jwt,none",
      "Accepted typ header values (case-insensitive, application/ prefix optional); none = no typ.",
      (k, t) -> Lists.splitComma(t), (k, v) -> {
        if (v.isEmpty()) {
          throw new TokenGuardConfigException(k, "must list at least one type (use none for no typ)");
        }
        return v.stream().map(t -> t.trim().toLowerCase(Locale.ROOT))
            .map(t -> t.equals("none") ? "" : t.isEmpty() ? t : TokenTypes.normalise(t)).distinct().toList();
      }).perIssuer();
  /** {@code clock-skew}. */
  public static final ConfigKey<Duration> CLOCK_SKEW = ConfigKey.duration("clock-skew", Duration.ofSeconds(60),
      Duration.ZERO, Duration.ofMinutes(10), "Allowed clock difference for exp, nbf and iat.").perIssuer();
  /** {@code max-token-age}: off unless set. */
  public static final ConfigKey<Duration> MAX_TOKEN_AGE = ConfigKey.duration("max-token-age", null, Duration.ofSeconds(1),
      Duration.ofDays(365), "Refuse a token issued longer ago than this (its iat, then required), whatever its exp; off by default.").perIssuer();
  /** {@code required-claims}. */
  public static final ConfigKey<List<String>> REQUIRED_CLAIMS = ConfigKey.list("required-claims", List.of(),
      "Claims that must be present and not null, comma-separated.").perIssuer();
  /** {@code principal-claim}. */
  public static final ConfigKey<String> PRINCIPAL_CLAIM = ConfigKey.of("principal-claim", ConfigKey.Kind.TEXT, "sub", "sub",
      "Claim used as the principal name; it must be a string.", (k, t) -> t, (k, v) -> {
        if (v.isBlank()) {
          throw new TokenGuardConfigException(k, "must not be blank");
        }
        return v.trim();
      }).perIssuer();
  /** {@code permissions-claims}. */
  public static final ConfigKey<List<String>> PERMISSIONS_CLAIMS = ConfigKey.list("permissions-claims",
      List.of("permissions", "scope", "scp"), "Claim paths read as permissions (arrays or space-separated strings).").perIssuer();
  /** {@code roles-claims}. */
  public static final ConfigKey<List<String>> ROLES_CLAIMS = ConfigKey.list("roles-claims",
      List.of("roles", "realm_access.roles", "groups"), "Claim paths read as roles; nested paths such as resource_access.my-client.roles.").perIssuer();
  /** {@code public-paths}. */
  public static final ConfigKey<List<PathPattern>> PUBLIC_PATHS = ConfigKey.of("public-paths", ConfigKey.Kind.LIST,
      List.of(), null, "Path patterns served without a token, comma-separated (/health, /public/**).",
      (k, t) -> Lists.splitComma(t).stream().map(p -> ConfigText.pattern(k, p)).toList(), (k, v) -> List.copyOf(v));
  /** {@code paths.case-insensitive}. */
  public static final ConfigKey<Boolean> PATHS_CASE_INSENSITIVE = ConfigKey.flag("paths.case-insensitive", false,
      "Rules match paths regardless of case, for hosts that route case-insensitively; public paths stay exact. The CLI gateway with --upstream or --forward-auth defaults to true.");
  /** {@code cors-preflight}: whether CORS preflights pass without a token. */
  public static final ConfigKey<String> CORS_PREFLIGHT = ConfigKey.choice("cors-preflight", "authenticate",
      List.of("authenticate", "pass"), "pass: a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method) reaches the application without a token, on any path the firewall accepts; for applications (or their CORS handler) that answer OPTIONS with no data. authenticate: it needs a token like any request.");
  /** {@code realm}. */
  public static final ConfigKey<String> REALM = ConfigKey.of("realm", ConfigKey.Kind.TEXT, null, null,
      "The realm of the WWW-Authenticate challenge; none by default.", (k, t) -> t, (k, v) -> {
        if (v.indexOf('"') >= 0 || v.indexOf('\\') >= 0 || !v.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
          throw new TokenGuardConfigException(k, "must be printable ASCII without quotes or backslashes");
        }
        return v;
      });
  /** {@code permissions-as-roles}. */
  public static final ConfigKey<Boolean> PERMISSIONS_AS_ROLES = ConfigKey.flag("permissions-as-roles", false,
      "Role checks (isUserInRole, @RolesAllowed) also match permissions.");
  /** {@code allow-query-token}. */
  public static final ConfigKey<Boolean> ALLOW_QUERY_TOKEN = ConfigKey.flag("allow-query-token", false,
      "Also accept the token from the access_token query parameter (RFC 6750 §2.3).");
  /** {@code signature-engines}: who checks signatures (jwks.SignatureEngines). */
  public static final ConfigKey<String> SIGNATURE_ENGINES = ConfigKey.choice("signature-engines", "fastest", List.of("fastest", "jdk"),
      "fastest: RSA, ECDSA and Ed25519 signatures checked by the fastest engine on the class path (the Amazon Corretto Crypto Provider, BouncyCastle, Tink), used by TokenGuard alone; jdk: by the JVM's installed providers only, for a deployment that must verify with them (a FIPS-configured JVM) while those jars are present for other reasons.");
  /** {@code max-token-size}. */
  public static final ConfigKey<Integer> MAX_TOKEN_SIZE = ConfigKey.integer("max-token-size", 16 * 1024, 256, 1 << 20,
      "Largest accepted token in bytes.");
  /** {@code token-format}: how the issuer's tokens are checked. */
  public static final ConfigKey<String> TOKEN_FORMAT = ConfigKey.choice("token-format", "jwt", List.of("jwt", "opaque", "auto"),
      "jwt: signed JWTs checked with the issuer's keys; opaque: every token asked at the issuer's introspection endpoint (RFC 7662); auto: JWTs checked locally, any other token introspected. One issuer at most may take tokens that are not JWTs.").perIssuer();
  /** {@code introspection.protocol}: how the issuer is asked about a token that is not a JWT. */
  public static final ConfigKey<String> INTROSPECTION_PROTOCOL = ConfigKey.choice("introspection.protocol", "rfc7662",
      List.of("rfc7662", "pangea", "userinfo"), "How the issuer is asked about a token: rfc7662 (OAuth 2.0 introspection), pangea (Pangea AuthN's token check, POST /v2/client/token/check with the service token as introspection.client-secret), or userinfo (the OIDC userinfo endpoint called with the token itself: Auth0's opaque tokens; the answer names no audience).").perIssuer();
  /** {@code introspection.endpoint}. */
  public static final ConfigKey<String> INTROSPECTION_ENDPOINT = ConfigKey.url("introspection.endpoint",
      "The issuer's introspection endpoint; default: introspection_endpoint (userinfo_endpoint with protocol userinfo) from its discovery document. Required with protocol pangea.").perIssuer();
  /** {@code introspection.client-id}. */
  public static final ConfigKey<String> INTROSPECTION_CLIENT_ID = ConfigKey.text("introspection.client-id", null,
      "The client TokenGuard introspects as (required with token-format opaque or auto and protocol rfc7662).").ownPerIssuer();
  /** {@code introspection.client-secret}. */
  public static final ConfigKey<String> INTROSPECTION_CLIENT_SECRET = ConfigKey.text("introspection.client-secret", null,
      "That client's secret; with protocol pangea, the Pangea service token.").asSecret().ownPerIssuer();
  /** {@code introspection.auth-method}. */
  public static final ConfigKey<String> INTROSPECTION_AUTH_METHOD = ConfigKey.choice("introspection.auth-method",
      "client_secret_basic", List.of("client_secret_basic", "client_secret_post", "private_key_jwt"),
      "How TokenGuard authenticates at the introspection endpoint: client_secret_basic, client_secret_post or private_key_jwt.").perIssuer();
  /** {@code introspection.private-key}: signs the client assertion of private_key_jwt. */
  public static final ConfigKey<java.security.PrivateKey> INTROSPECTION_PRIVATE_KEY = ConfigKey.of("introspection.private-key",
      ConfigKey.Kind.TEXT, null, null, "private_key_jwt: the client's private key, PEM PKCS#8 (RSA signs RS256, EC P-256/384/521 ES256/384/512).",
      ConfigText::privateKey, (k, v) -> v).asSecret().ownPerIssuer();
  /** {@code introspection.key-id}. */
  public static final ConfigKey<String> INTROSPECTION_KEY_ID = ConfigKey.text("introspection.key-id", null,
      "private_key_jwt: the kid of that key as registered with the issuer (optional).").ownPerIssuer();
  /** {@code introspection.jwt-answer}: ask for RFC 9701 signed answers. */
  public static final ConfigKey<Boolean> INTROSPECTION_JWT_ANSWER = ConfigKey.flag("introspection.jwt-answer", false,
      "Ask for signed answers (RFC 9701, Accept: application/token-introspection+jwt) and accept no other; a signed answer is checked with the issuer's keys whether asked for or not.").perIssuer();
  /** {@code introspection.cache-ttl}. */
  public static final ConfigKey<Duration> INTROSPECTION_CACHE_TTL = ConfigKey.duration("introspection.cache-ttl",
      Duration.ofMinutes(2), Duration.ofSeconds(1), Duration.ofDays(1),
      "An active answer is reused until the token's exp, but at most this long (a revocation at the issuer is seen after it).").perIssuer();
  /** {@code introspection.negative-ttl}. */
  public static final ConfigKey<Duration> INTROSPECTION_NEGATIVE_TTL = ConfigKey.duration("introspection.negative-ttl",
      Duration.ofSeconds(30), Duration.ZERO, Duration.ofHours(1),
      "An inactive answer (unknown, expired or revoked token) is remembered this long, so a flood of made-up tokens costs one call each.").perIssuer();
  /** {@code introspection.timeout}. */
  public static final ConfigKey<Duration> INTROSPECTION_TIMEOUT = ConfigKey.duration("introspection.timeout",
      Duration.ofSeconds(5), Duration.ofMillis(1), Duration.ofSeconds(60), "Connect and read timeout of one introspection call.").perIssuer();
  /** {@code jwks.cache-ttl}. */
  public static final ConfigKey<Duration> JWKS_CACHE_TTL = ConfigKey.duration("jwks.cache-ttl", Duration.ofMinutes(5),
      Duration.ofMillis(1), null, "How long a fetched JWKS is fresh.");
  /** {@code jwks.refresh-ahead}: 30 s, or a tenth of {@code jwks.cache-ttl} when that is shorter. */
  public static final ConfigKey<Duration> JWKS_REFRESH_AHEAD = ConfigKey.duration("jwks.refresh-ahead", null,
      Duration.ZERO, Duration.ofDays(1), "Start a background refresh this long before the TTL runs out (by default at most a tenth of jwks.cache-ttl).")
      .derivedDefault("30s");
  /** {@code jwks.stale-if-error}. */
  public static final ConfigKey<Duration> JWKS_STALE_IF_ERROR = ConfigKey.duration("jwks.stale-if-error", Duration.ofMinutes(30),
      Duration.ZERO, Duration.ofDays(7), "Keep serving the last good JWKS this long past its TTL while refreshes fail.");
  /** {@code jwks.min-refetch-interval}: 30 s, or {@code jwks.cache-ttl} when that is shorter. */
  public static final ConfigKey<Duration> JWKS_MIN_REFETCH_INTERVAL = ConfigKey.duration("jwks.min-refetch-interval", null,
      Duration.ZERO, Duration.ofDays(1), "At most one JWKS fetch per this interval for unknown key ids and after failures (by default at most jwks.cache-ttl).")
      .derivedDefault("30s");
  /** {@code jwks.timeout}. */
  public static final ConfigKey<Duration> JWKS_TIMEOUT = ConfigKey.duration("jwks.timeout", Duration.ofSeconds(5),
      Duration.ofMillis(1), Duration.ofSeconds(60), "Connect and read timeout of JWKS and discovery requests.");
  /** {@code token-cache.enabled}. */
  public static final ConfigKey<Boolean> TOKEN_CACHE_ENABLED = ConfigKey.flag("token-cache.enabled", true,
      "Reuse the result of validating the same token.");
  /** {@code token-cache.max-size}. */
  public static final ConfigKey<Long> TOKEN_CACHE_MAX_SIZE = ConfigKey.whole("token-cache.max-size", 10_000, 0, Long.MAX_VALUE,
      "Most verified tokens kept in memory.");
  /** {@code token-cache.max-ttl}. */
  public static final ConfigKey<Duration> TOKEN_CACHE_MAX_TTL = ConfigKey.duration("token-cache.max-ttl", Duration.ofMinutes(5),
      Duration.ofMillis(1), null, "Longest reuse of a verified token; never past its exp.");

  /**
   * Every key {@link #fromProperties(Map)} accepts, besides the {@code rule.<name>.*} and
   * {@code user-lookup.field.<name>} families.
   */
  public static final List<ConfigKey<?>> KEYS = concat(List.of(ISSUER, JWKS_URI, AUDIENCE, ALGORITHMS, HMAC_SECRET,
      TOKEN_TYPES, CLOCK_SKEW, MAX_TOKEN_AGE, REQUIRED_CLAIMS, PRINCIPAL_CLAIM, PERMISSIONS_CLAIMS, ROLES_CLAIMS, PUBLIC_PATHS,
      PATHS_CASE_INSENSITIVE, CORS_PREFLIGHT, REALM, PERMISSIONS_AS_ROLES, ALLOW_QUERY_TOKEN, SIGNATURE_ENGINES, MAX_TOKEN_SIZE, JWKS_CACHE_TTL,
      JWKS_REFRESH_AHEAD, JWKS_STALE_IF_ERROR, JWKS_MIN_REFETCH_INTERVAL, JWKS_TIMEOUT, TOKEN_CACHE_ENABLED,
      TOKEN_CACHE_MAX_SIZE, TOKEN_CACHE_MAX_TTL, TOKEN_FORMAT, INTROSPECTION_PROTOCOL, INTROSPECTION_ENDPOINT, INTROSPECTION_CLIENT_ID,
      INTROSPECTION_CLIENT_SECRET, INTROSPECTION_AUTH_METHOD, INTROSPECTION_PRIVATE_KEY, INTROSPECTION_KEY_ID, INTROSPECTION_JWT_ANSWER, INTROSPECTION_CACHE_TTL, INTROSPECTION_NEGATIVE_TTL,
      INTROSPECTION_TIMEOUT), UserLookupSettings.KEYS, SharedCacheSettings.KEYS, BindingSettings.KEYS);

  /** The prefix of per-issuer blocks: {@code issuers.<name>.url} and {@code issuers.<name>.<key>}. */
  public static final String ISSUER_BLOCKS = "issuers.";

  /** The key families, {@code <name>} standing for a name the user chooses (a rule) or a profile field. */
  public static final List<ConfigKey<?>> KEY_FAMILIES = List.of(
      ConfigKey.list("rule.<name>.paths", null, "Path patterns the rule covers (required)."),
      ConfigKey.list("rule.<name>.methods", null, "HTTP methods the rule covers; all by default; GET also covers HEAD."),
      ConfigKey.list("rule.<name>.permissions", null, "Permissions the rule requires (required)."),
      ConfigKey.choice("rule.<name>.match", "all", List.of("all", "any"), "all or any of the permissions."),
      ConfigKey.text("user-lookup.field.<name>", null, "Field expression overriding the preset's for one profile field (" + String.join(", ", UserLookupSettings.FIELDS) + ")."),
      ConfigKey.text(ISSUER_BLOCKS + "<name>.url", null, "An issuer with settings of its own: its URL (required in the block); the token's iss must equal it exactly."),
      ConfigKey.text(ISSUER_BLOCKS + "<name>.<key>", null, "A per-issuer key for this issuer only (marked * in this table); unset, it takes the top-level value, except secrets and credentials (hmac-secret, introspection client and key) and user-lookup.*, which a block has of its own or not at all."));

  /**
   * The members of an {@code issuers.<name>.*} block: its {@code url} and every per-issuer key
   * ({@link ConfigKey#isPerIssuer()}). A member not set takes the top-level key's value, except the user lookup's
   * keys: a block's user lookup is its own.
   */
  public static final List<ConfigKey<?>> ISSUER_BLOCK_KEYS = issuerBlockKeys();

  private static final Map<String, ConfigKey<?>> KEYS_BY_NAME = indexKeys();

  private final KeyValues values;
  // derived once from the values: read on every request
  private final List<String> issuers;
  private final Map<String, IssuerSettings> issuerSettings;
  private final Set<String> audiences;
  private final Set<JWSAlgorithm> algorithms;
  private final Set<String> tokenTypes;
  private final List<PathRule> rules;
  private final UserLookupSettings userLookup;
  private final SharedCacheSettings sharedCache;
  private final BindingSettings binding;
  private final Clock clock;

  private TokenGuardConfig(Builder b, KeyValues values, Map<String, IssuerSettings> issuerSettings,
      Set<JWSAlgorithm> algorithms, UserLookupSettings userLookup) {
    this.values = values;
    this.issuerSettings = Collections.unmodifiableMap(new LinkedHashMap<>(issuerSettings));
    this.issuers = List.copyOf(issuerSettings.keySet());
    this.audiences = Collections.unmodifiableSet(new LinkedHashSet<>(values.get(AUDIENCE)));
    this.algorithms = Collections.unmodifiableSet(new LinkedHashSet<>(algorithms));
    this.tokenTypes = Collections.unmodifiableSet(new LinkedHashSet<>(values.get(TOKEN_TYPES)));
    this.rules = List.copyOf(b.rules.values());
    this.userLookup = userLookup;
    this.sharedCache = SharedCacheSettings.of(values);
    this.binding = BindingSettings.of(values);
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
  private static List<ConfigKey<?>> concat(List<? extends ConfigKey<?>>... parts) {
    List<ConfigKey<?>> all = new ArrayList<>();
    for (List<? extends ConfigKey<?>> part : parts) {
      all.addAll(part);
    }
    return List.copyOf(all);
  }

  private static List<ConfigKey<?>> issuerBlockKeys() {
    String prefix = ISSUER_BLOCKS + "<name>.";
    List<ConfigKey<?>> out = new ArrayList<>();
    out.add(ConfigKey.text(prefix + "url", null, "The issuer URL; the token's iss must equal it exactly. Required."));
    for (ConfigKey<?> k : KEYS) {
      if (k.isPerIssuer()) {
        out.add(k.inFamily(prefix, k.description() + (!k.isInherited()
            ? " For this issuer only (never taken from the top level)." : " For this issuer; default: the top-level " + k.name() + ".")));
      }
    }
    out.add(ConfigKey.text(prefix + "user-lookup.field.<name>", null, "Field expression of this issuer's own user lookup."));
    return List.copyOf(out);
  }

  private static Map<String, ConfigKey<?>> indexKeys() {
    Map<String, ConfigKey<?>> m = new LinkedHashMap<>();
    for (ConfigKey<?> k : KEYS) {
      m.put(k.name(), k);
    }
    return Collections.unmodifiableMap(m);
  }

  private static List<String> distinctNotBlank(String key, List<String> values) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      if (v.isBlank()) {
        throw new TokenGuardConfigException(key, "must not be blank");
      }
      if (!out.contains(v.trim())) {
        out.add(v.trim());
      }
    }
    return List.copyOf(out);
  }

  /** The UTF-8 bytes of {@code secret}, or, when it starts with {@code base64:}, the bytes it encodes (standard or URL alphabet). */
  static byte[] secretBytes(String key, String secret) {
    if (!secret.startsWith("base64:")) {
      return secret.getBytes(StandardCharsets.UTF_8);
    }
    String encoded = secret.substring("base64:".length()).trim();
    try {
      return encoded.indexOf('-') >= 0 || encoded.indexOf('_') >= 0
          ? java.util.Base64.getUrlDecoder().decode(encoded) : java.util.Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new TokenGuardConfigException(key, "the value after base64: is not valid base64");
    }
  }

  /**
   * The value of any key of {@link #KEYS}: as configured, else its default (for a key whose default depends on other
   * keys, the value computed from them).
   */
  @SuppressWarnings("unchecked")
  public <T> T get(ConfigKey<T> key) {
    T v = values.get(key);
    return v instanceof byte[] bytes ? (T) bytes.clone() : v;
  }

  /** Trusted issuers, in configured order: those of {@code issuer}, then those of the {@code issuers.<name>} blocks. */
  public List<String> issuers() { return issuers; }

  /** What is decided per issuer for {@code issuer} (one of {@link #issuers()}), or {@code null} for any other. */
  public IssuerSettings issuer(String issuer) { return issuerSettings.get(issuer); }

  /** The JWKS URL configured for an issuer, or {@code null} when it is discovered. */
  public URI jwksUri(String issuer) {
    IssuerSettings s = issuerSettings.get(issuer);
    return s == null ? null : s.jwksUri();
  }

  /** Accepted audiences (any-of); empty means the audience is not checked. */
  public Set<String> audiences() { return audiences; }

  /** Accepted JWS algorithms. */
  public Set<JWSAlgorithm> algorithms() { return algorithms; }

  /** The HMAC secret, or {@code null}. A copy: the caller may clear it. */
  public byte[] hmacSecret() { return get(HMAC_SECRET); }

  /** Accepted {@code typ} values, normalised to lower case without {@code application/}; {@code ""} = no typ. */
  public Set<String> tokenTypes() { return tokenTypes; }

  /** Allowed clock difference. */
  public Duration clockSkew() { return values.get(CLOCK_SKEW); }

  /** Claims that must be present and not null. */
  public List<String> requiredClaims() { return values.get(REQUIRED_CLAIMS); }

  /** The claim used as principal name. */
  public String principalClaim() { return values.get(PRINCIPAL_CLAIM); }

  /** Claim paths read as permissions. */
  public List<String> permissionsClaims() { return values.get(PERMISSIONS_CLAIMS); }

  /** Claim paths read as roles. */
  public List<String> rolesClaims() { return values.get(ROLES_CLAIMS); }

  /** Patterns of paths served without a token. */
  public List<PathPattern> publicPaths() { return values.get(PUBLIC_PATHS); }

  /** The realm of challenges, or {@code null}. */
  public String realm() { return values.get(REALM); }

  /** Whether the {@code access_token} query parameter is read. */
  public boolean allowQueryToken() { return values.get(ALLOW_QUERY_TOKEN); }

  /** Whether role checks also match permissions. */
  public boolean permissionsAsRoles() { return values.get(PERMISSIONS_AS_ROLES); }

  /** Whether rules match paths regardless of case ({@code paths.case-insensitive}); public paths never do. */
  public boolean pathsCaseInsensitive() { return values.get(PATHS_CASE_INSENSITIVE); }

  /** Whether CORS preflights pass without a token ({@code cors-preflight=pass}). */
  public boolean corsPreflightPasses() { return values.get(CORS_PREFLIGHT).equals("pass"); }

  /** Whether signatures are checked by the JVM's installed providers only ({@code signature-engines=jdk}). */
  public boolean jdkSignatureEnginesOnly() { return values.get(SIGNATURE_ENGINES).equals("jdk"); }

  /** Largest accepted token in bytes. */
  public int maxTokenSize() { return values.get(MAX_TOKEN_SIZE); }

  /** How long a fetched JWKS is fresh. */
  public Duration jwksCacheTtl() { return values.get(JWKS_CACHE_TTL); }

  /** Head start of the background refresh before the TTL runs out. */
  public Duration jwksRefreshAhead() { return values.get(JWKS_REFRESH_AHEAD); }

  /** How long past its TTL the last good JWKS is served while refreshes fail. */
  public Duration jwksStaleIfError() { return values.get(JWKS_STALE_IF_ERROR); }

  /** Minimum interval between JWKS fetches caused by unknown kids or failures. */
  public Duration jwksMinRefetchInterval() { return values.get(JWKS_MIN_REFETCH_INTERVAL); }

  /** Connect and read timeout for JWKS and discovery. */
  public Duration jwksTimeout() { return values.get(JWKS_TIMEOUT); }

  /** Whether verified tokens are cached. */
  public boolean tokenCacheEnabled() { return values.get(TOKEN_CACHE_ENABLED); }

  /** Maximum number of cached verified tokens. */
  public long tokenCacheMaxSize() { return values.get(TOKEN_CACHE_MAX_SIZE); }

  /** Longest reuse of a verified token. */
  public Duration tokenCacheMaxTtl() { return values.get(TOKEN_CACHE_MAX_TTL); }

  /** The configured path rules, ordered by name. */
  public List<PathRule> rules() { return rules; }

  /** The user-lookup settings, when {@code user-lookup.provider} is set. */
  public java.util.Optional<UserLookupSettings> userLookup() { return java.util.Optional.ofNullable(userLookup); }

  /** The shared cache tier ({@code cache.redis.*}), when {@code cache.redis.uri} is set. */
  public java.util.Optional<SharedCacheSettings> sharedCache() { return java.util.Optional.ofNullable(sharedCache); }

  /** Sender-constrained tokens: DPoP proofs ({@code dpop.*}) and client certificates ({@code mtls.*}). */
  public BindingSettings binding() { return binding; }

  /** The clock every time check uses (the system UTC clock unless a test sets one). */
  public Clock clock() { return clock; }

  /** The configuration as properties, secrets masked; for start-up logs and the CLI. */
  @Override
  public String toString() {
    return "TokenGuardConfig" + describe();
  }

  /**
   * The effective configuration, secrets masked, as key and value: what the start-up log shows, for a host's
   * diagnostics page (the Quarkus Dev UI).
   */
  public Map<String, String> describe() {
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("issuer", String.join(",", issuers));
    issuerSettings.values().stream().filter(i -> i.jwksUri() != null).findAny()
        .ifPresent(any -> shown.put("jwks-uri", issuerSettings.values().stream().map(IssuerSettings::jwksUri).toList().toString()));
    issuerSettings.values().stream().filter(i -> i.name() != null).forEach(i -> shown.put(i.keyPrefix().replaceAll("\\.$", ""), i.toString()));
    shown.put("audience", String.join(",", audiences));
    shown.put("algorithms", algorithms.toString());
    shown.put("hmac-secret", values.isSet(HMAC_SECRET) ? "******" : "");
    shown.put("token-types", tokenTypes.toString());
    shown.put("clock-skew", Durations.format(clockSkew()));
    shown.put("principal-claim", principalClaim());
    shown.put("public-paths", publicPaths().toString());
    shown.put("rules", rules.toString());
    if (pathsCaseInsensitive()) shown.put("paths.case-insensitive", "true");
    if (corsPreflightPasses()) shown.put("cors-preflight", "pass");
    if (userLookup != null) shown.put("user-lookup", userLookup.toString());
    if (sharedCache != null) shown.put("cache.redis", sharedCache.toString());
    List<String> modes = issuers.stream().map(i -> issuer(i).get(BindingSettings.DPOP_MODE)).toList();
    if (modes.stream().anyMatch(m -> !m.equals("off")) || binding.certificateHeader() != null) {
      shown.put("dpop.mode", String.join(",", modes));
      shown.put("sender-binding", binding.toString());
    }
    return java.util.Collections.unmodifiableMap(shown);
  }

  /** Builds a {@link TokenGuardConfig}; each setter checks its argument at once. Not thread-safe. */
  public static final class Builder {
    private final KeyValues values = new KeyValues();
    private final Map<String, PathRule> rules = new TreeMap<>();
    private final Map<String, String> lookupFields = new LinkedHashMap<>();
    private final Map<String, Block> blocks = new TreeMap<>();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

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
        set(key, value);
      }
      ruleAttributes.forEach(this::rule);
      return this;
    }

    /** Sets one key from its string form, as {@link #fromProperties(Map)} does. */
    public Builder set(String key, String value) {
      Objects.requireNonNull(value, key);
      ConfigKey<?> k = KEYS_BY_NAME.get(key);
      if (k != null) {
        values.read(k, value);
      } else if (key.startsWith(UserLookupSettings.FIELD_PREFIX)) {
        lookupFields.put(UserLookupSettings.field(key, key.substring(UserLookupSettings.FIELD_PREFIX.length())), value.trim());
      } else if (key.startsWith(ISSUER_BLOCKS)) {
        setInBlock(key, value);
      } else {
        throw new TokenGuardConfigException(key, "unknown key" + ConfigText.suggestion(key, KEYS_BY_NAME.keySet()) + "; known keys are "
            + KEYS_BY_NAME.keySet() + ", rule.<name>.paths|methods|permissions|match, user-lookup.field.<name> and issuers.<name>.*");
      }
      return this;
    }

    /** The values of one {@code issuers.<name>.*} block. */
    private static final class Block {
      String url;
      final KeyValues values = new KeyValues();
      final Map<String, String> fields = new LinkedHashMap<>();
    }

    private void setInBlock(String key, String value) {
      String rest = key.substring(ISSUER_BLOCKS.length());
      int dot = rest.indexOf('.');
      String name = dot < 0 ? rest : rest.substring(0, dot);
      if (dot <= 0 || !name.chars().allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '_'))) {
        throw new TokenGuardConfigException(key, "expected issuers.<name>.url or issuers.<name>.<key>, the name made of"
            + " letters, digits, - and _");
      }
      String member = rest.substring(dot + 1);
      Block block = blocks.computeIfAbsent(name, n -> new Block());
      if (member.equals("url")) {
        block.url = value.trim();
        return;
      }
      if (member.startsWith(UserLookupSettings.FIELD_PREFIX)) {
        block.fields.put(UserLookupSettings.field(key, member.substring(UserLookupSettings.FIELD_PREFIX.length())), value.trim());
        return;
      }
      ConfigKey<?> k = KEYS_BY_NAME.get(member);
      if (k == null || !k.isPerIssuer()) {
        List<String> members = new ArrayList<>(List.of("url"));
        KEYS.stream().filter(ConfigKey::isPerIssuer).forEach(x -> members.add(x.name()));
        throw new TokenGuardConfigException(key, (k == null ? "unknown key" : "cannot differ per issuer")
            + ConfigText.suggestion(member, members) + "; an issuers.<name> block may set " + members
            + " and user-lookup.field.<name>");
      }
      block.values.read(k, key, value);
    }

    /** Sets {@code key} to {@code value} (checked as if read from text); {@code null} returns it to its default. */
    public <T> Builder set(ConfigKey<T> key, T value) {
      values.put(key, value);
      return this;
    }

    /** Trusted issuers ({@code issuer}); the token's {@code iss} must equal one exactly. Required. */
    public Builder issuer(String... values) {
      return set(ISSUER, List.of(values));
    }

    /** JWKS URLs ({@code jwks-uri}), one per issuer in the same order. Default: discovered. */
    public Builder jwksUri(String... values) {
      return set(JWKS_URI, List.of(values));
    }

    /** Accepted audiences ({@code audience}), any-of. */
    public Builder audience(String... values) {
      return set(AUDIENCE, List.of(values));
    }

    /** Accepted JWS algorithms ({@code algorithms}). */
    public Builder algorithms(String... names) {
      return set(ALGORITHMS, List.of(names));
    }

    /**
     * The HMAC secret ({@code hmac-secret}), at least {@value #MIN_HMAC_SECRET_BYTES} bytes: the UTF-8 bytes of
     * {@code secret}, or, when it starts with {@code base64:}, the bytes it encodes (standard or URL alphabet).
     */
    public Builder hmacSecret(String secret) {
      return set(HMAC_SECRET, secretBytes(HMAC_SECRET.name(), secret));
    }

    /** The HMAC secret ({@code hmac-secret}) as raw bytes, at least {@value #MIN_HMAC_SECRET_BYTES} of them. */
    public Builder hmacSecret(byte[] secret) {
      return set(HMAC_SECRET, secret);
    }

    /** Accepted {@code typ} values ({@code token-types}); {@code none} accepts a header without {@code typ}. */
    public Builder tokenTypes(String... values) {
      return set(TOKEN_TYPES, List.of(values));
    }

    /** Allowed clock difference ({@code clock-skew}, default 60s); at most 10 minutes. */
    public Builder clockSkew(Duration skew) {
      return set(CLOCK_SKEW, skew);
    }

    /** Claims that must be present and not null ({@code required-claims}). */
    public Builder requiredClaims(String... claims) {
      return set(REQUIRED_CLAIMS, List.of(claims));
    }

    /** The claim used as principal name ({@code principal-claim}, default {@code sub}). */
    public Builder principalClaim(String claim) {
      return set(PRINCIPAL_CLAIM, claim);
    }

    /** Claim paths read as permissions ({@code permissions-claims}). */
    public Builder permissionsClaims(String... paths) {
      return set(PERMISSIONS_CLAIMS, List.of(paths));
    }

    /** Claim paths read as roles ({@code roles-claims}). */
    public Builder rolesClaims(String... paths) {
      return set(ROLES_CLAIMS, List.of(paths));
    }

    /** Patterns of paths served without a token ({@code public-paths}). */
    public Builder publicPaths(String... patterns) {
      return set(PUBLIC_PATHS, List.of(patterns).stream().map(p -> ConfigText.pattern(PUBLIC_PATHS.name(), p)).toList());
    }

    /** Realm of the challenge ({@code realm}). */
    public Builder realm(String value) {
      return set(REALM, value);
    }

    /** Whether the {@code access_token} query parameter is read ({@code allow-query-token}, default false). */
    public Builder allowQueryToken(boolean allow) {
      return set(ALLOW_QUERY_TOKEN, allow);
    }

    /** Whether role checks also match permissions ({@code permissions-as-roles}, default false). */
    public Builder permissionsAsRoles(boolean value) {
      return set(PERMISSIONS_AS_ROLES, value);
    }

    /**
     * Whether rules match paths regardless of case ({@code paths.case-insensitive}, default false): set it when
     * the host routes {@code /API/Admin} to the handler of {@code /api/admin} (Express and ASP.NET Core by
     * default, or an upstream of the gateway whose router is unknown). Public paths always match exactly.
     */
    public Builder pathsCaseInsensitive(boolean value) {
      return set(PATHS_CASE_INSENSITIVE, value);
    }

    /** Largest accepted token in bytes ({@code max-token-size}). */
    public Builder maxTokenSize(int bytes) {
      return set(MAX_TOKEN_SIZE, bytes);
    }

    /** Freshness of a fetched JWKS ({@code jwks.cache-ttl}). */
    public Builder jwksCacheTtl(Duration ttl) {
      return set(JWKS_CACHE_TTL, ttl);
    }

    /**
     * Head start of the background refresh ({@code jwks.refresh-ahead}); when not set, 30 s or a tenth of
     * {@code jwks.cache-ttl} if that is shorter.
     */
    public Builder jwksRefreshAhead(Duration ahead) {
      return set(JWKS_REFRESH_AHEAD, ahead);
    }

    /** How long past its TTL the last good JWKS is served while refreshes fail ({@code jwks.stale-if-error}). */
    public Builder jwksStaleIfError(Duration stale) {
      return set(JWKS_STALE_IF_ERROR, stale);
    }

    /** Minimum interval between JWKS fetches for unknown kids and after failures ({@code jwks.min-refetch-interval}). */
    public Builder jwksMinRefetchInterval(Duration interval) {
      return set(JWKS_MIN_REFETCH_INTERVAL, interval);
    }

    /** Connect and read timeout ({@code jwks.timeout}), between 1 ms and 60 s. */
    public Builder jwksTimeout(Duration timeout) {
      return set(JWKS_TIMEOUT, timeout);
    }

    /** Whether verified tokens are cached ({@code token-cache.enabled}). */
    public Builder tokenCacheEnabled(boolean enabled) {
      return set(TOKEN_CACHE_ENABLED, enabled);
    }

    /** Maximum number of cached verified tokens ({@code token-cache.max-size}). */
    public Builder tokenCacheMaxSize(long size) {
      return set(TOKEN_CACHE_MAX_SIZE, size);
    }

    /** Longest reuse of a verified token ({@code token-cache.max-ttl}). */
    public Builder tokenCacheMaxTtl(Duration ttl) {
      return set(TOKEN_CACHE_MAX_TTL, ttl);
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
      List<String> shorthand = values.isSet(ISSUER) ? values.get(ISSUER) : List.of();
      if (shorthand.isEmpty() && blocks.isEmpty()) {
        throw new TokenGuardConfigException("issuer", "is required: set the trusted issuer URL(s), or issuers.<name>.url");
      }
      KeyValues resolved = values.copy();
      Duration ttl = resolved.get(JWKS_CACHE_TTL);
      if (!resolved.isSet(JWKS_REFRESH_AHEAD)) {
        resolved.put(JWKS_REFRESH_AHEAD, Durations.scaledDefault(Duration.ofSeconds(30), ttl, 10));
      }
      if (!resolved.isSet(JWKS_MIN_REFETCH_INTERVAL)) {
        resolved.put(JWKS_MIN_REFETCH_INTERVAL, Durations.scaledDefault(Duration.ofSeconds(30), ttl, 1));
      }
      Duration ahead = resolved.get(JWKS_REFRESH_AHEAD);
      Duration refetch = resolved.get(JWKS_MIN_REFETCH_INTERVAL);
      if (ahead.compareTo(ttl) >= 0) {
        throw new TokenGuardConfigException("jwks.refresh-ahead", "must be shorter than jwks.cache-ttl ("
            + Durations.format(ttl) + "), but was " + Durations.format(ahead));
      }
      if (refetch.compareTo(ttl) > 0) {
        throw new TokenGuardConfigException("jwks.min-refetch-interval", "must not exceed jwks.cache-ttl ("
            + Durations.format(ttl) + "), but was " + Durations.format(refetch));
      }
      List<String> all = new ArrayList<>(shorthand);
      Map<String, String> keyOf = new LinkedHashMap<>();
      shorthand.forEach(u -> keyOf.put(u, "issuer"));
      blocks.forEach((name, block) -> {
        String key = ISSUER_BLOCKS + name + ".url";
        if (block.url == null || block.url.isEmpty()) {
          throw new TokenGuardConfigException(key, "is required: the issuer URL of block " + name);
        }
        if (keyOf.containsKey(block.url)) {
          throw new TokenGuardConfigException(key, "'" + block.url + "' is already configured by " + keyOf.get(block.url));
        }
        keyOf.put(block.url, key);
        all.add(block.url);
      });
      // each block's own settings and user lookup first: the top-level lookup is for the issuers without one
      Map<String, IssuerSettings> blockSettings = new LinkedHashMap<>();
      List<String> withoutOwnLookup = new ArrayList<>(shorthand);
      blocks.forEach((name, block) -> {
        String prefix = ISSUER_BLOCKS + name + ".";
        KeyValues merged = resolved.copy();
        KEYS.stream().filter(k -> k.isPerIssuer() && !k.isInherited()).forEach(merged::remove);
        merged.remove(UserLookupSettings.ISSUER); // a block's lookup is for the block's issuer
        for (ConfigKey<?> k : block.values.keys()) {
          copy(k, block.values, merged);
        }
        UserLookupSettings own = UserLookupSettings.build(prefix, merged, block.fields, List.of(block.url));
        if (own == null) {
          withoutOwnLookup.add(block.url);
        } else if (block.url.equals(resolved.get(UserLookupSettings.ISSUER))) {
          throw new TokenGuardConfigException(UserLookupSettings.ISSUER.name(), "names " + block.url
              + ", which has a user lookup of its own (" + prefix + "user-lookup.*)");
        }
        List<String> blockJwks = block.values.isSet(JWKS_URI) ? block.values.get(JWKS_URI) : null;
        URI jwks = jwksUris(List.of(block.url), blockJwks, prefix, IssuerSettings.usesKeys(merged)).get(0);
        blockSettings.put(block.url, new IssuerSettings(name, block.url, merged.frozen(), jwks, resolveAlgorithms(prefix, merged), own));
      });
      Set<JWSAlgorithm> topAlgorithms = resolveAlgorithms("", resolved);
      UserLookupSettings topLookup = UserLookupSettings.build("", resolved, lookupFields, withoutOwnLookup);
      List<URI> jwksUris = jwksUris(shorthand, resolved.get(JWKS_URI), "", IssuerSettings.usesKeys(resolved));
      KeyValues top = resolved.frozen();
      Map<String, IssuerSettings> issuers = new LinkedHashMap<>();
      for (int i = 0; i < shorthand.size(); i++) {
        String url = shorthand.get(i);
        issuers.put(url, new IssuerSettings(null, url, top, jwksUris.get(i), topAlgorithms,
            topLookup != null && topLookup.issuer().equals(url) ? topLookup : null));
      }
      blockSettings.forEach((url, b) -> issuers.put(url, topLookup != null && topLookup.issuer().equals(url)
          ? b.withUserLookup(topLookup) : b));
      checkTokenFormats(issuers.values());
      return new TokenGuardConfig(this, top, issuers, topAlgorithms, topLookup);
    }

    /** Introspecting issuers have a client; one issuer at most takes tokens that are not JWTs (it cannot be told otherwise). */
    private static void checkTokenFormats(java.util.Collection<IssuerSettings> issuers) {
      IssuerSettings takesOpaque = null;
      for (IssuerSettings i : issuers) {
        String format = i.get(TOKEN_FORMAT);
        if (format.equals("jwt")) {
          continue;
        }
        String protocol = i.get(INTROSPECTION_PROTOCOL);
        String with = " with " + i.keyPrefix() + "token-format=" + format
            + (protocol.equals("rfc7662") ? "" : " and " + i.keyPrefix() + INTROSPECTION_PROTOCOL.name() + "=" + protocol);
        if (!protocol.equals("rfc7662") && i.get(INTROSPECTION_JWT_ANSWER)) {
          throw new TokenGuardConfigException(i.keyPrefix() + INTROSPECTION_JWT_ANSWER.name(), "signed answers (RFC 9701) are"
              + " an RFC 7662 feature; it cannot be set" + with);
        }
        if (protocol.equals("userinfo")) {
          if (!i.audiences().isEmpty()) {
            throw new TokenGuardConfigException(i.keyPrefix() + AUDIENCE.name(), "cannot be checked" + with + ": a userinfo"
                + " answer names no audience (a token the issuer's userinfo accepts is good for any of its applications);"
                + " leave it unset for this issuer, or have the issuer hand out JWTs for your API (Auth0: audience=)");
          }
        } else if (protocol.equals("pangea")) {
          if (i.get(INTROSPECTION_CLIENT_SECRET) == null) {
            throw new TokenGuardConfigException(i.keyPrefix() + INTROSPECTION_CLIENT_SECRET.name(), "is required" + with
                + ": the Pangea service token that may call the token check");
          }
          if (i.get(INTROSPECTION_ENDPOINT) == null) {
            throw new TokenGuardConfigException(i.keyPrefix() + INTROSPECTION_ENDPOINT.name(), "is required" + with
                + ", e.g. https://authn.aws.us.pangea.cloud/v2/client/token/check (Pangea publishes no discovery document)");
          }
        } else {
          if (i.get(INTROSPECTION_CLIENT_ID) == null) {
            throw new TokenGuardConfigException(i.keyPrefix() + INTROSPECTION_CLIENT_ID.name(), "is required" + with
                + ": the introspection endpoint authenticates its callers");
          }
          boolean keyJwt = i.get(INTROSPECTION_AUTH_METHOD).equals("private_key_jwt");
          ConfigKey<?> credential = keyJwt ? INTROSPECTION_PRIVATE_KEY : INTROSPECTION_CLIENT_SECRET;
          if (i.get(credential) == null) {
            throw new TokenGuardConfigException(i.keyPrefix() + credential.name(), "is required" + with + " and "
                + i.keyPrefix() + "introspection.auth-method=" + i.get(INTROSPECTION_AUTH_METHOD));
          }
        }
        if (i.get(INTROSPECTION_ENDPOINT) == null && UrlPolicy.problemWith(i.url()) != null) {
          throw new TokenGuardConfigException(i.keyPrefix() + INTROSPECTION_ENDPOINT.name(), "is required: the issuer "
              + i.url() + " cannot be used for discovery (" + UrlPolicy.problemWith(i.url()) + ")");
        }
        if (takesOpaque != null) {
          throw new TokenGuardConfigException(i.keyPrefix() + TOKEN_FORMAT.name(), "one issuer at most may take tokens"
              + " that are not JWTs (an opaque token names no issuer), but " + takesOpaque.url() + " and " + i.url() + " do");
        }
        takesOpaque = i;
      }
    }

    private static <T> void copy(ConfigKey<T> key, KeyValues from, KeyValues to) {
      to.put(key, from.get(key));
    }

    /**
     * One JWKS URL per issuer ({@code null}: discovered), checking that the issuer can be discovered when none is set
     * and the issuer's keys are used at all ({@code usesKeys}).
     */
    private static List<URI> jwksUris(List<String> issuers, List<String> jwksUriValues, String prefix, boolean usesKeys) {
      List<URI> out = new ArrayList<>();
      if (jwksUriValues == null || jwksUriValues.isEmpty()) {
        for (String issuer : issuers) {
          String problem = usesKeys ? UrlPolicy.problemWith(issuer) : null;
          if (problem != null) {
            throw new TokenGuardConfigException(prefix.isEmpty() ? "issuer" : prefix + "url", problem
                + " (the issuer is used for discovery because " + prefix + "jwks-uri is not set)");
          }
          out.add(null);
        }
        return out;
      }
      if (jwksUriValues.size() != issuers.size()) {
        throw new TokenGuardConfigException(prefix + "jwks-uri", prefix.isEmpty()
            ? "expected one URL per issuer (" + issuers.size() + "), in the same order, but found " + jwksUriValues.size()
            : "expected one URL, but found " + jwksUriValues.size());
      }
      for (String u : jwksUriValues) {
        out.add(URI.create(u));
      }
      return out;
    }

    private static Set<JWSAlgorithm> resolveAlgorithms(String prefix, KeyValues values) {
      Set<JWSAlgorithm> resolvedAlgorithms = new LinkedHashSet<>();
      byte[] hmacSecret = values.get(HMAC_SECRET);
      String key = prefix + ALGORITHMS.name();
      List<String> names = values.get(ALGORITHMS);
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
          throw new TokenGuardConfigException(key, "'none' is never accepted");
        }
        if (HMAC_ALGORITHMS.contains(n)) {
          if (hmacSecret == null) {
            throw new TokenGuardConfigException(key, n + " needs hmac-secret; set it or remove " + n);
          }
          int needed = Integer.parseInt(n.substring(2)) / 8;
          if (hmacSecret.length < needed) {
            throw new TokenGuardConfigException(key, n + " needs an hmac-secret of at least " + needed
                + " bytes, but it has " + hmacSecret.length);
          }
        } else if (!DEFAULT_ALGORITHMS.contains(n)) {
          throw new TokenGuardConfigException(key, "unsupported algorithm '" + n + "'; supported are "
              + DEFAULT_ALGORITHMS + " and, with hmac-secret, " + HMAC_ALGORITHMS);
        }
        resolvedAlgorithms.add(JWSAlgorithm.parse(n));
      }
      return resolvedAlgorithms;
    }

  }
}
