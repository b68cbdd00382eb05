package dev.tokenguard.testing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Key pairs for tests, generated with the JDK (not with the library under test), and their public JWKs.
 * Generated once per JVM: RSA generation is slow.
 */
public final class TestKeys {
  public static final TestKey RSA = rsa("rsa-1", 2048);
  public static final TestKey RSA_2 = rsa("rsa-2", 2048);
  public static final TestKey EC_P256 = ec("ec-256", "secp256r1", "P-256", 32);
  public static final TestKey EC_P384 = ec("ec-384", "secp384r1", "P-384", 48);
  public static final TestKey ED25519 = ed25519("ed-1");

  private TestKeys() {}

  /** A key pair with its kid, kind and public JWK. */
  public record TestKey(String kid, String kind, KeyPair pair, Map<String, Object> publicJwk) {
    /** The same key under another kid. */
    public TestKey withKid(String newKid) {
      Map<String, Object> jwk = new LinkedHashMap<>(publicJwk);
      jwk.put("kid", newKid);
      return new TestKey(newKid, kind, pair, jwk);
    }

    /** The public JWK with extra or replaced members. */
    public Map<String, Object> jwkWith(Object... keyValues) {
      Map<String, Object> jwk = new LinkedHashMap<>(publicJwk);
      for (int i = 0; i < keyValues.length; i += 2) {
        if (keyValues[i + 1] == null) jwk.remove((String) keyValues[i]);
        else jwk.put((String) keyValues[i], keyValues[i + 1]);
      }
      return jwk;
    }
  }

  /** A JWKS document holding these keys' public JWKs. */
  public static String jwks(TestKey... keys) {
    return Json.write(Map.of("keys", Arrays.stream(keys).map(TestKey::publicJwk).toList()));
  }

  /** A JWKS document holding these JWK maps. */
  @SafeVarargs
  public static String jwksOf(Map<String, Object>... jwks) {
    return Json.write(Map.of("keys", List.of(jwks)));
  }

  public static TestKey rsa(String kid, int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits);
      KeyPair kp = g.generateKeyPair();
      RSAPublicKey pub = (RSAPublicKey) kp.getPublic();
      Map<String, Object> jwk = new LinkedHashMap<>();
      jwk.put("kty", "RSA");
      jwk.put("kid", kid);
      jwk.put("use", "sig");
      jwk.put("n", b64(unsigned(pub.getModulus())));
      jwk.put("e", b64(unsigned(pub.getPublicExponent())));
      return new TestKey(kid, "RSA", kp, jwk);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new EC key pair; {@code curve} the JDK's name (secp256r1), {@code crv} the JWK's (P-256), {@code size} a coordinate's bytes. */
  public static TestKey ec(String kid, String curve, String crv, int size) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(curve));
      KeyPair kp = g.generateKeyPair();
      ECPublicKey pub = (ECPublicKey) kp.getPublic();
      Map<String, Object> jwk = new LinkedHashMap<>();
      jwk.put("kty", "EC");
      jwk.put("kid", kid);
      jwk.put("crv", crv);
      jwk.put("x", b64(fixed(pub.getW().getAffineX(), size)));
      jwk.put("y", b64(fixed(pub.getW().getAffineY(), size)));
      return new TestKey(kid, "EC", kp, jwk);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static TestKey ed25519(String kid) {
    try {
      KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      byte[] spki = kp.getPublic().getEncoded();
      byte[] x = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
      Map<String, Object> jwk = new LinkedHashMap<>();
      jwk.put("kty", "OKP");
      jwk.put("kid", kid);
      jwk.put("crv", "Ed25519");
      jwk.put("x", b64(x));
      return new TestKey(kid, "OKP", kp, jwk);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] unsigned(BigInteger v) {
    byte[] b = v.toByteArray();
    return b[0] == 0 && b.length > 1 ? Arrays.copyOfRange(b, 1, b.length) : b;
  }

  private static byte[] fixed(BigInteger v, int size) {
    byte[] b = unsigned(v);
    byte[] out = new byte[size];
    System.arraycopy(b, 0, out, size - b.length, b.length);
    return out;
  }
}
