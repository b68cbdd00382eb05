package dev.tokenguard.testing;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds signed test tokens with the JDK's own signature classes (never with Nimbus, the library under test),
 * so a bug shared by signer and verifier cannot hide. Start from {@link #valid(String, String, Instant)}, change
 * what the test is about, then {@link #sign}.
 */
public final class TestTokens {
  private final Map<String, Object> header = new LinkedHashMap<>();
  private final Map<String, Object> claims = new LinkedHashMap<>();

  private TestTokens() {}

  /** A valid access token: iss, sub, aud, iat = now, exp = now + 1 h, scope, typ at+jwt. */
  public static TestTokens valid(String issuer, String audience, Instant now) {
    TestTokens t = new TestTokens();
    t.header.put("typ", "at+jwt");
    t.claims.put("iss", issuer);
    t.claims.put("sub", "user-123");
    t.claims.put("aud", audience);
    t.claims.put("iat", now.getEpochSecond());
    t.claims.put("exp", now.getEpochSecond() + 3600);
    t.claims.put("scope", "orders:read profile");
    return t;
  }

  /** An empty token: no header members but alg/kid set at signing, no claims. */
  public static TestTokens empty() {
    return new TestTokens();
  }

  /** Sets a claim; {@code null} removes it ({@link #claimNull} stores JSON null). */
  public TestTokens claim(String name, Object value) {
    if (value == null) claims.remove(name);
    else claims.put(name, value);
    return this;
  }

  /** Stores an explicit JSON {@code null}. */
  public TestTokens claimNull(String name) {
    claims.put(name, null);
    return this;
  }

  /** Sets a header member; {@code null} removes it. */
  public TestTokens header(String name, Object value) {
    if (value == null) header.remove(name);
    else header.put(name, value);
    return this;
  }

  public TestTokens expiredBy(long seconds, Instant now) {
    return claim("exp", now.getEpochSecond() - seconds);
  }

  /** The encoded header with alg and kid for {@code key}. */
  public String encodedHeader(String alg, String kid) {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("alg", alg);
    if (kid != null) h.put("kid", kid);
    h.putAll(header);
    return enc(Json.write(h));
  }

  public String encodedClaims() {
    return enc(Json.write(claims));
  }

  /** Signs with {@code key} using {@code alg}; the key's kid goes into the header. */
  public String sign(String alg, TestKeys.TestKey key) {
    return signRaw(alg, key.kid(), encodedClaims(), key.pair().getPrivate());
  }

  /** Signs with HMAC. */
  public String signHmac(String alg, byte[] secret) {
    String input = encodedHeader(alg, null) + "." + encodedClaims();
    return input + "." + enc(hmac(alg, secret, input.getBytes(StandardCharsets.US_ASCII)));
  }

  /** Signs an arbitrary encoded payload. */
  public String signRaw(String alg, String kid, String encodedPayload, PrivateKey key) {
    String input = encodedHeader(alg, kid) + "." + encodedPayload;
    return input + "." + enc(signature(alg, key, input.getBytes(StandardCharsets.US_ASCII)));
  }

  public static byte[] hmac(String alg, byte[] secret, byte[] input) {
    try {
      String name = "Hmac" + "SHA" + alg.substring(2);
      Mac mac = Mac.getInstance(name);
      mac.init(new SecretKeySpec(secret, name));
      return mac.doFinal(input);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] signature(String alg, PrivateKey key, byte[] input) {
    try {
      Signature s;
      switch (alg) {
        case "RS256", "RS384", "RS512" -> s = Signature.getInstance("SHA" + alg.substring(2) + "withRSA");
        case "PS256", "PS384", "PS512" -> {
          int bits = Integer.parseInt(alg.substring(2));
          s = Signature.getInstance("RSASSA-PSS");
          s.setParameter(new PSSParameterSpec("SHA-" + bits, "MGF1", new MGF1ParameterSpec("SHA-" + bits), bits / 8, 1));
        }
        case "ES256", "ES384", "ES512" -> s = Signature.getInstance("SHA" + alg.substring(2) + "withECDSAinP1363Format");
        case "EdDSA", "Ed25519" -> s = Signature.getInstance("Ed25519");
        default -> throw new IllegalArgumentException(alg);
      }
      s.initSign(key);
      s.update(input);
      return s.sign();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String enc(String text) {
    return TestKeys.b64(text.getBytes(StandardCharsets.UTF_8));
  }

  public static String enc(byte[] bytes) {
    return TestKeys.b64(bytes);
  }

  /** Convenience for audience arrays. */
  public static List<Object> list(Object... items) {
    return java.util.Arrays.asList(items);
  }
}
