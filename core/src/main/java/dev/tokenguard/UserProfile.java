package dev.tokenguard;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A user's profile as returned by the identity provider's user API, normalised across providers. Filled by
 * the user lookup and reachable through {@link TokenPrincipal#profile()}.
 *
 * @param provider the provider preset that produced it ({@code auth0}, {@code keycloak}, ...)
 * @param id the provider's user id; equals the token's subject
 * @param email the e-mail address, or {@code null}
 * @param emailVerified whether the e-mail is verified; {@code null} when the provider does not say
 * @param name a display name, or {@code null}
 * @param givenName the given name, or {@code null}
 * @param familyName the family name, or {@code null}
 * @param picture a picture URL, or {@code null}
 * @param roles role names
 * @param permissions permission strings
 * @param blocked whether the provider marks the user blocked, suspended or disabled
 * @param status the provider's raw status text, or {@code null}
 * @param lastLogin the last login, or {@code null}
 * @param metadata trusted (administrator-controlled) metadata
 * @param userMetadata user-editable metadata: never use it for authorization
 * @param raw the provider's JSON as maps, lists and scalars
 */
public record UserProfile(
    String provider,
    String id,
    String email,
    Boolean emailVerified,
    String name,
    String givenName,
    String familyName,
    String picture,
    Set<String> roles,
    Set<String> permissions,
    boolean blocked,
    String status,
    Instant lastLogin,
    Map<String, Object> metadata,
    Map<String, Object> userMetadata,
    Map<String, Object> raw) {

  public UserProfile {
    roles = roles == null ? Set.of() : Set.copyOf(roles);
    permissions = permissions == null ? Set.of() : Set.copyOf(permissions);
    metadata = metadata == null ? Map.of() : metadata;
    userMetadata = userMetadata == null ? Map.of() : userMetadata;
    raw = raw == null ? Map.of() : raw;
  }

  /**
   * The profile as JSON members named like the components (roles and permissions sorted, {@code lastLogin} as
   * ISO-8601): what the shared cache tier stores and, without {@code userMetadata} and {@code raw}, what the CLI
   * shows.
   *
   * @param withSourceData whether {@code userMetadata} and {@code raw} are included
   */
  public Map<String, Object> toMap(boolean withSourceData) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("provider", provider);
    m.put("id", id);
    m.put("email", email);
    m.put("emailVerified", emailVerified);
    m.put("name", name);
    m.put("givenName", givenName);
    m.put("familyName", familyName);
    m.put("picture", picture);
    m.put("roles", roles.stream().sorted().toList());
    m.put("permissions", permissions.stream().sorted().toList());
    m.put("blocked", blocked);
    m.put("status", status);
    m.put("lastLogin", lastLogin == null ? null : lastLogin.toString());
    m.put("metadata", metadata);
    if (withSourceData) {
      m.put("userMetadata", userMetadata);
      m.put("raw", raw);
    }
    return m;
  }
}
