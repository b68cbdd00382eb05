package dev.tokenguard.jwks;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.internal.Pool;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies JWS signatures of one key through the JCA, keeping a small {@link Pool} of initialised
 * {@link Signature} (or {@link Mac}) objects per algorithm, so a verification costs only the cryptography: Nimbus'
 * verifiers look up a provider, initialise the key and decode the signature with a constant-time Base64 codec on every
 * call.
 *
 * <p>RS256/384/512 and ES256/384/512 by the fastest provider on the class path ({@link SignatureEngines}, else the
 * JDK's); PS256/384/512 (salt length = hash length, MGF1 with the same hash, RFC 7518 §3.5); ES256/384/512
 * in the JWS r||s form (exact length, 0 &lt; r, s &lt; n); Ed25519 (JWS {@code EdDSA}/{@code Ed25519}, exact
 * length, by the fastest engine on the class path: {@link Ed25519Engines}); HS256/384/512 with a secret at least as
 * long as the hash (RFC 7518 §3.2), compared in constant time. Thread-safe.
 */
public final class SignatureVerifier {
  private final PublicKey key;
  private final SecretKeySpec secret;
  /** The curve order n of an EC key (r and s must lie in [1, n-1]), else null. */
  private final BigInteger order;
  /** The length in bytes of an RSA key's modulus, which its signatures have exactly (RFC 8017 §8.2.2), else 0. */
  private final int modulusBytes;
  /** Idle engines ({@link Signature} or {@link Mac}) per algorithm. */
  private final Map<JWSAlgorithm, Pool<Object>> pools = new HashMap<>();
  /** Ed25519 by a faster engine than the JDK's ({@link Ed25519Engines}), or null when the JDK's pooled ones are used. */
  private final Ed25519Engines.Verifier ed25519;
  /** Who verifies RS256/384/512 and who ES256/384/512 ({@link SignatureEngines}). */
  private final SignatureEngines.Engine rsa;
  private final SignatureEngines.Engine ecdsa;

  private SignatureVerifier(PublicKey key, SecretKeySpec secret, Set<JWSAlgorithm> algorithms, Ed25519Engines.Engine engine,
      SignatureEngines.Engine rsa, SignatureEngines.Engine ecdsa) throws GeneralSecurityException {
    this.key = key;
    this.secret = secret;
    this.rsa = rsa;
    this.ecdsa = ecdsa;
    this.order = key instanceof ECPublicKey ec ? ec.getParams().getOrder() : null;
    this.modulusBytes = key instanceof RSAPublicKey rsaKey ? (rsaKey.getModulus().bitLength() + 7) / 8 : 0;
    for (JWSAlgorithm alg : algorithms) {
      Pool<Object> pool = new Pool<>();
      pool.give(newEngine(alg)); // fails now, at key-set time, if the engine cannot do it (or the key is not a point)
      pools.put(alg, pool);
    }
    this.ed25519 = key instanceof EdECPublicKey ? engine.verifier(Ed25519Engines.rawKey(key)) : null;
  }

  /**
   * @param key an RSA, EC or Ed25519 public key
   * @param algorithms what this key may verify (see {@link KeyHygiene#algorithmsFor})
   */
  public static SignatureVerifier forPublicKey(PublicKey key, Set<JWSAlgorithm> algorithms) throws GeneralSecurityException {
    return new SignatureVerifier(key, null, algorithms, Ed25519Engines.FASTEST, SignatureEngines.RSA, SignatureEngines.ECDSA);
  }

  /** As above, but every signature checked by the JVM's installed providers ({@code signature-engines=jdk}). */
  public static SignatureVerifier forPublicKeyWithTheJdk(PublicKey key, Set<JWSAlgorithm> algorithms) throws GeneralSecurityException {
    return new SignatureVerifier(key, null, algorithms, Ed25519Engines.Engine.JDK, SignatureEngines.Engine.JDK, SignatureEngines.Engine.JDK);
  }

  /** As above, with Ed25519 verified by {@code engine} (the tests prove each engine gives the same answers). */
  static SignatureVerifier forPublicKey(PublicKey key, Set<JWSAlgorithm> algorithms, Ed25519Engines.Engine engine)
      throws GeneralSecurityException {
    return new SignatureVerifier(key, null, algorithms, engine, SignatureEngines.RSA, SignatureEngines.ECDSA);
  }

  /** As above, with RSA PKCS#1 v1.5 and ECDSA verified by {@code engine} (for the tests, as the one above). */
  static SignatureVerifier forPublicKey(PublicKey key, Set<JWSAlgorithm> algorithms, SignatureEngines.Engine engine)
      throws GeneralSecurityException {
    return new SignatureVerifier(key, null, algorithms, Ed25519Engines.FASTEST, engine, engine);
  }

  /**
   * @param secret the shared secret; it verifies each HS algorithm whose hash is no longer than the secret
   * @throws GeneralSecurityException when the secret is shorter than 32 bytes (too short for any of them)
   */
  public static SignatureVerifier forHmacSecret(byte[] secret) throws GeneralSecurityException {
    if (secret.length < TokenGuardConfig.MIN_HMAC_SECRET_BYTES) {
      throw new GeneralSecurityException("the secret has " + secret.length + " bytes, but HS256 needs at least "
          + TokenGuardConfig.MIN_HMAC_SECRET_BYTES);
    }
    Set<JWSAlgorithm> algorithms = secret.length >= 64 ? Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512)
        : secret.length >= 48 ? Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384) : Set.of(JWSAlgorithm.HS256);
    return new SignatureVerifier(null, new SecretKeySpec(secret, "HmacSHA256"), algorithms, Ed25519Engines.Engine.JDK,
        SignatureEngines.Engine.JDK, SignatureEngines.Engine.JDK);
  }

  /** The algorithms this verifier accepts. */
  public Set<JWSAlgorithm> algorithms() {
    return pools.keySet();
  }

  /**
   * @param signingInput the ASCII bytes {@code header.payload}
   * @param signature the decoded signature
   * @return whether {@code signature} is a valid {@code alg} signature of {@code signingInput} by this key; false
   *     for an algorithm this verifier does not accept and for any malformed signature
   */
  public boolean verify(JWSAlgorithm alg, byte[] signingInput, byte[] signature) {
    Pool<Object> pool = pools.get(alg);
    if (pool == null || !wellFormed(alg, signature)) {
      return false;
    }
    if (ed25519 != null) {
      return ed25519.verify(signingInput, signature); // the key's only algorithms are EdDSA and Ed25519
    }
    try {
      Object engine = pool.take();
      if (engine == null) {
        engine = newEngine(alg);
      }
      boolean valid;
      if (engine instanceof Mac mac) {
        valid = MessageDigest.isEqual(mac.doFinal(signingInput), signature); // doFinal resets the Mac
      } else {
        Signature s = (Signature) engine;
        s.update(signingInput);
        valid = s.verify(signature); // verify() resets the object for the next use, even when it returns false
      }
      pool.give(engine);
      return valid;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false; // the object may be left half-way: it is not returned to the pool
    }
  }

  /**
   * Exact lengths for ECDSA (RFC 7518 §3.4) and Ed25519 (RFC 8037): the JDK's P1363 decoding also takes shorter
   * r||s forms. For ECDSA also 0 &lt; r, s &lt; n (FIPS 186-4 §6.4.2), which the JDK's P1363 path does not
   * enforce for s on its own. For RSA the modulus' length (RFC 8017 §8.2.2 step 1; the JDK throws for another, which
   * would cost a pooled engine). Checked here, so every engine ({@link SignatureEngines}) sees only signatures of the
   * one form, and HMAC's length by the constant-time comparison.
   */
  private boolean wellFormed(JWSAlgorithm alg, byte[] signature) {
    int expected;
    switch (alg.getName()) {
      case "ES256": expected = 64; break;
      case "ES384": expected = 96; break;
      case "ES512": expected = 132; break;
      case "EdDSA":
      case "Ed25519": return signature.length == 64;
      default: return modulusBytes == 0 || signature.length == modulusBytes; // RS*, PS*; HS* (no modulus)
    }
    int half = expected / 2;
    return signature.length == expected && inRange(signature, 0, half) && inRange(signature, half, half);
  }

  private boolean inRange(byte[] signature, int from, int length) {
    BigInteger v = new BigInteger(1, signature, from, length);
    return v.signum() > 0 && v.compareTo(order) < 0;
  }

  private Object newEngine(JWSAlgorithm alg) throws GeneralSecurityException {
    String name = alg.getName();
    String bits = name.substring(2);
    if (name.startsWith("HS")) {
      Mac mac = Mac.getInstance("HmacSHA" + bits);
      mac.init(new SecretKeySpec(secret.getEncoded(), mac.getAlgorithm()));
      return mac;
    }
    Signature s;
    if (name.startsWith("RS")) {
      s = rsa.signature("SHA" + bits + "withRSA");
    } else if (name.startsWith("PS")) {
      String hash = "SHA-" + bits;
      s = Signature.getInstance("RSASSA-PSS");
      s.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), Integer.parseInt(bits) / 8, 1));
    } else if (name.startsWith("ES")) {
      s = ecdsa.signature("SHA" + bits + "withECDSAinP1363Format");
    } else {
      s = Signature.getInstance("Ed25519");
    }
    s.initVerify(key);
    return s;
  }
}
