package dev.tokenguard.jwks;

import com.nimbusds.jose.JWSAlgorithm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable snapshot of one JWKS document after {@link KeyHygiene}, with the time it was fetched. Keys are indexed
 * by {@code kid}, so finding a token's key does not grow with the size of the set.
 */
public final class KeySet {
  private final List<VerificationKey> keys;
  private final Instant fetchedAt;
  private final Map<String, List<VerificationKey>> byKid = new HashMap<>();

  /**
   * @param keys the usable keys
   * @param fetchedAt when the document was fetched
   */
  public KeySet(List<VerificationKey> keys, Instant fetchedAt) {
    this.keys = List.copyOf(keys);
    this.fetchedAt = Objects.requireNonNull(fetchedAt, "fetchedAt");
    for (VerificationKey k : this.keys) {
      if (k.kid() != null) {
        byKid.computeIfAbsent(k.kid(), x -> new ArrayList<>(1)).add(k);
      }
    }
  }

  /** The usable keys. */
  public List<VerificationKey> keys() {
    return keys;
  }

  /** When the document was fetched. */
  public Instant fetchedAt() {
    return fetchedAt;
  }

  /**
   * The keys that may verify a token with this {@code kid} (which may be {@code null}) and {@code alg}. A
   * token without {@code kid} is tried against every key that fits the algorithm.
   */
  public List<VerificationKey> candidates(String kid, JWSAlgorithm alg) {
    List<VerificationKey> among = kid == null ? keys : byKid.getOrDefault(kid, List.of());
    List<VerificationKey> out = new ArrayList<>(2);
    for (VerificationKey k : among) {
      if (k.fits(alg)) {
        out.add(k);
      }
    }
    return out;
  }

  /** Whether any key carries this {@code kid}, whatever its algorithm. */
  public boolean hasKid(String kid) {
    return byKid.containsKey(kid);
  }

  /** Thumbprints of every key. */
  public Set<String> thumbprints() {
    Set<String> out = new HashSet<>();
    for (VerificationKey k : keys) {
      out.add(k.thumbprint());
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeySet other && keys.equals(other.keys) && fetchedAt.equals(other.fetchedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keys, fetchedAt);
  }

  @Override
  public String toString() {
    return "KeySet[keys=" + keys + ", fetchedAt=" + fetchedAt + "]";
  }
}
