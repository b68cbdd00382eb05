package dev.tokenguard.jwks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tokenguard.testing.TestFiles;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every RSA and ECDSA engine TokenGuard may pick ({@link SignatureEngines}) answers every Wycheproof RSA PKCS#1 v1.5
 * and ECDSA P-256 (r||s) vector as published, through {@link SignatureVerifier}: which engine runs changes the speed,
 * never an answer, but for the two vectors the JDK refuses (below). BouncyCastle answers the RSA vectors too, though it
 * is never picked for RSA. WycheproofTest runs the same vectors, and the JWS ones of every algorithm, through the whole
 * pipeline with the engines the class path gives and with {@code signature-engines=jdk}.
 */
public class SignatureEnginesTest {
  /**
   * ECDSA vectors that are valid signatures which the JDK's SunEC refuses, as Nimbus on the JDK does: r with 16
   * leading zero bytes (tcId 115) and r = 3 (tcId 257). An honest signer makes such an r with probability about
   * 2^-128. The faster engines accept them, as the vectors say they should.
   */
  public static final Set<Integer> REFUSED_BY_THE_JDK = Set.of(115, 257);

  private static final boolean LINUX_X86_64 = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
      && List.of("amd64", "x86_64").contains(System.getProperty("os.arch"));

  @Test
  void theFastestEngineOnTheClassPathIsPicked() {
    assertThat(SignatureEngines.Engine.BOUNCY_CASTLE.available()).as("BouncyCastle is on the test class path").isTrue();
    assumeThat(LINUX_X86_64).as("the Corretto provider's jar on the test class path is the Linux x86-64 one").isTrue();
    assertThat(SignatureEngines.Engine.CORRETTO.available()).as("its native library loads here: " + SignatureEngines.describe()).isTrue();
    assertThat(SignatureEngines.RSA).isEqualTo(SignatureEngines.Engine.CORRETTO);
    assertThat(SignatureEngines.ECDSA).isEqualTo(SignatureEngines.Engine.CORRETTO);
    assertThat(SignatureEngines.describe()).isEqualTo("RSA by the Amazon Corretto Crypto Provider, ECDSA by the Amazon Corretto Crypto Provider");
  }

  @TestFactory
  Stream<DynamicTest> everyEngineAnswersEveryRsaVectorAsPublished() {
    return vectors("rsa_signature_2048_sha256_test.json", "RSA", JWSAlgorithm.RS256, Set.of());
  }

  @TestFactory
  Stream<DynamicTest> everyEngineAnswersEveryEcdsaVectorAsPublished() {
    return vectors("ecdsa_secp256r1_sha256_p1363_test.json", "EC", JWSAlgorithm.ES256, REFUSED_BY_THE_JDK);
  }

  private static Stream<DynamicTest> vectors(String file, String keyType, JWSAlgorithm alg, Set<Integer> refusedByTheJdk) {
    List<DynamicTest> tests = new ArrayList<>();
    int engines = 0;
    for (SignatureEngines.Engine engine : SignatureEngines.Engine.values()) {
      if (!engine.available()) {
        continue; // the Corretto provider off Linux x86-64: theFastestEngineOnTheClassPathIsPicked says so
      }
      engines++;
      for (Map<String, Object> group : TestFiles.wycheproofGroups(file)) {
        String der = (String) group.get("publicKeyDer");
        for (Map<String, Object> t : TestFiles.wycheproofTests(group)) {
          String result = (String) t.get("result");
          if (result.equals("acceptable")) {
            continue; // either answer is correct
          }
          int tcId = ((Number) t.get("tcId")).intValue();
          boolean expected = result.equals("valid") && !(engine == SignatureEngines.Engine.JDK && refusedByTheJdk.contains(tcId));
          tests.add(DynamicTest.dynamicTest(engine + " tcId " + tcId + " " + t.get("comment"), () -> {
            PublicKey key = KeyFactory.getInstance(keyType).generatePublic(new X509EncodedKeySpec(HexFormat.of().parseHex(der)));
            SignatureVerifier verifier = SignatureVerifier.forPublicKey(key, Set.of(alg), engine);
            byte[] msg = HexFormat.of().parseHex((String) t.get("msg"));
            byte[] sig = HexFormat.of().parseHex((String) t.get("sig"));
            assertThat(verifier.verify(alg, msg, sig)).as(file + " tcId " + tcId).isEqualTo(expected);
          }));
        }
      }
    }
    assertThat(engines).as("engines available: " + SignatureEngines.describe()).isEqualTo(LINUX_X86_64 ? 3 : 2);
    return tests.stream();
  }

  /**
   * {@code signature-engines=jdk}: keys read from a key set and a DPoP proof's key are checked by the JDK, which
   * refuses tcId 115 (valid, tiny r) where the engines on this class path accept it.
   */
  @Test
  void theJdkSettingChecksKeySetAndProofKeysWithTheJdk() throws Exception {
    Map<String, Object> group = TestFiles.wycheproofGroups("ecdsa_secp256r1_sha256_p1363_test.json").stream()
        .filter(g -> TestFiles.wycheproofTests(g).stream().anyMatch(t -> ((Number) t.get("tcId")).intValue() == 115)).findFirst().orElseThrow();
    Map<String, Object> vector = TestFiles.wycheproofTests(group).stream()
        .filter(t -> ((Number) t.get("tcId")).intValue() == 115).findFirst().orElseThrow();
    @SuppressWarnings("unchecked")
    Map<String, Object> jwk = (Map<String, Object>) group.get("publicKeyJwk");
    String jwks = com.nimbusds.jose.util.JSONObjectUtils.toJSONString(Map.of("keys", List.of(jwk)));
    byte[] msg = HexFormat.of().parseHex((String) vector.get("msg"));
    byte[] sig = HexFormat.of().parseHex((String) vector.get("sig"));
    for (boolean jdkOnly : new boolean[] {false, true}) {
      SignatureVerifier fromKeySet = KeyHygiene.parse(jwks, java.time.Instant.EPOCH, jdkOnly).keySet().keys().get(0).verifier();
      SignatureVerifier fromProof = KeyHygiene.clientKey(jwk, jdkOnly).verifier();
      assertThat(fromKeySet.verify(JWSAlgorithm.ES256, msg, sig)).as("key set, jdk only: " + jdkOnly).isEqualTo(!jdkOnly);
      assertThat(fromProof.verify(JWSAlgorithm.ES256, msg, sig)).as("proof key, jdk only: " + jdkOnly).isEqualTo(!jdkOnly);
    }
  }

  /** Not only the vectors' keys: ES384 and ES512, and RS384 and RS512, on keys made here, each engine against the JDK. */
  @Test
  void everyEngineVerifiesTheOtherCurvesAndHashesAsTheJdkDoes() throws Exception {
    byte[] message = "eyJhbGciOiJFUzM4NCJ9.eyJzdWIiOiJhbGljZSJ9".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Map<JWSAlgorithm, String[]> cases = Map.of(
        JWSAlgorithm.ES384, new String[] {"EC", "secp384r1", "SHA384withECDSAinP1363Format"},
        JWSAlgorithm.ES512, new String[] {"EC", "secp521r1", "SHA512withECDSAinP1363Format"},
        JWSAlgorithm.RS384, new String[] {"RSA", "3072", "SHA384withRSA"},
        JWSAlgorithm.RS512, new String[] {"RSA", "4096", "SHA512withRSA"});
    for (Map.Entry<JWSAlgorithm, String[]> c : cases.entrySet()) {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(c.getValue()[0]);
      if (c.getValue()[0].equals("EC")) {
        generator.initialize(new ECGenParameterSpec(c.getValue()[1]));
      } else {
        generator.initialize(Integer.parseInt(c.getValue()[1]));
      }
      KeyPair keys = generator.generateKeyPair();
      Signature signer = Signature.getInstance(c.getValue()[2]);
      signer.initSign(keys.getPrivate());
      signer.update(message);
      byte[] signature = signer.sign();
      for (SignatureEngines.Engine engine : SignatureEngines.Engine.values()) {
        if (!engine.available()) {
          continue;
        }
        SignatureVerifier verifier = SignatureVerifier.forPublicKey(keys.getPublic(), Set.of(c.getKey()), engine);
        assertThat(verifier.verify(c.getKey(), message, signature)).as(engine + " " + c.getKey() + " valid").isTrue();
        for (int bit : new int[] {0, 8 * signature.length / 2 + 3, 8 * signature.length - 1}) {
          byte[] changed = signature.clone();
          changed[bit / 8] ^= (byte) (1 << (bit % 8));
          assertThat(verifier.verify(c.getKey(), message, changed)).as(engine + " " + c.getKey() + " bit " + bit).isFalse();
        }
        byte[] otherMessage = message.clone();
        otherMessage[3] ^= 1;
        assertThat(verifier.verify(c.getKey(), otherMessage, signature)).as(engine + " " + c.getKey() + " other message").isFalse();
        assertThat(verifier.verify(c.getKey(), message, java.util.Arrays.copyOf(signature, signature.length + 1)))
            .as(engine + " " + c.getKey() + " a byte longer").isFalse();
      }
    }
  }
}
