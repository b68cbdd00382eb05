package dev.tokenguard.jwks;

import dev.tokenguard.internal.JsonObjects;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a JWKS document into the keys TokenGuard will verify with, dropping every key that must not be
 * trusted, each with a reason:
 *
 * <ul>
 *   <li>symmetric ({@code oct}) keys: a public key set never supplies HMAC secrets;</li>
 *   <li>keys with {@code use} other than {@code sig}, or {@code key_ops} without {@code verify};</li>
 *   <li>RSA keys under {@value #MIN_RSA_BITS} bits, with a public exponent below 3 or even, or with the ROCA
 *       fingerprint (CVE-2017-15361);</li>
 *   <li>EC keys whose point is not on the named curve (Nimbus checks on parse), OKP keys other than Ed25519;</li>
 *   <li>keys whose own {@code alg} does not fit their type and curve, or is not a signature algorithm;</li>
 *   <li>duplicate {@code kid}s: keys sharing a kid with identical material are kept; keys sharing a kid with
 *       different material are all dropped, because a token naming that kid is ambiguous.</li>
 * </ul>
 * Private parts present in the document are discarded. A document with more than {@value #MAX_KEYS} keys, or
 * without a {@code keys} array, is rejected whole.
 */
public final class KeyHygiene {
  /** Smallest accepted RSA modulus. */
  public static final int MIN_RSA_BITS = 2048;
  /** Largest number of keys accepted in one document. */
  public static final int MAX_KEYS = 100;

  private static final List<JWSAlgorithm> RSA_ALGS = List.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
      JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);

  private KeyHygiene() {}

  /** The result: usable keys and a reason for each dropped one. */
  public record Result(KeySet keySet, List<String> dropped) {}

  /**
   * Parses and filters a JWKS document.
   *
   * @param json the document
   * @param fetchedAt when it was fetched
   * @param jdkEnginesOnly whether the keys' signatures are checked by the JVM's installed providers only, instead of the
   *     fastest engines on the class path ({@code signature-engines}, {@link SignatureEngines})
   * @throws ParseException when the document is not a JSON object with a {@code keys} array of at most
   *     {@value #MAX_KEYS} entries
   */
  public static Result parse(String json, Instant fetchedAt, boolean jdkEnginesOnly) throws ParseException {
    Map<String, Object> doc = JsonObjects.parse(json);
    Object keys = doc.get("keys");
    if (!(keys instanceof List<?> list)) {
      throw new ParseException("the JWKS has no 'keys' array", 0);
    }
    if (list.size() > MAX_KEYS) {
      throw new ParseException("the JWKS has " + list.size() + " keys, more than the limit of " + MAX_KEYS, 0);
    }
    List<String> dropped = new ArrayList<>();
    List<VerificationKey> accepted = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object entry = list.get(i);
      String label = "key #" + i;
      if (!(entry instanceof Map<?, ?>)) {
        dropped.add(label + ": not a JSON object");
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) entry;
      Object kidValue = map.get("kid");
      if (kidValue instanceof String s) {
        label = "key '" + s + "'";
      }
      try {
        JWK jwk = JWK.parse(map);
        String problem = problemWith(jwk);
        if (problem != null) {
          dropped.add(label + ": " + problem);
          continue;
        }
        JWK pub = jwk.toPublicJWK();
        JWSAlgorithm alg = pub.getAlgorithm() == null ? null : JWSAlgorithm.parse(pub.getAlgorithm().getName());
        accepted.add(new VerificationKey(pub.getKeyID(), pub.computeThumbprint().toString(), pub, alg, verifierFor(pub, jdkEnginesOnly)));
      } catch (Exception e) { // ParseException, JOSEException, IllegalArgumentException, GeneralSecurityException...
        dropped.add(label + ": unreadable (" + e.getMessage() + ")");
      }
    }
    return new Result(new KeySet(dropAmbiguousKids(accepted, dropped), fetchedAt), List.copyOf(dropped));
  }

  /** Members of a JWK that belong to a private or symmetric key (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
  private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

  /**
   * A public key a client sent along with what it signed (a DPoP proof's {@code jwk} header), held to the same rules as
   * a key of an issuer's set, with its verifier.
   *
   * @param jdkEnginesOnly as for {@link #parse(String, Instant, boolean)}
   * @throws IllegalArgumentException saying what is wrong with it: private members, an unreadable key, a key type or
   *     curve that verifies no supported algorithm, a weak RSA key
   */
  public static VerificationKey clientKey(Map<String, Object> json, boolean jdkEnginesOnly) {
    for (String member : json.keySet()) {
      if (PRIVATE_MEMBERS.contains(member)) {
        throw new IllegalArgumentException("the key has the private member '" + member + "'; a proof carries only the public key");
      }
    }
    JWK jwk;
    try {
      jwk = JWK.parse(json);
    } catch (ParseException e) {
      throw new IllegalArgumentException("the key is unreadable (" + e.getMessage() + ")");
    }
    String problem = problemWith(jwk);
    if (problem != null) {
      throw new IllegalArgumentException("the key is not accepted: " + problem);
    }
    try {
      JWSAlgorithm alg = jwk.getAlgorithm() == null ? null : JWSAlgorithm.parse(jwk.getAlgorithm().getName());
      return new VerificationKey(jwk.getKeyID(), jwk.computeThumbprint().toString(), jwk, alg, verifierFor(jwk, jdkEnginesOnly));
    } catch (Exception e) {
      throw new IllegalArgumentException("the key is unreadable (" + e.getMessage() + ")");
    }
  }

  /** The JWS algorithms a key of this type and curve can verify, ignoring its own {@code alg}. */
  public static Set<JWSAlgorithm> algorithmsFor(JWK jwk) {
    if (jwk instanceof RSAKey) {
      return Set.copyOf(RSA_ALGS);
    }
    if (jwk instanceof ECKey ec) {
      Curve c = ec.getCurve();
      if (Curve.P_256.equals(c)) return Set.of(JWSAlgorithm.ES256);
      if (Curve.P_384.equals(c)) return Set.of(JWSAlgorithm.ES384);
      if (Curve.P_521.equals(c)) return Set.of(JWSAlgorithm.ES512);
      return Set.of();
    }
    if (jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
      return Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
    }
    return Set.of();
  }

  private static String problemWith(JWK jwk) {
    if (jwk.getKeyType() == KeyType.OCT) {
      return "symmetric keys are never taken from a key set (configure hmac-secret instead)";
    }
    if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
      return "use is '" + jwk.getKeyUse().identifier() + "', not 'sig'";
    }
    if (jwk.getKeyOperations() != null && !jwk.getKeyOperations().contains(KeyOperation.VERIFY)) {
      return "key_ops " + jwk.getKeyOperations() + " does not include 'verify'";
    }
    Set<JWSAlgorithm> fits = algorithmsFor(jwk);
    if (fits.isEmpty()) {
      return "key type " + jwk.getKeyType() + describeCurve(jwk) + " cannot verify a supported signature";
    }
    if (jwk.getAlgorithm() != null && !fits.contains(JWSAlgorithm.parse(jwk.getAlgorithm().getName()))) {
      return "its alg '" + jwk.getAlgorithm() + "' does not fit a " + jwk.getKeyType() + describeCurve(jwk) + " key";
    }
    if (jwk instanceof RSAKey rsa) {
      return rsaProblem(rsa.getModulus().decodeToBigInteger(), rsa.getPublicExponent().decodeToBigInteger());
    }
    return null;
  }

  private static String describeCurve(JWK jwk) {
    if (jwk instanceof ECKey ec) return " on curve " + ec.getCurve();
    if (jwk instanceof OctetKeyPair okp) return " on curve " + okp.getCurve();
    return "";
  }

  static String rsaProblem(BigInteger n, BigInteger e) {
    if (n.bitLength() < MIN_RSA_BITS) {
      return "RSA modulus has " + n.bitLength() + " bits, fewer than " + MIN_RSA_BITS;
    }
    if (e.compareTo(BigInteger.valueOf(3)) < 0 || !e.testBit(0)) {
      return "RSA public exponent " + e + " is not an odd number of at least 3";
    }
    if (e.bitLength() > 31) {
      // AWS-LC (the Corretto provider, SignatureEngines) refuses exponents above 33 bits, the JDK does not: a key every
      // engine takes alike. Real keys use 65537; Go's crypto/rsa refuses more than 2^31-1 too
      return "RSA public exponent has " + e.bitLength() + " bits, more than 31";
    }
    if (RocaFingerprint.matches(n)) {
      return "RSA modulus has the ROCA fingerprint (CVE-2017-15361)";
    }
    return null;
  }

  private static SignatureVerifier verifierFor(JWK jwk, boolean jdkEnginesOnly) throws Exception {
    PublicKey key;
    if (jwk instanceof RSAKey rsa) {
      key = rsa.toRSAPublicKey();
    } else if (jwk instanceof ECKey ec) {
      key = ec.toECPublicKey();
    } else {
      key = ed25519((OctetKeyPair) jwk);
    }
    return jdkEnginesOnly ? SignatureVerifier.forPublicKeyWithTheJdk(key, algorithmsFor(jwk))
        : SignatureVerifier.forPublicKey(key, algorithmsFor(jwk));
  }

  /** DER prefix of an X.509 SubjectPublicKeyInfo holding a raw 32-byte Ed25519 key (RFC 8410). */
  private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

  private static PublicKey ed25519(OctetKeyPair okp) throws GeneralSecurityException {
    byte[] x = okp.getDecodedX();
    if (x.length != 32) {
      throw new GeneralSecurityException("expected a 32-byte Ed25519 public key, but it has " + x.length + " bytes");
    }
    byte[] spki = new byte[ED25519_SPKI_PREFIX.length + 32];
    System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
    System.arraycopy(x, 0, spki, ED25519_SPKI_PREFIX.length, 32);
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
  }

  private static List<VerificationKey> dropAmbiguousKids(List<VerificationKey> keys, List<String> dropped) {
    Map<String, String> materialByKid = new HashMap<>();
    Map<String, Boolean> ambiguous = new LinkedHashMap<>();
    for (VerificationKey k : keys) {
      if (k.kid() == null) {
        continue;
      }
      String previous = materialByKid.putIfAbsent(k.kid(), k.thumbprint());
      if (previous != null && !previous.equals(k.thumbprint())) {
        ambiguous.put(k.kid(), true);
      }
    }
    List<VerificationKey> out = new ArrayList<>();
    for (VerificationKey k : keys) {
      if (k.kid() != null && ambiguous.containsKey(k.kid())) {
        continue;
      }
      out.add(k);
    }
    ambiguous.keySet().forEach(kid -> dropped.add("key '" + kid + "': several different keys share this kid"));
    return out;
  }
}
