package dev.tokenguard.quarkus;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TokenGuard's configuration: the same keys as every TokenGuard adapter, under {@code quarkus.tokenguard.}. Values
 * are handed to TokenGuard's core unchanged, which checks them at start-up; a bad value stops the application
 * with a message naming the property.
 */
@ConfigMapping(prefix = "quarkus.tokenguard")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface TokenGuardRuntimeConfig {

  /**
   * Trusted issuer URL(s), comma-separated; the token's {@code iss} must equal one exactly. Keys are discovered
   * from each issuer unless {@code jwks-uri} is set.
   */
  List<String> issuer();

  /** JWKS URL(s), one per issuer in the same order. Default: discovered from each issuer. */
  Optional<List<String>> jwksUri();

  /** Accepted audience(s), any-of. Strongly recommended: without it tokens for any API of the issuer pass. */
  Optional<List<String>> audience();

  /**
   * Accepted JWS algorithms. Default: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA,
   * Ed25519, plus HS256/384/512 when {@code hmac-secret} is set and long enough. {@code none} is never accepted.
   */
  Optional<List<String>> algorithms();

  /** Shared secret enabling HMAC-signed tokens: UTF-8 text or {@code base64:<bytes>}, at least 32 bytes. */
  Optional<String> hmacSecret();

  /** Accepted {@code typ} header values, compared case-insensitively; {@code none} accepts a token without {@code typ}. */
  @WithDefault("JWT,at+jwt,none")
  List<String> tokenTypes();

  /** Allowed clock difference for {@code exp}, {@code nbf} and {@code iat}, such as {@code 60s}. */
  @WithDefault("60s")
  String clockSkew();

  /** Claims that must be present and not null. */
  Optional<List<String>> requiredClaims();

  /** Claim used as the principal name. */
  @WithDefault("sub")
  String principalClaim();

  /** Claim paths read as permissions (arrays or space-separated strings). */
  @WithDefault("permissions,scope,scp")
  List<String> permissionsClaims();

  /** Claim paths read as roles; nested paths such as {@code resource_access.my-client.roles} work. */
  @WithDefault("roles,realm_access.roles,groups")
  List<String> rolesClaims();

  /** Path patterns served without a token, such as {@code /q/health,/public/**}. */
  Optional<List<String>> publicPaths();

  /** The realm of the {@code WWW-Authenticate} challenge. */
  Optional<String> realm();

  /** Also accept the token from the {@code access_token} query parameter (RFC 6750 §2.3). */
  @WithDefault("false")
  boolean allowQueryToken();

  /** Role checks ({@code @RolesAllowed}) also match permissions. */
  @WithDefault("false")
  boolean permissionsAsRoles();

  /** Largest accepted token in bytes. */
  @WithDefault("16384")
  int maxTokenSize();

  /** How request paths are matched ({@code quarkus.tokenguard.paths.*}). */
  Paths paths();

  /** {@code quarkus.tokenguard.paths.*}. */
  interface Paths {
    /**
     * Rules match paths regardless of case, for hosts that route case-insensitively; public paths stay exact.
     * Quarkus REST and Vert.x Web route case-sensitively, so this is for applications that do not.
     */
    @WithDefault("false")
    boolean caseInsensitive();
  }

  /** JWKS cache behaviour. */
  Jwks jwks();

  /** Verified-token cache. */
  TokenCache tokenCache();

  /** The caller's profile from the identity provider's user API. */
  UserLookup userLookup();

  /** The optional shared cache tier ({@code quarkus.tokenguard.cache.redis.*}). */
  Cache cache();

  /** Path rules by name: {@code quarkus.tokenguard.rule.<name>.paths|methods|permissions|match}. */
  Map<String, Rule> rule();

  /** {@code quarkus.tokenguard.jwks.*}. */
  interface Jwks {
    /** How long a fetched JWKS is fresh. */
    @WithDefault("5m")
    String cacheTtl();

    /** A background refresh starts this long before the TTL ends; default 30s, or a tenth of the TTL when shorter. */
    Optional<String> refreshAhead();

    /** The last good keys keep serving this long past the TTL while refreshes fail. */
    @WithDefault("30m")
    String staleIfError();

    /**
     * At most one JWKS fetch per this interval for unknown key ids and after failures; default 30s, or the TTL when
     * shorter.
     */
    Optional<String> minRefetchInterval();

    /** Connect and whole-answer timeout of JWKS and discovery requests. */
    @WithDefault("5s")
    String timeout();
  }

  /** {@code quarkus.tokenguard.cache.*}. */
  interface Cache {
    /** The Redis tier shared by every node. */
    Redis redis();

    /** {@code quarkus.tokenguard.cache.redis.*}. */
    interface Redis {
      /** Redis server shared by all nodes (redis:// or rediss://); setting it turns the shared tier on. */
      Optional<String> uri();

      /** Prefix of every Redis key and channel; nodes of one application share it. */
      @WithDefault("tokenguard:")
      String prefix();

      /** Connect and read timeout of one Redis command. */
      @WithDefault("250ms")
      String timeout();

      /** How long a node waits for another node's user-API call for the same user before calling itself. */
      @WithDefault("2s")
      String lockWait();

      /** After a Redis failure, nodes cache on their own for this long before asking Redis again. */
      @WithDefault("5s")
      String outageBackoff();

      /** How long a published revocation is enforced; at least the longest token lifetime. */
      @WithDefault("1d")
      String revocationTtl();
    }
  }

  /** {@code quarkus.tokenguard.token-cache.*}. */
  interface TokenCache {
    /** Reuse the result of validating the same token. */
    @WithDefault("true")
    boolean enabled();

    /** Most verified tokens kept in memory. */
    @WithDefault("10000")
    long maxSize();

    /** Longest reuse of a verified token; never past its {@code exp}. */
    @WithDefault("5m")
    String maxTtl();
  }

  /** {@code quarkus.tokenguard.rule.<name>.*}. */
  interface Rule {
    /** Path patterns the rule covers. */
    List<String> paths();

    /** HTTP methods the rule covers; all when absent. */
    Optional<List<String>> methods();

    /** Permissions required. */
    List<String> permissions();

    /** {@code all} (default) or {@code any} of the permissions. */
    @WithDefault("all")
    String match();
  }

  /** {@code quarkus.tokenguard.user-lookup.*}. */
  interface UserLookup {
    /** auth0, logto, authress, pangea, guardhouse, keycloak, userinfo or generic; none by default. */
    Optional<String> provider();

    /** The issuer whose tokens are looked up: the only issuer by default; required with several. */
    Optional<String> issuer();

    /** The provider's API base URL; keycloak and userinfo default to the issuer. */
    Optional<String> baseUrl();

    /** Client-credentials token endpoint; derived from base-url for presets. */
    Optional<String> tokenUrl();

    /** Client id for the management API. */
    Optional<String> clientId();

    /** Client secret for the management API. */
    Optional<String> clientSecret();

    /** Static API token (pangea, or generic with credential=static). */
    Optional<String> apiToken();

    /** Authress service-client access key. */
    Optional<String> accessKey();

    /** Audience requested with client credentials. */
    Optional<String> audience();

    /** Resource indicator requested with client credentials. */
    Optional<String> resource();

    /** Scope requested with client credentials. */
    Optional<String> scope();

    /** client_secret_post or client_secret_basic. */
    Optional<String> authMethod();

    /** Authress resource URI whose roles and permissions are read. */
    Optional<String> resourceUri();

    /** Also fetch roles with extra calls (default true for keycloak and logto). */
    Optional<Boolean> roles();

    /** Also fetch permissions with extra calls. */
    Optional<Boolean> permissions();

    /** Auth0: keep permissions of this API; default the first audience. */
    Optional<String> permissionsAudience();

    /** URL template of the user request, with {sub} and {base-url}; required for generic. */
    Optional<String> userUrl();

    /** GET or POST. */
    Optional<String> method();

    /** JSON body template of a POST user request, with {sub}. */
    Optional<String> body();

    /** generic: client-credentials, static, user-token or none. */
    Optional<String> credential();

    /** Status values that mean blocked. */
    Optional<List<String>> blockedStatuses();

    /** How long a profile is used without asking again. */
    @WithDefault("5m")
    String cacheTtl();

    /** A background refresh starts this long before cache-ttl ends; default 30s, or a tenth of cache-ttl when shorter. */
    Optional<String> refreshAhead();

    /** A cached profile keeps serving this long past its TTL while the API fails. */
    @WithDefault("1h")
    String staleIfError();

    /** How long a 404 (user gone) is remembered. */
    @WithDefault("1m")
    String notFoundTtl();

    /** After a failed lookup the same user is not asked again for this long. */
    @WithDefault("5s")
    String failureBackoff();

    /** Connect and read timeout of one user-API call. */
    @WithDefault("5s")
    String timeout();

    /** Retries on 408, 429 and 5xx. */
    @WithDefault("3")
    int maxRetries();

    /** fail-closed (503) or fail-open (no profile) when the API fails and nothing is cached. */
    @WithDefault("fail-closed")
    String onFailure();

    /** Answer 401 for a blocked, suspended or disabled user. */
    @WithDefault("true")
    boolean rejectBlocked();

    /** Add the profile's roles and permissions to the principal's. */
    @WithDefault("true")
    boolean mergeAuthorities();

    /** Field expression overrides by profile field name: {@code quarkus.tokenguard.user-lookup.field.email=mail}. */
    Map<String, String> field();
  }
}
