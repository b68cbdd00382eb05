package dev.tokenguard.jwks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenguard.testing.TestFiles;
import dev.tokenguard.testing.TestKeys;
import java.math.BigInteger;
import java.nio.file.Files;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a key set may and may not contribute, each dropped key with its reason. */
class KeyHygieneTest {

  static KeyHygiene.Result parse(String json) throws ParseException {
    return KeyHygiene.parse(json, Instant.EPOCH, false);
  }

  @Test
  void parseWhenKeysAreSoundThenAllKept() throws Exception {
    KeyHygiene.Result r = parse(TestKeys.jwks(TestKeys.RSA, TestKeys.EC_P256, TestKeys.EC_P384, TestKeys.ED25519));
    assertThat(r.keySet().keys()).extracting(VerificationKey::kid).containsExactly("rsa-1", "ec-256", "ec-384", "ed-1");
    assertThat(r.dropped()).isEmpty();
  }

  @Test
  void parseWhenRsaUnder2048BitsThenDropped() throws Exception {
    KeyHygiene.Result r = parse(TestKeys.jwks(TestKeys.rsa("small", 1024)));
    assertThat(r.keySet().keys()).isEmpty();
    assertThat(r.dropped()).singleElement().asString().contains("1024 bits, fewer than 2048");
  }

  @Test
  void parseWhenUseEncOrKeyOpsWithoutVerifyThenDropped() throws Exception {
    KeyHygiene.Result r = parse(TestKeys.jwksOf(
        TestKeys.RSA.jwkWith("use", "enc"),
        TestKeys.EC_P256.jwkWith("use", null, "key_ops", List.of("encrypt")),
        TestKeys.EC_P384.jwkWith("use", null, "key_ops", List.of("verify"))));
    assertThat(r.keySet().keys()).extracting(VerificationKey::kid).containsExactly("ec-384");
    assertThat(r.dropped()).anyMatch(d -> d.contains("use is 'enc'")).anyMatch(d -> d.contains("does not include 'verify'"));
  }

  @Test
  void parseWhenSymmetricKeyThenDropped() throws Exception {
    KeyHygiene.Result r = parse("{\"keys\":[{\"kty\":\"oct\",\"kid\":\"s\",\"k\":\"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0\"}]}");
    assertThat(r.keySet().keys()).isEmpty();
    assertThat(r.dropped()).singleElement().asString().contains("symmetric keys are never taken from a key set");
  }

  @Test
  void parseWhenPrivatePartsPresentThenOnlyPublicKeyKept() throws Exception {
    String json = TestFiles.wycheproof("json_web_key_test.json");
    Map<String, Object> group = firstGroup(json, "rs256");
    KeyHygiene.Result r = parse(JSONObjectUtils.toJSONString((Map<String, Object>) group.get("private")));
    assertThat(r.keySet().keys()).singleElement().satisfies(k -> assertThat(k.jwk().isPrivate()).isFalse());
  }

  @Test
  void parseWhenDuplicateKidWithDifferentMaterialThenBothDropped() throws Exception {
    KeyHygiene.Result r = parse(TestKeys.jwks(TestKeys.RSA, TestKeys.RSA_2.withKid("rsa-1"), TestKeys.EC_P256));
    assertThat(r.keySet().keys()).extracting(VerificationKey::kid).containsExactly("ec-256");
    assertThat(r.dropped()).singleElement().asString().contains("several different keys share this kid");
  }

  @Test
  void parseWhenDuplicateKidWithSameMaterialThenKept() throws Exception {
    KeyHygiene.Result r = parse(TestKeys.jwksOf(TestKeys.RSA.jwkWith("alg", "RS256"), TestKeys.RSA.jwkWith("alg", "PS256")));
    assertThat(r.keySet().keys()).hasSize(2);
    assertThat(r.keySet().candidates("rsa-1", JWSAlgorithm.PS256)).hasSize(1);
  }

  @Test
  void parseWhenKeyAlgDoesNotFitTypeThenDropped() throws Exception {
    KeyHygiene.Result r = parse(TestKeys.jwksOf(TestKeys.EC_P256.jwkWith("alg", "ES384"), TestKeys.RSA.jwkWith("alg", "ES256")));
    assertThat(r.keySet().keys()).isEmpty();
    assertThat(r.dropped()).hasSize(2).allMatch(d -> d.contains("does not fit"));
  }

  @Test
  void parseWhenEcPointNotOnCurveThenDropped() throws Exception {
    Map<String, Object> bad = TestKeys.EC_P256.jwkWith("y", TestKeys.EC_P384.publicJwk().get("x"));
    KeyHygiene.Result r = parse(TestKeys.jwksOf(bad));
    assertThat(r.keySet().keys()).isEmpty();
    assertThat(r.dropped()).singleElement().asString().contains("unreadable");
  }

  @Test
  void parseWhenUnknownKtyOrGarbageEntryThenOnlyThatEntryDropped() throws Exception {
    KeyHygiene.Result r = parse("{\"keys\":[{\"kty\":\"XYZ\"},42," + JSONObjectUtils.toJSONString(TestKeys.RSA.publicJwk()) + "]}");
    assertThat(r.keySet().keys()).extracting(VerificationKey::kid).containsExactly("rsa-1");
    assertThat(r.dropped()).hasSize(2);
  }

  @Test
  void parseWhenRsaExponentOneOrEvenThenDropped() {
    BigInteger n = BigInteger.ONE.shiftLeft(2047).add(BigInteger.valueOf(12345));
    assertThat(KeyHygiene.rsaProblem(n, BigInteger.ONE)).contains("exponent 1");
    assertThat(KeyHygiene.rsaProblem(n, BigInteger.valueOf(65536))).contains("exponent 65536");
  }

  /** Every signature engine takes the same keys: AWS-LC (the Corretto provider) refuses exponents above 33 bits. */
  @Test
  void parseWhenRsaExponentAbove31BitsThenDropped() {
    BigInteger n = BigInteger.ONE.shiftLeft(2047).add(BigInteger.valueOf(12345));
    assertThat(KeyHygiene.rsaProblem(n, BigInteger.ONE.shiftLeft(31).add(BigInteger.ONE))).contains("32 bits, more than 31");
    assertThat(KeyHygiene.rsaProblem(n, BigInteger.ONE.shiftLeft(31).subtract(BigInteger.ONE))).isNull();
    assertThat(KeyHygiene.rsaProblem(n, BigInteger.valueOf(65537))).isNull();
  }

  @Test
  void parseWhenRocaKeyThenDroppedForRoca() throws Exception {
    String json = TestFiles.wycheproof("json_web_key_test.json");
    Map<String, Object> group = firstGroup(json, "jws_rsa_roca_key");
    KeyHygiene.Result r = parse(JSONObjectUtils.toJSONString((Map<String, Object>) group.get("public")));
    assertThat(r.keySet().keys()).isEmpty();
    assertThat(r.dropped()).singleElement().asString().contains("ROCA");
  }

  @Test
  void rocaFingerprintWhenRandomModulusThenNoMatch() {
    for (TestKeys.TestKey k : List.of(TestKeys.RSA, TestKeys.RSA_2)) {
      BigInteger n = ((java.security.interfaces.RSAPublicKey) k.pair().getPublic()).getModulus();
      assertThat(RocaFingerprint.matches(n)).isFalse();
    }
  }

  @Test
  void parseWhenTooManyKeysOrNoKeysArrayThenWholeDocumentRejected() {
    List<Map<String, Object>> many = new ArrayList<>(Collections.nCopies(101, TestKeys.EC_P256.publicJwk()));
    assertThatThrownBy(() -> parse(JSONObjectUtils.toJSONString(Map.of("keys", many))))
        .isInstanceOf(ParseException.class).hasMessageContaining("101 keys, more than the limit of 100");
    assertThatThrownBy(() -> parse("{\"kty\":\"RSA\"}")).hasMessageContaining("no 'keys' array");
    assertThatThrownBy(() -> parse("[]")).isInstanceOf(ParseException.class);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> firstGroup(String json, String comment) throws ParseException {
    for (Object g : JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(json, -1), "testGroups")) {
      Map<String, Object> group = (Map<String, Object>) g;
      if (comment.equals(group.get("comment"))) {
        return group;
      }
    }
    throw new AssertionError("no group " + comment);
  }
}
