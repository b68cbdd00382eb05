package dev.tokenguard.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.RejectionReason;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.internal.Echo;
import dev.tokenguard.internal.JsonObjects;
import dev.tokenguard.internal.TokenTypes;
import dev.tokenguard.jwks.KeySet;
import dev.tokenguard.jwks.SignatureVerifier;
import dev.tokenguard.jwks.VerificationKey;
import java.security.GeneralSecurityException;
import java.text.ParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JWS half of validation, in a fixed order: header (algorithm allow-list, {@code typ}, {@code crit}),
 * key selection, signature. Header parameters that carry or point at keys ({@code jwk}, {@code jku},
 * {@code x5u}, {@code x5c}) are never used: keys come only from the issuer's configured or discovered JWKS,
 * or from the configured HMAC secret. Thread-safe.
 */
final class JwsVerification {
  /** Longest accepted {@code kid}. */
  public static final int MAX_KID_LENGTH = 256;

  private final Set<JWSAlgorithm> algorithms;
  private final Set<String> tokenTypes;
  private final SignatureVerifier hmacVerifier;
  /** How many headers each of the two memories below keeps before it starts over. */
  private static final int REMEMBERED_HEADERS = 256;

  /**
   * Headers that passed every check, by their encoded text: the tokens of one issuer share a handful of headers,
   * so parsing them again is work the hot path can skip. A header is only stored after it passed; when
   * {@value #REMEMBERED_HEADERS} are stored the map starts over (a flood of odd headers costs parsing, never memory),
   * and a plain concurrent map is cheaper to read than a cache with an eviction policy.
   */
  private final Map<String, JWSHeader> acceptedHeaders = new ConcurrentHashMap<>();
  /** Headers (as the instances {@link #acceptedHeaders} hands out) that {@link #accept} passed; bounded the same way. */
  private final Set<JWSHeader> acceptedHere = ConcurrentHashMap.newKeySet();

  /** Where the keys of one issuer come from. */
  public interface KeySource {
    /** The current keys. */
    KeySet keys();

    /** Newer keys after an unknown key id, or {@code seen} when no fetch is allowed now. */
    KeySet refetch(KeySet seen);
  }

  /**
   * @param algorithms accepted algorithms
   * @param tokenTypes accepted {@code typ} values, normalised ({@code ""} = absent)
   * @param hmacSecret the HMAC secret, or {@code null} to refuse HMAC
   */
  public JwsVerification(Set<JWSAlgorithm> algorithms, Set<String> tokenTypes, byte[] hmacSecret) {
    this.algorithms = Set.copyOf(algorithms);
    this.tokenTypes = Set.copyOf(tokenTypes);
    try {
      this.hmacVerifier = hmacSecret == null ? null : SignatureVerifier.forHmacSecret(hmacSecret);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("hmac-secret: " + e.getMessage(), e);
    }
  }

  /**
   * Parses and checks the header.
   *
   * @throws InvalidTokenException when the header is malformed, its algorithm or type is not accepted, or it
   *     has critical parameters
   */
  public JWSHeader checkedHeader(CompactJws jws) {
    JWSHeader known = acceptedHeaders.get(jws.encodedHeader());
    if (known != null) {
      return known; // the same header text passed every check before
    }
    JWSHeader header = parseAndCheck(jws);
    remember(acceptedHeaders.keySet(), () -> acceptedHeaders.put(jws.encodedHeader(), header));
    return header;
  }

  private static void remember(java.util.Collection<?> memory, Runnable put) {
    if (memory.size() >= REMEMBERED_HEADERS) {
      memory.clear();
    }
    put.run();
  }

  private JWSHeader parseAndCheck(CompactJws jws) {
    Map<String, Object> json;
    try {
      json = JsonObjects.parse(jws.headerText());
    } catch (ParseException e) {
      throw new InvalidTokenException(RejectionReason.MALFORMED, "the JOSE header is not a JSON object");
    }
    Object alg = json.get("alg");
    if (!(alg instanceof String algName)) {
      throw new InvalidTokenException(RejectionReason.MALFORMED, "the JOSE header has no alg string");
    }
    if (algName.trim().equalsIgnoreCase("none")) {
      throw new InvalidTokenException(RejectionReason.UNACCEPTED_HEADER, "unsigned tokens (alg none) are never accepted");
    }
    if (json.containsKey("enc")) {
      throw new InvalidTokenException(RejectionReason.UNACCEPTED_HEADER, "encrypted tokens (JWE) are not accepted; expected a signed JWT");
    }
    if (json.containsKey("crit")) {
      throw new InvalidTokenException(RejectionReason.UNACCEPTED_HEADER, "critical header parameters " + Echo.of(json.get("crit")) + " are not supported");
    }
    acceptAlgorithm(JWSAlgorithm.parse(algName));
    JWSHeader header;
    try {
      header = JWSHeader.parse(json, new Base64URL(jws.encodedHeader()));
    } catch (ParseException e) {
      throw new InvalidTokenException(RejectionReason.MALFORMED, "the JOSE header is malformed: " + e.getMessage());
    }
    acceptType(header);
    String kid = header.getKeyID();
    if (kid != null && kid.length() > MAX_KID_LENGTH) {
      throw new InvalidTokenException(RejectionReason.MALFORMED, "the key id (kid) has " + kid.length() + " characters, more than " + MAX_KID_LENGTH);
    }
    return header;
  }

  /**
   * Checks that a header another verification parsed has an algorithm and a type this one accepts (an issuer's own,
   * after the header was checked against every issuer's).
   *
   * @throws InvalidTokenException when they are not accepted
   */
  public void accept(JWSHeader header) {
    if (acceptedHere.contains(header)) {
      return;
    }
    acceptAlgorithm(header.getAlgorithm());
    acceptType(header);
    remember(acceptedHere, () -> acceptedHere.add(header));
  }

  private void acceptAlgorithm(JWSAlgorithm algorithm) {
    if (!algorithms.contains(algorithm)) {
      throw new InvalidTokenException(RejectionReason.UNACCEPTED_HEADER, "the token is signed with " + Echo.of(algorithm.getName())
          + ", but only " + algorithms + " are accepted");
    }
  }

  private void acceptType(JWSHeader header) {
    String typ = header.getType() == null ? "" : TokenTypes.normalise(header.getType().getType());
    if (!tokenTypes.contains(typ)) {
      throw new InvalidTokenException(RejectionReason.UNACCEPTED_HEADER, "the token type (typ) is '" + (typ.isEmpty() ? "absent" : Echo.of(header.getType()))
          + "', but only " + describeTypes() + " are accepted");
    }
  }

  /**
   * Verifies the signature with the configured HMAC secret (HS algorithms) or a key of {@code keys}.
   *
   * @return the key that verified it, or {@code null} for HMAC
   * @throws InvalidTokenException when no key fits or the signature does not verify
   */
  public VerificationKey verifySignature(CompactJws jws, JWSHeader header, KeySource keys) {
    JWSAlgorithm alg = header.getAlgorithm();
    if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
      if (hmacVerifier == null || !hmacVerifier.verify(alg, jws.signingInput(), jws.signature())) {
        throw new InvalidTokenException(RejectionReason.BAD_SIGNATURE, "the signature does not verify with the configured HMAC secret");
      }
      return null;
    }
    String kid = header.getKeyID();
    KeySet set = keys.keys();
    List<VerificationKey> candidates = set.candidates(kid, alg);
    if (candidates.isEmpty() && kid != null && set.hasKid(kid)) {
      throw new InvalidTokenException(RejectionReason.UNKNOWN_KEY, "the key '" + Echo.of(kid) + "' cannot verify " + alg + " signatures");
    }
    if (candidates.isEmpty()) {
      set = keys.refetch(set);
      candidates = set.candidates(kid, alg);
    }
    if (candidates.isEmpty()) {
      throw new InvalidTokenException(RejectionReason.UNKNOWN_KEY, kid == null
          ? "the token has no kid and no key of the issuer fits " + alg
          : "the issuer has no key with kid '" + Echo.of(kid) + "' for " + alg);
    }
    for (VerificationKey key : candidates) {
      if (key.verifier().verify(alg, jws.signingInput(), jws.signature())) {
        return key;
      }
    }
    throw new InvalidTokenException(RejectionReason.BAD_SIGNATURE, "the signature does not verify with " + (kid == null ? "any key of the issuer" : "key '" + Echo.of(kid) + "'"));
  }

  private String describeTypes() {
    StringBuilder sb = new StringBuilder("[");
    for (String t : tokenTypes) {
      if (sb.length() > 1) sb.append(", ");
      sb.append(t.isEmpty() ? "none" : t.toLowerCase(Locale.ROOT));
    }
    return sb.append(']').toString();
  }
}
