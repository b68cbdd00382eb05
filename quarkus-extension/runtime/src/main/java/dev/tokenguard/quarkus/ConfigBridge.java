package dev.tokenguard.quarkus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link TokenGuardRuntimeConfig} as core configuration keys; nothing is added or changed on the way. */
final class ConfigBridge {
  static final String PREFIX = "quarkus.tokenguard.";

  private ConfigBridge() {}

  static Map<String, String> toProperties(TokenGuardRuntimeConfig c) {
    Map<String, String> p = new LinkedHashMap<>();
    put(p, "issuer", c.issuer());
    put(p, "jwks-uri", c.jwksUri());
    put(p, "audience", c.audience());
    put(p, "algorithms", c.algorithms());
    put(p, "hmac-secret", c.hmacSecret());
    put(p, "token-types", c.tokenTypes());
    put(p, "clock-skew", c.clockSkew());
    put(p, "required-claims", c.requiredClaims());
    put(p, "principal-claim", c.principalClaim());
    put(p, "permissions-claims", c.permissionsClaims());
    put(p, "roles-claims", c.rolesClaims());
    put(p, "public-paths", c.publicPaths());
    put(p, "realm", c.realm());
    put(p, "allow-query-token", c.allowQueryToken());
    put(p, "permissions-as-roles", c.permissionsAsRoles());
    put(p, "paths.case-insensitive", c.paths().caseInsensitive());
    put(p, "max-token-size", c.maxTokenSize());
    put(p, "jwks.cache-ttl", c.jwks().cacheTtl());
    put(p, "jwks.refresh-ahead", c.jwks().refreshAhead());
    put(p, "jwks.stale-if-error", c.jwks().staleIfError());
    put(p, "jwks.min-refetch-interval", c.jwks().minRefetchInterval());
    put(p, "jwks.timeout", c.jwks().timeout());
    put(p, "token-cache.enabled", c.tokenCache().enabled());
    put(p, "token-cache.max-size", c.tokenCache().maxSize());
    put(p, "token-cache.max-ttl", c.tokenCache().maxTtl());
    TokenGuardRuntimeConfig.Cache.Redis redis = c.cache().redis();
    put(p, "cache.redis.uri", redis.uri());
    put(p, "cache.redis.prefix", redis.prefix());
    put(p, "cache.redis.timeout", redis.timeout());
    put(p, "cache.redis.lock-wait", redis.lockWait());
    put(p, "cache.redis.outage-backoff", redis.outageBackoff());
    put(p, "cache.redis.revocation-ttl", redis.revocationTtl());
    TokenGuardRuntimeConfig.UserLookup u = c.userLookup();
    String l = "user-lookup.";
    put(p, l + "provider", u.provider());
    put(p, l + "base-url", u.baseUrl());
    put(p, l + "token-url", u.tokenUrl());
    put(p, l + "client-id", u.clientId());
    put(p, l + "client-secret", u.clientSecret());
    put(p, l + "api-token", u.apiToken());
    put(p, l + "access-key", u.accessKey());
    put(p, l + "audience", u.audience());
    put(p, l + "resource", u.resource());
    put(p, l + "scope", u.scope());
    put(p, l + "auth-method", u.authMethod());
    put(p, l + "resource-uri", u.resourceUri());
    put(p, l + "roles", u.roles());
    put(p, l + "permissions", u.permissions());
    put(p, l + "permissions-audience", u.permissionsAudience());
    put(p, l + "user-url", u.userUrl());
    put(p, l + "method", u.method());
    put(p, l + "body", u.body());
    put(p, l + "credential", u.credential());
    put(p, l + "blocked-statuses", u.blockedStatuses());
    put(p, l + "cache-ttl", u.cacheTtl());
    put(p, l + "refresh-ahead", u.refreshAhead());
    put(p, l + "stale-if-error", u.staleIfError());
    put(p, l + "not-found-ttl", u.notFoundTtl());
    put(p, l + "failure-backoff", u.failureBackoff());
    put(p, l + "timeout", u.timeout());
    put(p, l + "max-retries", u.maxRetries());
    put(p, l + "on-failure", u.onFailure());
    put(p, l + "reject-blocked", u.rejectBlocked());
    put(p, l + "merge-authorities", u.mergeAuthorities());
    u.field().forEach((name, expression) -> put(p, l + "field." + name, expression));
    c.rule().forEach((name, r) -> {
      put(p, "rule." + name + ".paths", r.paths());
      put(p, "rule." + name + ".methods", r.methods());
      put(p, "rule." + name + ".permissions", r.permissions());
      put(p, "rule." + name + ".match", r.match());
    });
    return p;
  }

  private static void put(Map<String, String> p, String key, Object value) {
    Object v = value instanceof Optional<?> o ? o.orElse(null) : value;
    if (v instanceof List<?> list) {
      if (!list.isEmpty()) {
        p.put(key, String.join(",", list.stream().map(String::valueOf).toList()));
      }
    } else if (v != null) {
      p.put(key, String.valueOf(v));
    }
  }
}
