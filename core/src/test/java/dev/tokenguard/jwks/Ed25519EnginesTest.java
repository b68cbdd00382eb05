package dev.tokenguard.jwks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tokenguard.testing.TestFiles;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every Ed25519 engine TokenGuard may pick ({@link Ed25519Engines}) answers every Wycheproof Ed25519 vector as
 * published, through {@link SignatureVerifier}: which engine runs changes the speed, never an answer. (WycheproofTest
 * runs the same vectors through the whole JWS pipeline with the engine the class path gives.)
 */
class Ed25519EnginesTest {
  private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  @Test
  void theFastestEngineOnTheClassPathIsPicked() {
    for (Ed25519Engines.Engine engine : Ed25519Engines.Engine.values()) {
      assertThat(engine.available()).as(engine + " is on the test class path").isTrue();
    }
    assertThat(Ed25519Engines.FASTEST).isEqualTo(Ed25519Engines.Engine.BOUNCY_CASTLE);
    assertThat(Ed25519Engines.name()).isEqualTo("BouncyCastle");
  }

  @TestFactory
  Stream<DynamicTest> everyEngineAnswersEveryVectorAsPublished() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Ed25519Engines.Engine engine : Ed25519Engines.Engine.values()) {
      for (Map<String, Object> group : TestFiles.wycheproofGroups("ed25519_test.json")) {
        @SuppressWarnings("unchecked")
        String x = (String) ((Map<String, Object>) group.get("publicKeyJwk")).get("x");
        for (Map<String, Object> t : TestFiles.wycheproofTests(group)) {
          String result = (String) t.get("result");
          if (result.equals("acceptable")) {
            continue; // either answer is correct
          }
          tests.add(DynamicTest.dynamicTest(engine + " tcId " + t.get("tcId") + " " + t.get("comment"), () -> {
            SignatureVerifier verifier = SignatureVerifier.forPublicKey(key(Base64.getUrlDecoder().decode(x)),
                Set.of(JWSAlgorithm.EdDSA), engine);
            byte[] msg = HexFormat.of().parseHex((String) t.get("msg"));
            byte[] sig = HexFormat.of().parseHex((String) t.get("sig"));
            assertThat(verifier.verify(JWSAlgorithm.EdDSA, msg, sig)).as("tcId " + t.get("tcId")).isEqualTo(result.equals("valid"));
          }));
        }
      }
    }
    assertThat(tests).as("vectors for three engines").hasSizeGreaterThan(3 * 100);
    return tests.stream();
  }

  @Test
  void aKeyThatIsNotAPointIsRefusedWhenReadWithEveryEngine() throws Exception {
    byte[] notAPoint = new byte[32];
    notAPoint[0] = 2; // y = 2: no x puts it on the curve
    for (Ed25519Engines.Engine engine : Ed25519Engines.Engine.values()) {
      assertThatThrownBy(() -> SignatureVerifier.forPublicKey(key(notAPoint), Set.of(JWSAlgorithm.EdDSA), engine))
          .as(engine.toString()).isInstanceOf(java.security.GeneralSecurityException.class);
    }
  }

  private static PublicKey key(byte[] raw) throws Exception {
    byte[] spki = new byte[SPKI_PREFIX.length + 32];
    System.arraycopy(SPKI_PREFIX, 0, spki, 0, SPKI_PREFIX.length);
    System.arraycopy(raw, 0, spki, SPKI_PREFIX.length, 32);
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
  }
}
