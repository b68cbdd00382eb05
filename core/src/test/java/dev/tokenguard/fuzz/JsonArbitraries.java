package dev.tokenguard.fuzz;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Random JSON values (maps, lists, strings, numbers, booleans, null), nested to a bounded depth. */
final class JsonArbitraries {
  private JsonArbitraries() {}

  static Arbitrary<Object> value(int depth) {
    Arbitrary<Object> scalar = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40).map(s -> (Object) s),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.just((Object) null),
        Arbitraries.of("RS256", "none", "HS256", "ES256", "at+jwt", "JWT", "sig", "enc", "verify", "RSA", "EC", "OKP", "oct",
            "P-256", "Ed25519", "AQAB", "x", "-1", "1e20", "").map(s -> (Object) s));
    if (depth <= 0) {
      return scalar;
    }
    Arbitrary<Object> list = value(depth - 1).list().ofMaxSize(4).map(l -> (Object) l);
    Arbitrary<Object> map = Arbitraries.maps(key(), value(depth - 1)).ofMaxSize(5).map(m -> (Object) m);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, scalar),
        net.jqwik.api.Tuple.of(2, list),
        net.jqwik.api.Tuple.of(3, map));
  }

  /** Object keys, biased to the names parsers look at. */
  static Arbitrary<String> key() {
    return Arbitraries.oneOf(
        Arbitraries.of("alg", "kid", "typ", "crit", "jwk", "jku", "x5u", "x5c", "enc", "b64", "cty", "iss", "sub", "aud",
            "exp", "nbf", "iat", "scope", "scp", "permissions", "roles", "realm_access", "keys", "kty", "use", "key_ops",
            "n", "e", "x", "y", "crv", "k", "d", "id", "user_id", "email", "blocked", "status", "result", "enabled"),
        Arbitraries.strings().ofMaxLength(12));
  }

  static Arbitrary<Map<String, Object>> object(int depth) {
    return Arbitraries.maps(key(), value(depth)).ofMaxSize(8);
  }

  static Arbitrary<List<Object>> list(int depth) {
    return value(depth).list().ofMaxSize(6);
  }
}
