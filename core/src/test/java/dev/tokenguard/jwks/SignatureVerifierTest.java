package dev.tokenguard.jwks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tokenguard.testing.TestKeys;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {
  private static final byte[] INPUT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0".getBytes(StandardCharsets.US_ASCII);

  @Test
  void verifyWhenManyThreadsShareOneKeyThenEveryAnswerIsRight() throws Exception {
    SignatureVerifier verifier = SignatureVerifier.forPublicKey(TestKeys.RSA.pair().getPublic(), Set.of(JWSAlgorithm.RS256));
    byte[] good = sign("SHA256withRSA", TestKeys.RSA, INPUT);
    byte[] bad = good.clone();
    bad[bad.length - 1] ^= 1;
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Boolean>> answers = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        boolean valid = i % 3 != 0;
        Callable<Boolean> task = () -> verifier.verify(JWSAlgorithm.RS256, INPUT, valid ? good : bad) == valid;
        answers.add(pool.submit(task));
      }
      for (Future<Boolean> answer : answers) {
        assertThat(answer.get()).as("a pooled Signature answered for another call's input").isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void verifyWhenAlgorithmNotOfThisKeyThenFalse() throws Exception {
    SignatureVerifier verifier = SignatureVerifier.forPublicKey(TestKeys.RSA.pair().getPublic(), Set.of(JWSAlgorithm.RS256));
    assertThat(verifier.verify(JWSAlgorithm.PS256, INPUT, sign("SHA256withRSA", TestKeys.RSA, INPUT))).isFalse();
  }

  @Test
  void verifyWhenEcdsaSignatureOutOfRangeOrShortThenFalse() throws Exception {
    ECPublicKey key = (ECPublicKey) TestKeys.EC_P256.pair().getPublic();
    SignatureVerifier verifier = SignatureVerifier.forPublicKey(key, Set.of(JWSAlgorithm.ES256));
    byte[] good = sign("SHA256withECDSAinP1363Format", TestKeys.EC_P256, INPUT);
    assertThat(verifier.verify(JWSAlgorithm.ES256, INPUT, good)).isTrue();
    BigInteger n = key.getParams().getOrder();
    byte[] sIsN = good.clone();
    System.arraycopy(fixed(n, 32), 0, sIsN, 32, 32);
    byte[] zeroR = good.clone();
    Arrays.fill(zeroR, 0, 32, (byte) 0);
    assertThat(verifier.verify(JWSAlgorithm.ES256, INPUT, sIsN)).as("s = n").isFalse();
    assertThat(verifier.verify(JWSAlgorithm.ES256, INPUT, zeroR)).as("r = 0").isFalse();
    assertThat(verifier.verify(JWSAlgorithm.ES256, INPUT, Arrays.copyOf(good, 63))).as("one byte short").isFalse();
    assertThat(verifier.verify(JWSAlgorithm.ES256, INPUT, good)).as("the pool still works after rejections").isTrue();
  }

  @Test
  void forHmacSecretWhenSecretShorterThanHashThenThatAlgorithmRefused() throws Exception {
    byte[] secret = new byte[40];
    Arrays.fill(secret, (byte) 7);
    SignatureVerifier verifier = SignatureVerifier.forHmacSecret(secret);
    assertThat(verifier.algorithms()).containsExactly(JWSAlgorithm.HS256);
    assertThat(verifier.verify(JWSAlgorithm.HS256, INPUT, mac("HmacSHA256", secret))).isTrue();
    assertThat(verifier.verify(JWSAlgorithm.HS384, INPUT, mac("HmacSHA384", secret))).isFalse();
    byte[] truncated = Arrays.copyOf(mac("HmacSHA256", secret), 16);
    assertThat(verifier.verify(JWSAlgorithm.HS256, INPUT, truncated)).as("a truncated MAC").isFalse();
    assertThat(SignatureVerifier.forHmacSecret(new byte[64]).algorithms())
        .containsExactlyInAnyOrder(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);
    assertThatThrownBy(() -> SignatureVerifier.forHmacSecret(new byte[31])).isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("31 bytes");
  }

  private static byte[] sign(String jca, TestKeys.TestKey key, byte[] input) throws Exception {
    Signature s = Signature.getInstance(jca);
    s.initSign(key.pair().getPrivate());
    s.update(input);
    return s.sign();
  }

  private static byte[] mac(String jca, byte[] secret) throws Exception {
    Mac mac = Mac.getInstance(jca);
    mac.init(new SecretKeySpec(secret, jca));
    return mac.doFinal(INPUT);
  }

  private static byte[] fixed(BigInteger v, int size) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[size];
    int copy = Math.min(raw.length, size);
    System.arraycopy(raw, raw.length - copy, out, size - copy, copy);
    return out;
  }
}
