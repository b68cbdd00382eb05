package dev.tokenguard.jwt;

import dev.tokenguard.internal.JsonObjects;
import com.nimbusds.jose.JWSHeader;
import dev.tokenguard.Explanation;
import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.IssuerSettings;
import dev.tokenguard.RejectionReason;
import dev.tokenguard.TokenCheck;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenGuardException;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.TokenValidator;
import dev.tokenguard.jwks.JwksCache;
import dev.tokenguard.jwks.KeySet;
import dev.tokenguard.jwks.VerificationKey;
import dev.tokenguard.internal.Echo;
import dev.tokenguard.introspect.Introspector;
import dev.tokenguard.shared.SharedTier;
import dev.tokenguard.observe.Listeners;
import java.text.ParseException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
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
  /** The header as every issuer together accepts it: checked before the payload says which issuer it is. */
  private final JwsVerification anyIssuer;
  private final Map<String, Issuer> issuers = new java.util.HashMap<>();
  private final List<TokenCheck> extraChecks;

  /** The one issuer that takes tokens that are not JWTs ({@code token-format} opaque or auto), or {@code null}. */
  private final Issuer opaque;

  /**
   * An issuer's settings, its own algorithms, token types and HMAC secret, its introspection (or {@code null}), and how
   * its principals' scopes, permissions and roles are read (made once from the settings' claim paths).
   */
  private record Issuer(IssuerSettings settings, JwsVerification jws, Introspector introspector,
      TokenPrincipal.Authorities authorities) {}

  /**
   * @param config the configuration
   * @param jwks the keys of the configured issuers
   * @param extraChecks the application's own checks, run after every built-in one
   */
  public JwtValidator(TokenGuardConfig config, JwksCache jwks, List<TokenCheck> extraChecks) {
    this(config, jwks, extraChecks, Listeners.NONE, null);
  }

  /**
   * As above, telling {@code listeners} of introspection (opaque tokens) and sharing introspection answers through
   * {@code tier} (or {@code null}).
   */
  public JwtValidator(TokenGuardConfig config, JwksCache jwks, List<TokenCheck> extraChecks, Listeners listeners, SharedTier tier) {
    this.config = config;
    this.jwks = jwks;
    Set<com.nimbusds.jose.JWSAlgorithm> algorithms = new java.util.LinkedHashSet<>();
    Set<String> types = new java.util.LinkedHashSet<>();
    Issuer takesOpaque = null;
    for (String url : config.issuers()) {
      IssuerSettings s = config.issuer(url);
      Issuer is = new Issuer(s, new JwsVerification(s.algorithms(), s.tokenTypes(), s.hmacSecret()),
          s.tokenFormat().equals("jwt") ? null : new Introspector(s, config, signedAnswers(s), listeners, tier),
          ClaimPaths.authorities(s.permissionsClaims(), s.rolesClaims()));
      issuers.put(url, is);
      takesOpaque = is.introspector() != null ? is : takesOpaque;
      algorithms.addAll(s.algorithms());
      types.addAll(s.tokenTypes());
    }
    this.opaque = takesOpaque;
    this.anyIssuer = new JwsVerification(algorithms, types, null);
    this.extraChecks = List.copyOf(extraChecks);
  }

  /**
   * How a signed introspection answer (RFC 9701) of {@code issuer} is checked: a JWS with one of the issuer's
   * algorithms and keys (never its HMAC secret), {@code typ} {@code token-introspection+jwt}, {@code iss} the issuer,
   * {@code aud} our client; its {@code token_introspection} object is the answer.
   */
  private Introspector.SignedAnswers signedAnswers(IssuerSettings s) {
    JwsVerification answers = new JwsVerification(s.algorithms(), Set.of("token-introspection+jwt"), null);
    String clientId = s.get(TokenGuardConfig.INTROSPECTION_CLIENT_ID);
    return jwt -> {
      CompactJws compact = CompactJws.parse(jwt, 64 * 1024);
      JWSHeader header = answers.checkedHeader(compact);
      answers.verifySignature(compact, header, keySource(s.url()));
      Map<String, Object> claims = claims(compact);
      if (!s.url().equals(claims.get("iss"))) {
        throw new IllegalArgumentException("its iss is '" + Echo.of(claims.get("iss")) + "', not the issuer");
      }
      if (!ClaimChecks.audiences(claims).contains(clientId)) {
        throw new IllegalArgumentException("its aud " + Echo.of(claims.get("aud")) + " does not name client " + clientId);
      }
      if (!(claims.get("token_introspection") instanceof Map<?, ?> answer)) {
        throw new IllegalArgumentException("it has no token_introspection object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> members = (Map<String, Object>) answer;
      return members;
    };
  }

  /** One check per issuer that takes opaque tokens: whether its introspection endpoint answered last time. */
  public List<dev.tokenguard.HealthReport.Check> introspectionHealth() {
    return issuers.values().stream().map(Issuer::introspector).filter(java.util.Objects::nonNull).map(Introspector::health).toList();
  }

  @Override
  public TokenPrincipal validate(String token) {
    return verify(token).principal();
  }

  /** Like {@link #validate(String)}, also naming the key that verified the token. */
  public VerifiedToken verify(String token) {
    return run(token, Steps.STRICT);
  }

  /**
   * Validates {@code token} step by step and reports every step instead of stopping at the first failing claim
   * check (a failure in form, header, issuer or signature still ends the run: nothing after it can be trusted).
   */
  public Explanation explain(String token) {
    Steps.Recording steps = new Steps.Recording();
    try {
      TokenPrincipal principal = run(token, steps).principal();
      return new Explanation(steps.list(), principal, null);
    } catch (TokenGuardException e) {
      return new Explanation(steps.list(), null, e);
    }
  }

  /** The one validation path, in named steps; {@code steps} decides whether details are recorded. */
  private VerifiedToken run(String token, Steps steps) {
    try {
      if (opaque != null && !CompactJws.looksLikeJws(token)) {
        steps.decisive("form", () -> {
          CompactJws.checkSize(token, config.maxTokenSize());
          String named = CompactJws.replicatedIssuer(token);
          if (named != null && !named.equals(opaque.settings().url())) { // never shown to an issuer it does not belong to
            throw new InvalidTokenException(RejectionReason.WRONG_ISSUER, "the encrypted token names issuer '" + Echo.of(named)
                + "', which does not take tokens that are not JWTs");
          }
          return token;
        }, t -> "not a JWT: an opaque token of " + opaque.settings().url() + " (" + opaque.settings().keyPrefix()
            + "token-format=" + opaque.settings().tokenFormat() + ")");
        return introspected(token, opaque, steps);
      }
      CompactJws compact = steps.decisive("form", () -> CompactJws.parse(token, config.maxTokenSize()),
          c -> "three strict base64url parts, " + token.length() + " bytes (limit " + config.maxTokenSize() + ")");
      JWSHeader header = steps.decisive("header", () -> anyIssuer.checkedHeader(compact),
          h -> "alg " + h.getAlgorithm() + " accepted, typ " + (h.getType() == null ? "absent" : h.getType())
              + " accepted, kid " + (h.getKeyID() == null ? "absent" : "'" + Echo.of(h.getKeyID()) + "'"));
      Map<String, Object> claims = steps.decisive("payload", () -> claims(compact), c -> c.size() + " claims");
      String issuer = steps.decisive("issuer (iss)", () -> ClaimChecks.issuer(claims, issuers.keySet()),
          i -> "'" + i + "' is a configured issuer" + (issuers.get(i).settings().name() == null ? ""
              : " (" + TokenGuardConfig.ISSUER_BLOCKS + issuers.get(i).settings().name() + ")"));
      Issuer is = issuers.get(issuer);
      if (is.settings().tokenFormat().equals("opaque")) {
        is.jws().accept(header); // the issuer's own algorithms and types, as for its JWTs checked here
        return introspected(token, is, steps); // the issuer wants even its JWTs asked about (revocation)
      }
      try {
        return trusted(compact, header, claims, is, steps);
      } catch (TokenGuardException e) {
        throw e.attributeTo(issuer);
      }
    } catch (TokenGuardException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "unexpected failure while validating a token", e);
      throw new InvalidTokenException(RejectionReason.MALFORMED, "the token could not be processed");
    }
  }

  /** The steps after the issuer is known: signature, then the claims. */
  private VerifiedToken trusted(CompactJws compact, JWSHeader header, Map<String, Object> claims, Issuer is, Steps steps) {
    String issuer = is.settings().url();
    VerificationKey key = steps.decisive("signature", () -> {
      is.jws().accept(header);
      return is.jws().verifySignature(compact, header, keySource(issuer));
    },
        k -> "verified with " + (k == null ? "the configured HMAC secret" : "key '" + k.kid() + "' (" + k.jwk().getKeyType() + ")"));
    return checked(claims, is, key, null, steps);
  }

  /**
   * An opaque token (or a JWT of an issuer whose {@code token-format} is opaque): the issuer's introspection endpoint
   * vouches for it, and the members of its answer are checked as a JWT's claims.
   */
  private VerifiedToken introspected(String token, Issuer is, Steps steps) {
    String issuer = is.settings().url();
    try {
      Introspector.Answer answer = steps.decisive("introspection", () -> is.introspector().introspect(token),
          a -> "active at the issuer, " + a.claims().size() + " members, reused until " + a.expiresAt());
      Map<String, Object> claims = answer.claims();
      steps.decisive("issuer (iss)", () -> {
        Object iss = claims.get("iss");
        if (iss != null && !issuer.equals(iss)) {
          throw new InvalidTokenException(RejectionReason.WRONG_ISSUER, "the introspection answer names issuer '"
              + Echo.of(iss) + "', not the issuer asked"); // the client learns no configured URL
        }
        return iss;
      }, i -> i == null ? "absent: " + issuer + " answered" : "'" + i + "', the issuer asked");
      return checked(claims, is, null, answer.expiresAt(), steps);
    } catch (TokenGuardException e) {
      throw e.attributeTo(issuer);
    }
  }

  /**
   * The claim checks, the principal and the application's checks, the same for a JWT and an introspection answer;
   * {@code answerUntil} is {@code null} for a JWT, else until when the issuer's answer holds.
   */
  private VerifiedToken checked(Map<String, Object> claims, Issuer is, VerificationKey key, Instant answerUntil, Steps steps) {
    IssuerSettings settings = is.settings();
    boolean introspected = answerUntil != null;
    Instant now = config.clock().instant();
    Duration skew = settings.clockSkew();
    Duration maxTokenAge = settings.maxTokenAge();
    Instant exp = introspected && !claims.containsKey("exp")
        ? steps.check("expiry (exp)", () -> answerUntil,
            e -> "absent: the issuer's word holds until " + e + " (introspection.cache-ttl)")
        : steps.check("expiry (exp)", () -> ClaimChecks.notExpired(claims, now, skew), e -> e + window(now, skew));
    steps.check("not before (nbf)", () -> { ClaimChecks.notBefore(claims, now, skew); return claims.get("nbf"); },
        v -> v == null ? "absent" : ClaimChecks.numericDate(claims, "nbf") + window(now, skew));
    steps.check("issued at (iat)", () -> {
      ClaimChecks.notIssuedInFuture(claims, now, skew);
      Instant iat = ClaimChecks.numericDate(claims, "iat");
      if (maxTokenAge != null && (iat == null || iat.plus(maxTokenAge).plus(skew).isBefore(now))) {
        throw new InvalidTokenException(RejectionReason.EXPIRED, iat == null ? "the token has no issued-at time (iat)"
            + " and max-token-age is set" : "the token was issued at " + iat + ", longer ago than max-token-age ("
            + maxTokenAge.toSeconds() + "s)");
      }
      return claims.get("iat");
    }, v -> v == null ? "absent" : ClaimChecks.numericDate(claims, "iat") + window(now, skew)
        + (maxTokenAge == null ? "" : ", at most " + maxTokenAge.toSeconds() + "s old"));
    List<String> audiences = steps.check("audience (aud)", () -> ClaimChecks.audience(claims, settings.audiences()),
        a -> settings.audiences().isEmpty() ? "not checked (no audience configured): " + a : a + " contains one of " + settings.audiences());
    steps.check("subject (sub)", () -> ClaimChecks.optionalString(claims, "sub"), s -> s == null ? "absent" : "'" + Echo.of(s) + "'");
    steps.check("token id (jti)", () -> ClaimChecks.optionalString(claims, "jti"), j -> j == null ? "absent" : "'" + Echo.of(j) + "'");
    steps.check("required claims", () -> { ClaimChecks.required(claims, settings.requiredClaims()); return settings.requiredClaims(); },
        r -> r.isEmpty() ? "none configured" : r + " present");
    steps.endOfChecks();
    TokenPrincipal principal = steps.decisive("principal", () -> new TokenPrincipal(
        ClaimChecks.requiredString(claims, settings.principalClaim()), (String) claims.get("sub"), settings.url(), audiences,
        claims, exp, is.authorities()),
        p -> "name '" + Echo.of(p.getName()) + "', permissions " + p.permissions() + ", roles " + p.roles());
    for (TokenCheck check : extraChecks) {
      steps.decisive("application check", () -> { check.check(principal); return principal; }, p -> "passed");
    }
    Instant trustedUntil = introspected && answerUntil.isBefore(exp) ? answerUntil : exp;
    return new VerifiedToken(principal, key == null ? null : key.thumbprint(), trustedUntil);
  }

  private static Map<String, Object> claims(CompactJws compact) {
    try {
      return JsonObjects.parseFrozen(compact.payloadText()); // the principal keeps them without a copy
    } catch (ParseException e) {
      throw new InvalidTokenException(RejectionReason.MALFORMED, "the payload is not a JSON object of claims");
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

  /** The time frame of the date checks, for explanations only (formatting dates costs more than the checks). */
  private static String window(Instant now, Duration skew) {
    return " (now " + now.truncatedTo(ChronoUnit.SECONDS) + ", clock skew " + skew.toSeconds() + "s)";
  }

}
