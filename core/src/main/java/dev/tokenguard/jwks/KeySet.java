package dev.tokenguard.jwks;

import com.nimbusds.jose.JWSAlgorithm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable snapshot of one JWKS document after {@link KeyHygiene}, with the time it was fetched.
 *
 * @param keys the usable keys
 * @param fetchedAt when the document was fetched
 */
public record KeySet(List<VerificationKey> keys, Instant fetchedAt) {

  public KeySet {
    keys = List.copyOf(keys);
    Objects.requireNonNull(fetchedAt, "fetchedAt");
  }

  /**
   * The keys that may verify a token with this {@code kid} (which may be {@code null}) and {@code alg}. A
   * token without {@code kid} is tried against every key that fits the algorithm.
   */
  public List<VerificationKey> candidates(String kid, JWSAlgorithm alg) {
    List<VerificationKey> out = new ArrayList<>(2);
    for (VerificationKey k : keys) {
      if ((kid == null || kid.equals(k.kid())) && k.fits(alg)) {
        out.add(k);
      }
    }
    return out;
  }

  /** Whether any key carries this {@code kid}, whatever its algorithm. */
  public boolean hasKid(String kid) {
    for (VerificationKey k : keys) {
      if (kid.equals(k.kid())) {
        return true;
      }
    }
    return false;
  }

  /** Thumbprints of every key. */
  public Set<String> thumbprints() {
    Set<String> out = new HashSet<>();
    for (VerificationKey k : keys) {
      out.add(k.thumbprint());
    }
    return out;
  }
}
