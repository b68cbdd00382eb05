package dev.tokenguard.jwks;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Verifies JWS signatures of one public key with the JDK's own JCA, keeping a small pool of initialised
 * {@link Signature}s per algorithm, so a verification costs only the cryptography (Nimbus' verifiers look up a
 * provider and initialise the key on every call). A pool rather than a ThreadLocal, so servers that run each request
 * on a new (virtual) thread gain too, and nothing is kept per thread. RS256/384/512, PS256/384/512 (salt length = hash length, MGF1 with the same
 * hash, RFC 7518 §3.5), ES256/384/512 in the JWS r||s form (IEEE P1363, exact length required), and Ed25519
 * (JWS {@code EdDSA}/{@code Ed25519}). Thread-safe.
 */
final class JcaVerifier implements JWSVerifier {
  private final PublicKey key;
  /** The curve order n of an EC key (r and s must lie in [1, n-1]), else null. */
  private final BigInteger order;
  /** Idle initialised verifiers; at most {@link #POOL_SIZE} are kept, more are made and dropped under bursts. */
  private final Map<JWSAlgorithm, ArrayBlockingQueue<Signature>> signatures = new HashMap<>();
  private static final int POOL_SIZE = Math.max(8, 2 * Runtime.getRuntime().availableProcessors());
  private final JCAContext jcaContext = new JCAContext();

  /** @param algorithms what this key may verify (see {@link KeyHygiene#algorithmsFor}) */
  JcaVerifier(PublicKey key, Set<JWSAlgorithm> algorithms) throws GeneralSecurityException {
    this.key = key;
    this.order = key instanceof ECPublicKey ec ? ec.getParams().getOrder() : null;
    for (JWSAlgorithm alg : algorithms) {
      ArrayBlockingQueue<Signature> pool = new ArrayBlockingQueue<>(POOL_SIZE);
      pool.add(newSignature(alg)); // fails now, at key-set time, if the JDK cannot do it
      signatures.put(alg, pool);
    }
  }

  private Signature newSignature(JWSAlgorithm alg) throws GeneralSecurityException {
    String name = alg.getName();
    Signature s;
    if (name.startsWith("RS")) {
      s = Signature.getInstance("SHA" + name.substring(2) + "withRSA");
    } else if (name.startsWith("PS")) {
      String hash = "SHA-" + name.substring(2);
      s = Signature.getInstance("RSASSA-PSS");
      s.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), Integer.parseInt(name.substring(2)) / 8, 1));
    } else if (name.startsWith("ES")) {
      s = Signature.getInstance("SHA" + name.substring(2) + "withECDSAinP1363Format");
    } else {
      s = Signature.getInstance("Ed25519");
    }
    s.initVerify(key);
    return s;
  }

  @Override
  public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) {
    JWSAlgorithm alg = header.getAlgorithm();
    ArrayBlockingQueue<Signature> pool = signatures.get(alg);
    if (pool == null) {
      return false;
    }
    byte[] sig = signature.decode();
    int expected = expectedLength(alg);
    if (expected > 0 && sig.length != expected) {
      return false; // the JDK's P1363 decoding also takes shorter r||s forms: only the exact JWS length is a signature
    }
    int half = sig.length / 2;
    if (order != null && !(inRange(sig, 0, half) && inRange(sig, half, half))) {
      return false; // FIPS 186-4 §6.4.2 step 1; the JDK's P1363 path does not reject s >= n on its own
    }
    try {
      Signature s = pool.poll();
      if (s == null) {
        s = newSignature(alg);
      }
      s.update(signingInput);
      boolean valid = s.verify(sig); // verify() resets the object for the next use, even when it returns false
      pool.offer(s);
      return valid;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false; // the object may be left half-way: it is not returned to the pool
    }
  }

  private boolean inRange(byte[] sig, int from, int length) {
    BigInteger v = new BigInteger(1, sig, from, length);
    return v.signum() > 0 && v.compareTo(order) < 0;
  }

  /** The only valid signature length for ECDSA (RFC 7518 §3.4) and Ed25519 (RFC 8037), else 0. */
  private static int expectedLength(JWSAlgorithm alg) {
    switch (alg.getName()) {
      case "ES256": return 64;
      case "ES384": return 96;
      case "ES512": return 132;
      case "EdDSA":
      case "Ed25519": return 64;
      default: return 0;
    }
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return signatures.keySet();
  }

  @Override
  public JCAContext getJCAContext() {
    return jcaContext;
  }
}
