package dev.tokenguard.jwks;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;

/**
 * A public key that passed {@link KeyHygiene}, with the verifier built for it once.
 *
 * @param kid the key id, or {@code null}
 * @param thumbprint the RFC 7638 SHA-256 thumbprint, identifying the key material
 * @param jwk the public JWK
 * @param algorithm the key's own {@code alg}, or {@code null} when it does not restrict one
 * @param verifier verifies signatures made with this key
 */
public record VerificationKey(String kid, String thumbprint, JWK jwk, JWSAlgorithm algorithm, SignatureVerifier verifier) {

  /** Whether this key may verify a signature made with {@code alg}: key type, curve and own {@code alg} agree. */
  public boolean fits(JWSAlgorithm alg) {
    return (algorithm == null || algorithm.equals(alg)) && verifier.algorithms().contains(alg);
  }
}
