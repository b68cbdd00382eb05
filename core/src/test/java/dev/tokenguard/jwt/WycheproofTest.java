package dev.tokenguard.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenGuardConfigException;
import dev.tokenguard.jwks.KeyHygiene;
import dev.tokenguard.jwks.KeySet;
import dev.tokenguard.jwks.SignatureEngines;
import dev.tokenguard.jwks.SignatureEnginesTest;
import dev.tokenguard.jwks.VerificationKey;
import dev.tokenguard.testing.TestFiles;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every published Wycheproof vector in {@code core/src/test/resources/wycheproof/} through TokenGuard's own pipeline:
 * strict compact parsing, header checks, key hygiene, signature verification. A vector TokenGuard answers
 * differently is listed in {@link #DIFFERENCES} by tcId with the reason; such a vector must keep differing, so
 * the list cannot go stale.
 */
class WycheproofTest {

  /** Deliberate differences: "file#tcId" -> why TokenGuard's answer differs from the vector's. */
  static final Map<String, String> DIFFERENCES = Map.ofEntries(
      Map.entry("json_web_signature_test.json#347", "the RFC 7520 P-521 key says alg 'ES521', which is no JWS "
          + "algorithm; a key whose alg does not fit its type is dropped (KeyHygiene), so its tokens fail"),
      Map.entry("json_web_signature_test.json#351", "same key as #347 (alg 'ES521'), with key_ops"),
      Map.entry("json_web_signature_test.json#346", "RFC 7520 figure 20 is a PS384 signature, but the group's key "
          + "says alg PS256; a key is used only for its own alg (RFC 7517 §4.4)"),
      Map.entry("json_web_signature_test.json#350", "same as #346, with key_ops"),
      Map.entry("json_web_signature_test.json#367", "the published vector is byte-identical to tcId 357, which is "
          + "valid (the padding its comment describes is not in the file); accepting 357 means accepting this"),
      Map.entry("json_web_signature_test.json#370", "byte-identical to tcId 357, as #367"),
      Map.entry("json_web_signature_test.json#372", "an invalid character ('?') inside the header is skipped by "
          + "lenient decoders; TokenGuard decodes strictly (RFC 7515 §2, RFC 4648 §5) and rejects the token"),
      Map.entry("json_web_signature_test.json#373", "an invalid character inside the payload: rejected by strict "
          + "decoding, as #372"),
      Map.entry("json_web_key_test.json#2", "symmetric keys are never taken from a key set; HMAC needs "
          + "hmac-secret (checked separately below with the same key)"),
      Map.entry("json_web_key_test.json#13", "long HS256 key in a key set: never used, as #2"),
      Map.entry("json_web_key_test.json#14", "long HS384 key in a key set: never used, as #2"),
      Map.entry("json_web_key_test.json#15", "long HS512 key in a key set: never used, as #2"));

  /** The primitive ECDSA file's vectors that only the JDK's engine refuses ({@link SignatureEnginesTest#REFUSED_BY_THE_JDK}). */
  private static final String ECDSA_FILE = "ecdsa_secp256r1_sha256_p1363_test.json#";

  /**
   * Whether TokenGuard answers vector {@code id} otherwise than published, with the engines on the class path or, with
   * {@code jdkOnly} ({@code signature-engines=jdk}), the JDK's.
   */
  private static boolean differs(String id, boolean jdkOnly) {
    return DIFFERENCES.containsKey(id) || (jdkOnly || SignatureEngines.ecdsaByTheJdk()) && id.startsWith(ECDSA_FILE)
        && SignatureEnginesTest.REFUSED_BY_THE_JDK.contains(Integer.parseInt(id.substring(ECDSA_FILE.length())));
  }

  private static String why(String id, boolean jdkOnly) {
    return (jdkOnly ? " (signature-engines=jdk)" : "") + (!differs(id, jdkOnly) ? "" : " (deliberate difference: "
        + DIFFERENCES.getOrDefault(id, "a valid signature the JDK's SunEC refuses, while the JDK verifies ECDSA: "
        + "SignatureEnginesTest.REFUSED_BY_THE_JDK") + ")");
  }

  /** Both settings of {@code signature-engines}: the engines on the class path (fastest) and the JDK's alone. */
  private static final boolean[] JDK_ONLY = {false, true};

  @TestFactory
  Stream<DynamicTest> jsonWebSignatureVectors() throws Exception {
    return vectors("json_web_signature_test.json", false);
  }

  @TestFactory
  Stream<DynamicTest> jsonWebKeyVectors() throws Exception {
    return vectors("json_web_key_test.json", true);
  }

  /** The symmetric keys of the JWK file, configured as hmac-secret: TokenGuard's only way to accept HMAC. */
  @TestFactory
  Stream<DynamicTest> jsonWebKeyHmacVectorsThroughHmacSecret() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (Map<String, Object> group : groups("json_web_key_test.json")) {
      Object priv = group.get("private");
      if (!(priv instanceof Map<?, ?> jwk) || !"oct".equals(jwk.get("kty"))) {
        continue;
      }
      byte[] secret = Base64URL.from((String) jwk.get("k")).decode();
      for (Map<String, Object> t : tests(group)) {
        String jws = (String) t.get("jws");
        boolean expectValid = "valid".equals(t.get("result"));
        tests.add(DynamicTest.dynamicTest("hmac-secret tcId " + t.get("tcId") + " " + t.get("comment"), () -> {
          boolean accepted;
          try {
            JwsVerification v = verification(secret);
            accepted = accepts(v, jws, KeySetOf.empty());
          } catch (TokenGuardConfigException e) {
            accepted = false; // key too short or empty: refused at configuration time
          }
          assertThat(accepted).as("accepted").isEqualTo(expectValid);
        }));
      }
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> ecdsaP256P1363Vectors() throws Exception {
    return primitive("ecdsa_secp256r1_sha256_p1363_test.json", "publicKeyJwk", JWSAlgorithm.ES256);
  }

  @TestFactory
  Stream<DynamicTest> ed25519Vectors() throws Exception {
    return primitive("ed25519_test.json", "publicKeyJwk", JWSAlgorithm.EdDSA);
  }

  @TestFactory
  Stream<DynamicTest> rsaPkcs1Sha256Vectors() throws Exception {
    return primitive("rsa_signature_2048_sha256_test.json", "keyJwk", JWSAlgorithm.RS256);
  }

  @TestFactory
  Stream<DynamicTest> rsaPssSha256Vectors() throws Exception {
    return primitive("rsa_pss_2048_sha256_mgf1_32_test.json", "publicKeyJwk", JWSAlgorithm.PS256);
  }

  private Stream<DynamicTest> vectors(String file, boolean keySetFile) throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (Map<String, Object> group : groups(file)) {
      Object keyMaterial = group.get("public") != null ? group.get("public") : group.get("private");
      byte[] secret = null;
      String jwks;
      if (!keySetFile && keyMaterial instanceof Map<?, ?> jwk && "oct".equals(jwk.get("kty"))) {
        secret = Base64URL.from((String) jwk.get("k")).decode(); // a lone symmetric key: the configured secret
        jwks = "{\"keys\":[]}";
      } else if (keyMaterial instanceof Map<?, ?> m && m.containsKey("keys")) {
        jwks = JSONObjectUtils.toJSONString(cast(m));
      } else {
        jwks = JSONObjectUtils.toJSONString(Map.of("keys", List.of(keyMaterial)));
      }
      byte[] hmac = secret;
      for (Map<String, Object> t : tests(group)) {
        for (boolean jdkOnly : JDK_ONLY) {
          String id = file + "#" + t.get("tcId");
          Object jws = t.get("jws");
          boolean expectValid = "valid".equals(t.get("result"));
          boolean expected = differs(id, jdkOnly) != expectValid;
          tests.add(DynamicTest.dynamicTest("tcId " + t.get("tcId") + " " + group.get("comment") + " " + t.get("comment")
              + (jdkOnly ? " (jdk)" : ""), () -> {
            KeySet keys = KeyHygiene.parse(jwks, Instant.EPOCH, jdkOnly).keySet();
            boolean accepted = jws instanceof String s && accepts(verification(hmac), s, keys);
            assertThat(accepted).as(id + why(id, jdkOnly)).isEqualTo(expected);
          }));
        }
      }
    }
    return tests.stream();
  }

  private Stream<DynamicTest> primitive(String file, String jwkField, JWSAlgorithm alg) throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (Map<String, Object> group : groups(file)) {
      Object jwk = group.get(jwkField) != null ? group.get(jwkField) : ecJwk(cast((Map<?, ?>) group.get("publicKey")));
      String jwks = JSONObjectUtils.toJSONString(Map.of("keys", List.of(jwk)));
      for (Map<String, Object> t : tests(group)) {
        String result = (String) t.get("result");
        if (result.equals("acceptable")) {
          continue; // either answer is correct
        }
        String id = file + "#" + t.get("tcId");
        for (boolean jdkOnly : JDK_ONLY) {
          boolean expected = differs(id, jdkOnly) != result.equals("valid");
          tests.add(DynamicTest.dynamicTest(file + " tcId " + t.get("tcId") + " " + t.get("comment") + (jdkOnly ? " (jdk)" : ""), () -> {
            KeySet keys = KeyHygiene.parse(jwks, Instant.EPOCH, jdkOnly).keySet();
            assertThat(keys.keys()).as("the vector's key passes key hygiene").hasSize(1);
            VerificationKey key = keys.keys().get(0);
            byte[] msg = HexFormat.of().parseHex((String) t.get("msg"));
            byte[] sig = HexFormat.of().parseHex((String) t.get("sig"));
            boolean accepted = key.fits(alg) && key.verifier().verify(alg, msg, sig);
            assertThat(accepted).as(id + why(id, jdkOnly)).isEqualTo(expected);
          }));
        }
      }
    }
    return tests.stream();
  }

  /** A P-256 JWK from a group that gives the point only as hex coordinates. */
  private static Map<String, Object> ecJwk(Map<String, Object> publicKey) {
    return Map.of("kty", "EC", "crv", "P-256", "x", coordinate((String) publicKey.get("wx")),
        "y", coordinate((String) publicKey.get("wy")));
  }

  private static String coordinate(String hex) {
    byte[] raw = new java.math.BigInteger(hex, 16).toByteArray();
    byte[] fixed = new byte[32];
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, fixed, 32 - n, n);
    return Base64URL.encode(fixed).toString();
  }

  /** Runs TokenGuard's JWS steps; true when accepted, false on a typed rejection; anything else fails the test. */
  private static boolean accepts(JwsVerification v, String jws, KeySet keys) {
    try {
      CompactJws compact = CompactJws.parse(jws, 16 * 1024);
      JWSHeader header = v.checkedHeader(compact);
      v.verifySignature(compact, header, new KeySetOf(keys));
      return true;
    } catch (InvalidTokenException e) {
      return false;
    }
  }

  private static JwsVerification verification(byte[] hmacSecret) {
    TokenGuardConfig.Builder b = TokenGuardConfig.builder().issuer("https://issuer.example").jwksUri("https://issuer.example/jwks");
    if (hmacSecret != null) {
      b.hmacSecret(hmacSecret);
    }
    TokenGuardConfig c = b.build();
    return new JwsVerification(c.algorithms(), c.tokenTypes(), c.hmacSecret());
  }

  private record KeySetOf(KeySet set) implements JwsVerification.KeySource {
    static KeySet empty() {
      return new KeySet(List.of(), Instant.EPOCH);
    }

    @Override
    public KeySet keys() {
      return set;
    }

    @Override
    public KeySet refetch(KeySet seen) {
      return seen;
    }
  }

  private static List<Map<String, Object>> groups(String file) {
    return TestFiles.wycheproofGroups(file);
  }

  private static List<Map<String, Object>> tests(Map<String, Object> group) {
    return TestFiles.wycheproofTests(group);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
