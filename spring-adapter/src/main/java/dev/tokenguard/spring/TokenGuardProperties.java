package dev.tokenguard.spring;

import dev.tokenguard.ConfigTree;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code tokenguard.*}: TokenGuard's configuration keys under Spring's prefix, bound from application.yml,
 * environment variables or any other Spring property source. Every key means exactly what it means in the core
 * configuration table (README) and has no default of its own here: {@link #toProperties()} hands the values set
 * to core, which applies its defaults and checks every value.
 *
 * @param issuer trusted issuer URL(s); the token's iss must equal one exactly (required; activates TokenGuard)
 * @param jwksUri JWKS URL(s), one per issuer in the same order (default: discovered)
 * @param audience accepted audience(s), any-of (strongly recommended)
 * @param algorithms accepted JWS algorithms (default: RS, PS, ES families and EdDSA)
 * @param hmacSecret shared secret enabling HMAC-signed tokens, at least 32 bytes (or base64:...)
 * @param tokenTypes accepted typ header values; none = no typ (default: JWT, at+jwt, none)
 * @param clockSkew allowed clock difference for exp, nbf and iat (default: 60s)
 * @param requiredClaims claims that must be present and not null
 * @param principalClaim claim used as the principal name (default: sub)
 * @param permissionsClaims claim paths read as permissions (default: permissions, scope, scp)
 * @param rolesClaims claim paths read as roles (default: roles, realm_access.roles, groups)
 * @param publicPaths path patterns served without a token
 * @param realm realm of the WWW-Authenticate challenge
 * @param allowQueryToken also accept the access_token query parameter (default: false)
 * @param permissionsAsRoles role checks also match permissions (default: false)
 * @param paths how request paths are matched
 * @param maxTokenSize largest accepted token in bytes (default: 16384)
 * @param jwks JWKS cache behaviour
 * @param tokenCache verified-token cache
 * @param userLookup the caller's profile from the identity provider's user API
 * @param cache the optional shared cache tier
 * @param rule path rules by name: paths, methods, permissions, match
 */
@ConfigurationProperties("tokenguard")
public record TokenGuardProperties(
    List<String> issuer,
    List<String> jwksUri,
    List<String> audience,
    List<String> algorithms,
    String hmacSecret,
    List<String> tokenTypes,
    String clockSkew,
    List<String> requiredClaims,
    String principalClaim,
    List<String> permissionsClaims,
    List<String> rolesClaims,
    List<String> publicPaths,
    String realm,
    Boolean allowQueryToken,
    Boolean permissionsAsRoles,
    Paths paths,
    Integer maxTokenSize,
    Jwks jwks,
    TokenCache tokenCache,
    UserLookup userLookup,
    Cache cache,
    Map<String, Rule> rule) {

  /**
   * {@code tokenguard.jwks.*}.
   *
   * @param cacheTtl how long a fetched JWKS is fresh (default: 5m)
   * @param refreshAhead background refresh starts this long before the TTL ends (default: 30s)
   * @param staleIfError last good keys keep serving this long past the TTL while refreshes fail (default: 30m)
   * @param minRefetchInterval at most one fetch per interval for unknown kids and after failures (default: 30s)
   * @param timeout connect and whole-answer timeout of JWKS and discovery requests (default: 5s)
   */
  public record Jwks(String cacheTtl, String refreshAhead, String staleIfError, String minRefetchInterval, String timeout) {}

  /**
   * {@code tokenguard.cache.*}.
   *
   * @param redis the Redis tier shared by every node
   */
  public record Cache(Redis redis) {
    /**
     * {@code tokenguard.cache.redis.*}.
     *
     * @param uri Redis server shared by all nodes (redis:// or rediss://); setting it turns the shared tier on
     * @param prefix prefix of every Redis key and channel; nodes of one application share it (default: tokenguard:)
     * @param timeout connect and read timeout of one Redis command (default: 250ms)
     * @param lockWait how long a node waits for another node's user-API call for the same user (default: 2s)
     * @param outageBackoff after a Redis failure, nodes cache on their own this long before asking again (default: 5s)
     * @param revocationTtl how long a published revocation is enforced (default: 1d)
     */
    public record Redis(String uri, String prefix, String timeout, String lockWait, String outageBackoff, String revocationTtl) {}
  }

  /**
   * {@code tokenguard.paths.*}.
   *
   * @param caseInsensitive rules match paths regardless of case, for hosts that route case-insensitively; public
   *     paths stay exact (default: false)
   */
  public record Paths(Boolean caseInsensitive) {}

  /**
   * {@code tokenguard.token-cache.*}.
   *
   * @param enabled reuse the result of validating the same token (default: true)
   * @param maxSize most verified tokens kept (default: 10000)
   * @param maxTtl longest reuse of a verified token, never past its exp (default: 5m)
   */
  public record TokenCache(Boolean enabled, Long maxSize, String maxTtl) {}

  /**
   * {@code tokenguard.rule.<name>.*}.
   *
   * @param paths path patterns the rule covers
   * @param methods HTTP methods the rule covers (default: all)
   * @param permissions permissions required
   * @param match all or any of the permissions (default: all)
   */
  public record Rule(List<String> paths, List<String> methods, List<String> permissions, String match) {}

  /**
   * {@code tokenguard.user-lookup.*}.
   *
   * @param provider auth0, logto, authress, pangea, guardhouse, keycloak, userinfo or generic
   * @param issuer the issuer whose tokens are looked up (default: the only issuer; required with several)
   * @param baseUrl the provider's API base URL
   * @param tokenUrl client-credentials token endpoint (default: derived from base-url)
   * @param clientId management API client id
   * @param clientSecret management API client secret
   * @param apiToken static API token (pangea, generic)
   * @param accessKey Authress service-client access key
   * @param audience audience requested with client credentials
   * @param resource resource indicator requested with client credentials
   * @param scope scope requested with client credentials
   * @param authMethod client_secret_post or client_secret_basic
   * @param resourceUri Authress resource whose roles and permissions are read
   * @param roles also fetch roles with extra calls
   * @param permissions also fetch permissions with extra calls
   * @param permissionsAudience Auth0: keep permissions of this API (default: the first audience)
   * @param userUrl URL template of the user request ({sub}, {base-url})
   * @param method GET or POST
   * @param body JSON body template of a POST user request
   * @param credential generic: client-credentials, static, user-token or none
   * @param blockedStatuses status values that mean blocked
   * @param cacheTtl how long a profile is used without asking again (default: 5m)
   * @param refreshAhead background refresh starts this long before cache-ttl ends (default: 30s)
   * @param staleIfError a cached profile keeps serving this long past its TTL while the API fails (default: 1h)
   * @param notFoundTtl how long a 404 is remembered (default: 1m)
   * @param failureBackoff after a failure the same user is not asked again for this long (default: 5s)
   * @param timeout connect and read timeout of one call (default: 5s)
   * @param maxRetries retries on 408, 429 and 5xx (default: 3)
   * @param onFailure fail-closed (503) or fail-open (no profile) (default: fail-closed)
   * @param rejectBlocked 401 for blocked, suspended or disabled users (default: true)
   * @param mergeAuthorities add the profile's roles and permissions to the principal's (default: true)
   * @param field field expression overrides by profile field name
   */
  public record UserLookup(String provider, String issuer, String baseUrl, String tokenUrl, String clientId, String clientSecret,
      String apiToken, String accessKey, String audience, String resource, String scope, String authMethod,
      String resourceUri, Boolean roles, Boolean permissions, String permissionsAudience, String userUrl, String method,
      String body, String credential, List<String> blockedStatuses, String cacheTtl, String refreshAhead,
      String staleIfError, String notFoundTtl, String failureBackoff, String timeout, Integer maxRetries,
      String onFailure, Boolean rejectBlocked, Boolean mergeAuthorities, Map<String, String> field) {}

  /** The values set, as core configuration keys ({@code jwks.cache-ttl}, {@code rule.write.paths}, ...). */
  public Map<String, String> toProperties() {
    return ConfigTree.toProperties(TokenGuardProperties.class, this);
  }
}
