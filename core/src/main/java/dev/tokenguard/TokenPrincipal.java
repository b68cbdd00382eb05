package dev.tokenguard;

import java.io.Serializable;
import java.security.Principal;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The authenticated caller, built from a verified token: what every adapter injects into the request
 * ({@code getUserPrincipal()}, Spring's {@code Authentication}, Quarkus' {@code SecurityIdentity}).
 *
 * <p>Immutable. {@link #getName()} is the value of the configured {@code principal-claim} (default
 * {@code sub}). Scopes come from {@code scope}/{@code scp}; permissions and roles from the configured claim
 * paths. {@link #claims()} holds every claim of the token as JSON values (maps, lists, strings, numbers,
 * booleans).
 */
public final class TokenPrincipal implements Principal, Serializable {
  private static final long serialVersionUID = 1L;

  /** The name under which every adapter also stores the principal (request attribute, identity attribute). */
  public static final String ATTRIBUTE = "dev.tokenguard.principal";

  private final String name;
  private final String subject;
  private final String issuer;
  private final List<String> audiences;
  // Read from the claims when first asked for (a validation whose caller nobody asks about its roles skips the work).
  // Each is an immutable set, so a thread that sees one sees it whole; two threads may both compute it, equally.
  private Set<String> scopes;
  private Set<String> permissions;
  private Set<String> roles;
  private final transient Authorities authorities;
  private final Map<String, Object> claims;
  private final Instant expiresAt;
  private final UserProfile profile;

  /** How a principal's scopes, permissions and roles are read from its claims (the principal keeps immutable copies). */
  public interface Authorities {
    /** The scopes ({@code scope}/{@code scp}). */
    Set<String> scopes(Map<String, Object> claims);

    /** The permissions (for TokenGuard: the issuer's {@code permissions-claims}). */
    Set<String> permissions(Map<String, Object> claims);

    /** The roles (for TokenGuard: the issuer's {@code roles-claims}). */
    Set<String> roles(Map<String, Object> claims);
  }

  /**
   * @param name the principal name (value of {@code principal-claim})
   * @param subject the {@code sub} claim, or {@code null}
   * @param issuer the {@code iss} claim
   * @param audiences the {@code aud} claim as a list
   * @param scopes scopes from {@code scope}/{@code scp}
   * @param permissions permissions from the configured claim paths
   * @param roles roles from the configured claim paths
   * @param claims every claim of the token
   * @param expiresAt the {@code exp} claim
   * @param profile the looked-up user profile, or {@code null}
   */
  public TokenPrincipal(String name, String subject, String issuer, List<String> audiences, Set<String> scopes,
      Set<String> permissions, Set<String> roles, Map<String, Object> claims, Instant expiresAt, UserProfile profile) {
    this.name = Objects.requireNonNull(name, "name");
    this.subject = subject;
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.audiences = List.copyOf(audiences);
    this.scopes = Set.copyOf(scopes);
    this.permissions = Set.copyOf(permissions);
    this.roles = Set.copyOf(roles);
    this.authorities = null;
    this.claims = frozen(claims);
    this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
    this.profile = profile;
  }

  /**
   * A principal whose scopes, permissions and roles {@code authorities} reads from {@code claims} when they are first
   * asked for; otherwise as above, without a profile.
   */
  public TokenPrincipal(String name, String subject, String issuer, List<String> audiences, Map<String, Object> claims,
      Instant expiresAt, Authorities authorities) {
    this.name = Objects.requireNonNull(name, "name");
    this.subject = subject;
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.audiences = List.copyOf(audiences);
    this.authorities = Objects.requireNonNull(authorities, "authorities");
    this.claims = frozen(claims);
    this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
    this.profile = null;
  }

  /** {@code claims} as they are when TokenGuard's parser made them unmodifiable all the way down, else a copy. */
  private static Map<String, Object> frozen(Map<String, Object> claims) {
    return dev.tokenguard.internal.JsonObjects.isFrozen(claims) ? claims : Collections.unmodifiableMap(new LinkedHashMap<>(claims));
  }

  /** Serialized with its sets read (the way they are read is not serialized). */
  private Object writeReplace() {
    return authorities == null ? this
        : new TokenPrincipal(name, subject, issuer, audiences, scopes(), permissions(), roles(), claims, expiresAt, profile);
  }

  /** The principal name: the value of the configured {@code principal-claim}. */
  @Override
  public String getName() { return name; }

  /** The {@code sub} claim, or {@code null} when the token has none. */
  public String subject() { return subject; }

  /** The {@code iss} claim; one of the configured issuers. */
  public String issuer() { return issuer; }

  /** The {@code aud} claim as a list (a single string becomes a one-element list). */
  public List<String> audiences() { return audiences; }

  /** Scopes from {@code scope} (space-separated) or {@code scp} (string or array). */
  public Set<String> scopes() {
    Set<String> read = scopes;
    if (read == null) {
      scopes = read = Set.copyOf(authorities.scopes(claims));
    }
    return read;
  }

  /** Permissions from the configured {@code permissions-claims}. */
  public Set<String> permissions() {
    Set<String> read = permissions;
    if (read == null) {
      permissions = read = Set.copyOf(authorities.permissions(claims));
    }
    return read;
  }

  /** Roles from the configured {@code roles-claims}. */
  public Set<String> roles() {
    Set<String> read = roles;
    if (read == null) {
      roles = read = Set.copyOf(authorities.roles(claims));
    }
    return read;
  }

  /** Every claim of the token. */
  public Map<String, Object> claims() { return claims; }

  /** One claim, or empty. */
  public Optional<Object> claim(String name) { return Optional.ofNullable(claims.get(name)); }

  /** The {@code exp} claim. */
  public Instant expiresAt() { return expiresAt; }

  /** The looked-up user profile, when user lookup is configured and found one. */
  public Optional<UserProfile> profile() { return Optional.ofNullable(profile); }

  /** How the token is bound to its sender, read from its {@code cnf} claim (RFC 7800). */
  public enum Binding {
    /** Not bound: whoever holds the token may use it. */
    BEARER,
    /** Bound to a DPoP key ({@code cnf.jkt}, RFC 9449); the request proved possession of it. */
    DPOP,
    /** Bound to a TLS client certificate ({@code cnf.x5t#S256}, RFC 8705); the request came with it. */
    CERTIFICATE
  }

  /**
   * How the token is bound to its sender: {@link Binding#DPOP} when its {@code cnf} names a key, else
   * {@link Binding#CERTIFICATE} when it names a certificate, else {@link Binding#BEARER}. A principal TokenGuard lets
   * through has had every binding of its token checked on its request.
   */
  public Binding binding() {
    if (claims.get("cnf") instanceof Map<?, ?> cnf) {
      if (cnf.get("jkt") != null) {
        return Binding.DPOP;
      }
      if (cnf.get("x5t#S256") != null) {
        return Binding.CERTIFICATE;
      }
    }
    return Binding.BEARER;
  }

  /** Whether the principal holds this permission. */
  public boolean hasPermission(String permission) { return permissions().contains(permission); }

  /** Whether the principal holds this role. */
  public boolean hasRole(String role) { return roles().contains(role); }

  /** A copy carrying {@code userProfile}. */
  public TokenPrincipal withProfile(UserProfile userProfile) {
    return withProfile(userProfile, false);
  }

  /**
   * A copy carrying {@code userProfile}; with {@code mergeAuthorities} its roles and permissions are added to
   * the token's own.
   */
  public TokenPrincipal withProfile(UserProfile userProfile, boolean mergeAuthorities) {
    if (!mergeAuthorities || userProfile == null) {
      return new TokenPrincipal(name, subject, issuer, audiences, scopes(), permissions(), roles(), claims, expiresAt, userProfile);
    }
    java.util.Set<String> mergedRoles = new java.util.LinkedHashSet<>(roles());
    mergedRoles.addAll(userProfile.roles());
    java.util.Set<String> mergedPermissions = new java.util.LinkedHashSet<>(permissions());
    mergedPermissions.addAll(userProfile.permissions());
    return new TokenPrincipal(name, subject, issuer, audiences, scopes(), mergedPermissions, mergedRoles, claims, expiresAt,
        userProfile);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenPrincipal p && name.equals(p.name) && issuer.equals(p.issuer) && expiresAt.equals(p.expiresAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, issuer, expiresAt);
  }

  /** Name, issuer and expiry only: never the token or its claims. */
  @Override
  public String toString() {
    return "TokenPrincipal[name=" + name + ", issuer=" + issuer + ", expiresAt=" + expiresAt + "]";
  }
}
