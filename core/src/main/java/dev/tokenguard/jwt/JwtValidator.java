package dev.tokenguard.jwt;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.TokenCheck;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenGuardException;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.TokenValidator;
import dev.tokenguard.jwks.JwksCache;
import dev.tokenguard.jwks.KeySet;
import dev.tokenguard.jwks.VerificationKey;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a JWT access token in named steps, in this order: {@code parse} (size, strict base64url, three
 * parts), {@code header} (algorithm, type, critical parameters), {@code issuer} (exact match before any key is
 * fetched), {@code signature} (key from the issuer's JWKS or the HMAC secret; Nimbus does the cryptography),
 * {@code claims} (exp, nbf, iat, aud, required claims, principal claim), {@code principal}, then the
 * application's own {@link TokenCheck}s.
 *
 * <p>Every failure is an {@link InvalidTokenException} or a {@link dev.tokenguard.TokenServiceException};
 * an unexpected runtime exception from a library is translated here, the one place that does so.
 * Thread-safe.
 */
public final class JwtValidator implements TokenValidator {
  private static final System.Logger LOG = System.getLogger(JwtValidator.class.getName());

  private final TokenGuardConfig config;
  private final JwksCache jwks;
  private final JwsVerification jws;
  private final List<TokenCheck> extraChecks;

  /**
   * @param config the configuration
   * @param jwks the keys of the configured issuers
   * @param extraChecks the application's own checks, run after every built-in one
   */
  public JwtValidator(TokenGuardConfig config, JwksCache jwks, List<TokenCheck> extraChecks) {
    this.config = config;
    this.jwks = jwks;
    this.jws = new JwsVerification(config.algorithms(), config.tokenTypes(), config.hmacSecret());
    this.extraChecks = List.copyOf(extraChecks);
  }

  @Override
  public TokenPrincipal validate(String token) {
    return verify(token).principal();
  }

  /** Like {@link #validate(String)}, also naming the key that verified the token. */
  public VerifiedToken verify(String token) {
    try {
      CompactJws compact = CompactJws.parse(token, config.maxTokenSize());
      JWSHeader header = jws.checkedHeader(compact);
      Map<String, Object> claims = claims(compact);
      String issuer = ClaimChecks.issuer(claims, config.issuers());
      VerificationKey key = jws.verifySignature(compact, header, keySource(issuer));
      Instant expiresAt = checkClaims(claims);
      TokenPrincipal principal = principal(claims, issuer, expiresAt);
      for (TokenCheck check : extraChecks) {
        check.check(principal);
      }
      return new VerifiedToken(principal, key == null ? null : key.thumbprint());
    } catch (TokenGuardException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "unexpected failure while validating a token", e);
      throw new InvalidTokenException("the token could not be processed");
    }
  }

  private static Map<String, Object> claims(CompactJws compact) {
    try {
      return JSONObjectUtils.parse(compact.payloadText());
    } catch (ParseException e) {
      throw new InvalidTokenException("the payload is not a JSON object of claims");
    }
  }

  private JwsVerification.KeySource keySource(String issuer) {
    return new JwsVerification.KeySource() {
      @Override
      public KeySet keys() {
        return jwks.keys(issuer);
      }

      @Override
      public KeySet refetch(KeySet seen) {
        return jwks.refetchForUnknownKey(issuer, seen);
      }
    };
  }

  private Instant checkClaims(Map<String, Object> claims) {
    Instant now = config.clock().instant();
    Instant exp = ClaimChecks.notExpired(claims, now, config.clockSkew());
    ClaimChecks.notBefore(claims, now, config.clockSkew());
    ClaimChecks.notIssuedInFuture(claims, now, config.clockSkew());
    ClaimChecks.audience(claims, config.audiences());
    ClaimChecks.optionalString(claims, "sub");
    ClaimChecks.required(claims, config.requiredClaims());
    return exp;
  }

  private TokenPrincipal principal(Map<String, Object> claims, String issuer, Instant expiresAt) {
    String name = ClaimChecks.requiredString(claims, config.principalClaim());
    List<String> audiences = ClaimChecks.audiences(claims);
    Set<String> scopes = ClaimPaths.strings(claims, List.of("scope", "scp"));
    Set<String> permissions = ClaimPaths.strings(claims, config.permissionsClaims());
    Set<String> roles = ClaimPaths.strings(claims, config.rolesClaims());
    return new TokenPrincipal(name, (String) claims.get("sub"), issuer, audiences, scopes, permissions, roles,
        claims, expiresAt, null);
  }
}
