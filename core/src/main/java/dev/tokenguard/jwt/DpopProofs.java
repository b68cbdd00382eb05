package dev.tokenguard.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import com.nimbusds.jose.JWSAlgorithm;
import dev.tokenguard.BindingSettings;
import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.Possession;
import dev.tokenguard.RejectionReason;
import dev.tokenguard.internal.Caches;
import dev.tokenguard.internal.Echo;
import dev.tokenguard.internal.JsonObjects;
import dev.tokenguard.internal.PathSyntax;
import dev.tokenguard.internal.Sha256;
import dev.tokenguard.jwks.KeyHygiene;
import dev.tokenguard.jwks.VerificationKey;
import dev.tokenguard.observe.Listeners;
import dev.tokenguard.shared.SharedTier;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks DPoP proofs as RFC 9449 §4.3 says, in this order, each failure a 401 {@code invalid_dpop_proof} naming the
 * check: exactly one {@code DPoP} header ({@code count}); a compact JWS in strict base64url ({@code form}); {@code typ}
 * {@code dpop+jwt} ({@code typ}); an algorithm of {@code dpop.algorithms}, no {@code crit} ({@code alg}); a public
 * {@code jwk} that fits the algorithm and passes the key rules of issuers' keys ({@code jwk}); {@code jti}, {@code htm}
 * equal to the request's method, {@code htu} naming the request's URL ({@code htu}: origin, and the path after the same
 * decoding the request's path is judged with; query and fragment ignored), {@code iat} within
 * {@code dpop.proof-max-age} and {@code clock-skew} ({@code iat}), {@code ath} the hash of the access token
 * ({@code ath}); the signature, by that key ({@code signature}); with {@code dpop.nonce} a current server nonce
 * ({@code nonce}, 401 {@code use_dpop_nonce}); and a {@code jti} this key never used before within the window, on this
 * node or, with the shared tier, any ({@code replay}).
 *
 * <p>The proof is parsed by the same strict parser as tokens and verified by the same pooled JCA verifiers; a header
 * that passed (a client's key, algorithm and type) is remembered by its text, so a client's next proof costs one
 * signature check and the claim checks. Thread-safe.
 */
public final class DpopProofs {
  /** Longest accepted proof, in characters (an RSA key in the header and the claims fit in well under this). */
  static final int MAX_PROOF_SIZE = 8 * 1024;
  /** Longest accepted {@code jti}. */
  static final int MAX_JTI = 256;

  private final Set<JWSAlgorithm> algorithms;
  private final String algorithmNames;
  private final Duration maxAge;
  private final Duration skew;
  private final Set<String> origins;
  private final Clock clock;
  private final DpopNonces nonces;
  private final ProofReplays replays;
  private final Listeners listeners;
  private final boolean jdkEnginesOnly;
  /** Headers that passed every check, by their encoded text: a client sends the same header with each proof. */
  private final Cache<String, Accepted> acceptedHeaders;

  /** A proof header that passed: its algorithm and the key it carries. */
  private record Accepted(JWSAlgorithm alg, VerificationKey key) {}

  /** A proof that passed: the thumbprint of its key (RFC 7638), which the token's {@code cnf.jkt} must equal. */
  public record Proof(String jkt) {}

  /**
   * @param skew the allowed clock difference (the top-level {@code clock-skew})
   * @param tier the shared tier a replay on another node is caught through, or {@code null}
   * @param jdkEnginesOnly whether proofs are checked by the JVM's installed providers only ({@code signature-engines})
   */
  public DpopProofs(BindingSettings settings, Duration skew, Clock clock, SharedTier tier, Listeners listeners, boolean jdkEnginesOnly) {
    this.jdkEnginesOnly = jdkEnginesOnly;
    this.algorithms = settings.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toUnmodifiableSet());
    this.algorithmNames = String.join(" ", settings.algorithms());
    this.maxAge = settings.proofMaxAge();
    this.skew = skew;
    this.origins = Set.copyOf(settings.origins());
    this.clock = clock;
    this.acceptedHeaders = Caches.builder(clock).maximumSize(10_000).build();
    this.nonces = settings.nonces() ? new DpopNonces(settings.nonceSecret(), settings.nonceLifetime(), clock) : null;
    this.replays = new ProofReplays(settings.replayCacheSize(), clock, tier);
    this.listeners = listeners;
  }

  /** The algorithms a proof may use, space-separated: the DPoP challenge's {@code algs}. */
  public String algorithmNames() {
    return algorithmNames;
  }

  /** The nonce to send in {@code DPoP-Nonce}, or {@code null} when nonces are off. */
  public String currentNonce() {
    return nonces == null ? null : nonces.current();
  }

  /**
   * Checks the proof {@code request} carries for {@code accessToken}, a token of {@code issuer}; a refusal is told to the
   * listeners with the check that refused it.
   *
   * @throws InvalidTokenException {@link RejectionReason#INVALID_PROOF} or {@link RejectionReason#NONCE_REQUIRED}
   */
  public Proof verify(Possession request, String accessToken, String issuer) {
    String check = "count";
    try {
      List<String> proofs = request.proofs();
      if (proofs.size() != 1) {
        throw refused(proofs.isEmpty() ? "the request has no DPoP header with a proof" : "the request has " + proofs.size()
            + " DPoP headers; expected one");
      }
      check = "form";
      CompactJws jws = CompactJws.parse(proofs.get(0).strip(), MAX_PROOF_SIZE);
      Accepted accepted = acceptedHeaders.getIfPresent(jws.encodedHeader());
      if (accepted == null) {
        Map<String, Object> header = JsonObjects.parse(jws.headerText());
        check = "typ";
        if (!(header.get("typ") instanceof String typ) || !typ.equalsIgnoreCase("dpop+jwt")) {
          throw refused("the proof's typ is " + Echo.of(header.get("typ")) + "; expected dpop+jwt");
        }
        check = "alg";
        JWSAlgorithm alg = header.get("alg") instanceof String name ? JWSAlgorithm.parse(name) : null;
        if (alg == null || !algorithms.contains(alg)) {
          throw refused("the proof is signed with " + Echo.of(header.get("alg")) + ", but only " + algorithmNames + " are accepted");
        }
        if (header.containsKey("crit")) {
          throw refused("the proof has critical header parameters; none are supported");
        }
        check = "jwk";
        if (!(header.get("jwk") instanceof Map<?, ?> jwk)) {
          throw refused("the proof's header has no jwk object with the public key");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> members = (Map<String, Object>) jwk;
        VerificationKey key;
        try {
          key = KeyHygiene.clientKey(members, jdkEnginesOnly);
        } catch (IllegalArgumentException e) {
          throw refused("the proof's jwk: " + e.getMessage());
        }
        if (!key.fits(alg)) {
          throw refused("the proof's key (" + key.jwk().getKeyType() + ") cannot make " + alg + " signatures");
        }
        accepted = new Accepted(alg, key);
      }
      check = "form";
      Map<String, Object> claims = JsonObjects.parse(jws.payloadText());
      check = "jti";
      if (!(claims.get("jti") instanceof String jti) || jti.isEmpty() || jti.length() > MAX_JTI) {
        throw refused("the proof has no jti string of 1 to " + MAX_JTI + " characters");
      }
      check = "htm";
      if (!(claims.get("htm") instanceof String htm) || !htm.equals(request.method())) {
        throw refused("the proof's htm is " + Echo.of(claims.get("htm")) + ", but the request's method is " + Echo.of(request.method()));
      }
      check = "htu";
      checkTarget(claims.get("htu"), request);
      check = "iat";
      Instant iat = ClaimChecks.numericDate(claims, "iat");
      Instant now = clock.instant();
      if (iat == null) {
        throw refused("the proof has no iat");
      }
      if (iat.isAfter(now.plus(skew))) {
        throw refused("the proof is issued in the future (iat " + iat + ")");
      }
      Instant forgetAt = iat.plus(maxAge).plus(skew);
      if (!now.isBefore(forgetAt)) {
        throw refused("the proof was issued at " + iat + ", longer ago than " + maxAge.toSeconds() + "s (dpop.proof-max-age)");
      }
      check = "ath";
      if (!(claims.get("ath") instanceof String ath) || !ath.equals(accessTokenHash(accessToken))) {
        throw refused(claims.get("ath") == null ? "the proof has no ath (hash of the access token)"
            : "the proof's ath is not the hash of the access token it came with");
      }
      check = "signature";
      VerificationKey key = accepted.key();
      if (!key.verifier().verify(accepted.alg(), jws.signingInput(), jws.signature())) {
        throw refused("the proof's signature does not verify with its jwk");
      }
      acceptedHeaders.put(jws.encodedHeader(), accepted);
      if (nonces != null) {
        check = "nonce";
        if (!(claims.get("nonce") instanceof String nonce) || !nonces.accepts(nonce)) {
          throw new InvalidTokenException(RejectionReason.NONCE_REQUIRED, claims.get("nonce") == null
              ? "the proof has no nonce; use the one in the DPoP-Nonce header" : "the proof's nonce is not current; use the one in the DPoP-Nonce header");
        }
      }
      check = "replay";
      ProofReplays.Verdict verdict = replays.record(key.thumbprint() + ' ' + claims.get("jti"), iat, forgetAt);
      if (verdict == ProofReplays.Verdict.REPLAYED) {
        throw refused("the proof was used before (its jti was seen); make a new proof for each request");
      }
      if (verdict == ProofReplays.Verdict.BEYOND_MEMORY) {
        throw refused("the proof is too old to be checked for replay under the current load; make a new proof");
      }
      return new Proof(key.thumbprint()); // its acceptance is told once the token's binding to its key is checked too
    } catch (InvalidTokenException e) {
      listeners.proofChecked(issuer, "dpop", check);
      // a failure of the token parser or claim reader is about the proof here
      throw e.aboutProof() ? e : refused("the proof: " + e.getMessage());
    } catch (ParseException | RuntimeException e) {
      listeners.proofChecked(issuer, "dpop", check);
      throw refused("the proof's " + (check.equals("form") ? "header or claims are" : check + " is") + " malformed");
    }
  }

  /** {@code ath}: base64url of the SHA-256 of the token's ASCII (RFC 9449 §4.2). */
  static String accessTokenHash(String token) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256.of(token));
  }

  /**
   * {@code htu} names the request's URL: one of {@code dpop.origins} when they are configured, else the origin the host
   * reports (from the {@code Host} a client sends, or a proxy's forwarded headers), and the path the
   * request was sent to, both paths decoded as the request's own is before it is judged (so the same path spelled
   * another way is refused as the request would be); query and fragment are not compared (RFC 9449 §4.3 step 9).
   */
  private void checkTarget(Object value, Possession request) {
    if (!(value instanceof String htu)) {
      throw refused("the proof has no htu");
    }
    URI u;
    try {
      u = new URI(htu);
    } catch (URISyntaxException e) {
      throw refused("the proof's htu is not a URI");
    }
    if (u.getScheme() == null || u.getHost() == null || u.getRawUserInfo() != null
        || !(u.getScheme().equalsIgnoreCase("https") || u.getScheme().equalsIgnoreCase("http"))) {
      throw refused("the proof's htu is not an absolute http(s) URL");
    }
    String origin = BindingSettings.origin(u.getScheme(), u.getHost(), u.getPort());
    if (origins.isEmpty() ? !origin.equals(request.origin()) : !origins.contains(origin)) {
      throw refused("the proof's htu names another origin than the one this request was sent to");
    }
    String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    String decoded;
    try {
      decoded = PathSyntax.decode(path);
    } catch (IllegalArgumentException e) {
      throw refused("the proof's htu has a path that could be read in more than one way");
    }
    if (!decoded.equals(PathSyntax.decode(request.rawPath()))) {
      throw refused("the proof's htu names another path than the one this request was sent to");
    }
  }

  private static InvalidTokenException refused(String description) {
    return new InvalidTokenException(RejectionReason.INVALID_PROOF, description);
  }
}
