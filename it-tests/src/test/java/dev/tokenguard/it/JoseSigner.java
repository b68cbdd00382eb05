package dev.tokenguard.it;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenguard.testing.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys and signed tokens from the npm package {@code jose} (installed by the it-tests build), run as one Node
 * process per test class: a signer that shares no code with Nimbus, which TokenGuard verifies with.
 */
public final class JoseSigner implements AutoCloseable {
  private final Process node;
  private final BufferedReader in;
  private final Writer out;

  /** A generated key pair as JWKs. */
  public record KeyPair(String alg, String kid, Map<String, Object> privateJwk, Map<String, Object> publicJwk) {}

  public JoseSigner() throws IOException {
    Path script = NodeScript.prepare("jose", "jose-helper.mjs");
    node = new ProcessBuilder("node", script.toString()).directory(script.getParent().toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    in = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
    out = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);
  }

  private synchronized Map<String, Object> call(Map<String, Object> request) {
    try {
      out.write(Json.write(request) + "\n");
      out.flush();
      Map<String, Object> answer = JSONObjectUtils.parse(in.readLine(), -1);
      if (answer.containsKey("error")) {
        throw new IllegalStateException("jose: " + answer.get("error"));
      }
      return answer;
    } catch (IOException | java.text.ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new key pair for {@code alg} with this {@code kid}. */
  @SuppressWarnings("unchecked")
  public KeyPair keys(String alg, String kid) {
    Map<String, Object> a = call(Map.of("op", "keys", "alg", alg));
    Map<String, Object> priv = new LinkedHashMap<>((Map<String, Object>) a.get("private"));
    Map<String, Object> pub = new LinkedHashMap<>((Map<String, Object>) a.get("public"));
    priv.put("kid", kid);
    pub.put("kid", kid);
    return new KeyPair(alg, kid, priv, pub);
  }

  /** Signs {@code payload} (any text) with {@code key}; {@code header} may add or override members (not alg). */
  public String sign(String alg, Map<String, Object> key, Map<String, Object> header, String payload) {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("op", "sign");
    req.put("alg", alg);
    req.put("key", key);
    req.put("header", header);
    req.put("payload", payload);
    return (String) call(req).get("token");
  }

  /** The RFC 7638 SHA-256 thumbprint of {@code publicJwk}, as jose computes it (a DPoP-bound token's {@code cnf.jkt}). */
  public String thumbprint(Map<String, Object> publicJwk) {
    return (String) call(Map.of("op", "thumbprint", "jwk", publicJwk)).get("thumbprint");
  }

  /**
   * A DPoP proof (RFC 9449) by {@code key} for {@code method} {@code url} with {@code token}: {@code typ} dpop+jwt, the
   * public key in {@code jwk}, a fresh {@code jti}, {@code iat} now and {@code ath} the token's hash; {@code claims}
   * adds or replaces claims (a {@code null} value removes one).
   */
  public String proof(KeyPair key, String method, String url, String token, Map<String, Object> claims) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("jti", java.util.UUID.randomUUID().toString());
    payload.put("htm", method);
    payload.put("htu", url);
    payload.put("iat", java.time.Instant.now().getEpochSecond());
    payload.put("ath", ath(token));
    claims.forEach((k, v) -> {
      if (v == null) payload.remove(k);
      else payload.put(k, v);
    });
    return sign(key.alg(), key.privateJwk(), Map.of("typ", "dpop+jwt", "jwk", key.publicJwk()), Json.write(payload));
  }

  /** {@code ath}: base64url of the SHA-256 of the token. */
  public static String ath(String token) {
    try {
      return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
          java.security.MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    node.destroy();
  }
}
