package dev.tokenguard;

import com.nimbusds.jose.JWSAlgorithm;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything that is decided per issuer once a token's {@code iss} has chosen it: keys, audience, algorithms,
 * token types, clock skew, claim paths, and the user lookup that knows this issuer's subjects. An issuer of the
 * one-issuer shorthand ({@code issuer=...}) has the top-level values; an {@code issuers.<name>.*} block has its own
 * values over them, except the user lookup, which a block never inherits (a user API knows one issuer's subjects,
 * and another provider's credentials must not be sent to it).
 */
public final class IssuerSettings {
  private final String name;
  private final String url;
  private final KeyValues values;
  private final URI jwksUri;
  private final Set<String> audiences;
  private final Set<JWSAlgorithm> algorithms;
  private final Set<String> tokenTypes;
  private final UserLookupSettings userLookup;

  IssuerSettings(String name, String url, KeyValues values, URI jwksUri, Set<JWSAlgorithm> algorithms,
      UserLookupSettings userLookup) {
    this.name = name;
    this.url = url;
    this.values = values;
    this.jwksUri = jwksUri;
    this.audiences = Collections.unmodifiableSet(new LinkedHashSet<>(values.get(TokenGuardConfig.AUDIENCE)));
    this.algorithms = Collections.unmodifiableSet(new LinkedHashSet<>(algorithms));
    this.tokenTypes = Collections.unmodifiableSet(new LinkedHashSet<>(values.get(TokenGuardConfig.TOKEN_TYPES)));
    this.userLookup = userLookup;
  }

  /** These settings with {@code lookup} as the issuer's user lookup (the top-level one, named by {@code user-lookup.issuer}). */
  IssuerSettings withUserLookup(UserLookupSettings lookup) {
    return new IssuerSettings(name, url, values, jwksUri, algorithms, lookup);
  }

  /** The block's name ({@code issuers.<name>.*}), or {@code null} for an issuer of the {@code issuer} shorthand. */
  public String name() { return name; }

  /** The issuer URL; a token's {@code iss} must equal it exactly. */
  public String url() { return url; }

  /** The key prefix that configures this issuer, for messages: {@code issuers.kc.} or {@code ""}. */
  public String keyPrefix() { return name == null ? "" : TokenGuardConfig.ISSUER_BLOCKS + name + "."; }

  /** The value of a per-issuer key ({@link ConfigKey#isPerIssuer()}) for this issuer, or of any top-level key. */
  @SuppressWarnings("unchecked")
  public <T> T get(ConfigKey<T> key) {
    T v = values.get(key);
    return v instanceof byte[] bytes ? (T) bytes.clone() : v;
  }

  /** The configured JWKS URL, or {@code null} when it is discovered from the issuer. */
  public URI jwksUri() { return jwksUri; }

  /** Accepted audiences (any-of); empty means the audience is not checked. */
  public Set<String> audiences() { return audiences; }

  /** Accepted JWS algorithms. */
  public Set<JWSAlgorithm> algorithms() { return algorithms; }

  /** Accepted {@code typ} values, normalised to lower case without {@code application/}; {@code ""} = no typ. */
  public Set<String> tokenTypes() { return tokenTypes; }

  /** The HMAC secret, or {@code null}. A copy. */
  public byte[] hmacSecret() { return get(TokenGuardConfig.HMAC_SECRET); }

  /** Allowed clock difference. */
  public Duration clockSkew() { return values.get(TokenGuardConfig.CLOCK_SKEW); }

  /** The longest accepted age of a token ({@code max-token-age}), or {@code null} when not checked. */
  public Duration maxTokenAge() { return values.get(TokenGuardConfig.MAX_TOKEN_AGE); }

  /** Claims that must be present and not null. */
  public List<String> requiredClaims() { return values.get(TokenGuardConfig.REQUIRED_CLAIMS); }

  /** The claim used as principal name. */
  public String principalClaim() { return values.get(TokenGuardConfig.PRINCIPAL_CLAIM); }

  /** Claim paths read as permissions. */
  public List<String> permissionsClaims() { return values.get(TokenGuardConfig.PERMISSIONS_CLAIMS); }

  /** Claim paths read as roles. */
  public List<String> rolesClaims() { return values.get(TokenGuardConfig.ROLES_CLAIMS); }

  /** {@code token-format}: {@code jwt}, {@code opaque} or {@code auto}. */
  public String tokenFormat() { return values.get(TokenGuardConfig.TOKEN_FORMAT); }

  /**
   * Whether TokenGuard verifies signatures with this issuer's keys: its JWTs ({@code token-format} jwt or auto) or its
   * signed introspection answers ({@code introspection.jwt-answer}). An issuer that needs none (reference tokens
   * only) needs no JWKS nor discovery of one, and has no JWKS health check.
   */
  public boolean usesKeys() { return usesKeys(values); }

  static boolean usesKeys(KeyValues values) {
    return !values.get(TokenGuardConfig.TOKEN_FORMAT).equals("opaque") || values.get(TokenGuardConfig.INTROSPECTION_JWT_ANSWER);
  }

  /** The user lookup of this issuer's subjects, when one is configured for it. */
  public Optional<UserLookupSettings> userLookup() { return Optional.ofNullable(userLookup); }

  @Override
  public String toString() {
    return (name == null ? "" : name + "=") + url + (jwksUri == null ? "" : " jwks=" + jwksUri) + " aud=" + audiences
        + (userLookup == null ? "" : " " + userLookup);
  }
}
