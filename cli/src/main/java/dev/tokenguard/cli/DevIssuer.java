package dev.tokenguard.cli;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The embedded development issuer of {@code tokenguard serve} when no {@code issuer} is configured: an ES256 key
 * pair generated at start, OpenID discovery and JWKS under {@code /dev}, and {@code POST /dev/token} minting a
 * token for the claims in its JSON body. For trying TokenGuard out; never active when an issuer is configured.
 */
final class DevIssuer {
  static final String AUDIENCE = "tokenguard-dev";
  static final long LIFETIME_SECONDS = 3600;

  private final String issuer;
  private final KeyPair keys;
  private final String kid = "dev-" + UUID.randomUUID().toString().substring(0, 8);
  private final String jwks;

  DevIssuer(String issuer) {
    this.issuer = issuer;
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      this.keys = g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate a P-256 key", e);
    }
    ECKey jwk = new ECKey.Builder(Curve.P_256, (ECPublicKey) keys.getPublic()).keyID(kid).keyUse(com.nimbusds.jose.jwk.KeyUse.SIGNATURE)
        .algorithm(com.nimbusds.jose.JWSAlgorithm.ES256).build();
    this.jwks = JSONObjectUtils.toJSONString(Map.of("keys", List.of(jwk.toPublicJWK().toJSONObject())));
  }

  String issuer() {
    return issuer;
  }

  /** A token for {@code claims} over the defaults (iss, sub dev-user, aud, iat, exp in one hour). */
  String mint(Map<String, Object> claims) {
    long now = Instant.now().getEpochSecond();
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("iss", issuer);
    payload.put("sub", "dev-user");
    payload.put("aud", AUDIENCE);
    payload.put("iat", now);
    payload.put("exp", now + LIFETIME_SECONDS);
    payload.putAll(claims);
    String header = JSONObjectUtils.toJSONString(Map.of("alg", "ES256", "typ", "at+jwt", "kid", kid));
    String input = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(JSONObjectUtils.toJSONString(payload).getBytes(StandardCharsets.UTF_8));
    try {
      Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
      s.initSign(keys.getPrivate());
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + b64(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing failed", e);
    }
  }

  /** Answers a request for {@code path} below the issuer ({@code /jwks}, {@code /token}, ...). */
  void answer(String path, HttpServletRequest req, HttpServletResponse res) throws IOException {
    switch (req.getMethod() + " " + path) {
      case "GET /.well-known/openid-configuration" -> json(res, 200, JSONObjectUtils.toJSONString(Map.of(
          "issuer", issuer, "jwks_uri", issuer + "/jwks", "token_endpoint", issuer + "/token",
          "id_token_signing_alg_values_supported", List.of("ES256"))));
      case "GET /jwks" -> json(res, 200, jwks);
      case "POST /token" -> token(req, res);
      default -> json(res, 404, "{\"error\":\"not_found\"}");
    }
  }

  private void token(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String body = new String(req.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8).trim();
    Map<String, Object> claims;
    try {
      claims = body.isEmpty() ? Map.of() : JSONObjectUtils.parse(body);
    } catch (ParseException e) {
      json(res, 400, "{\"error\":\"invalid_request\",\"error_description\":\"the body must be a JSON object of claims\"}");
      return;
    }
    json(res, 200, JSONObjectUtils.toJSONString(Map.of("access_token", mint(claims), "token_type", "Bearer",
        "expires_in", LIFETIME_SECONDS)));
  }

  private static void json(HttpServletResponse res, int status, String body) throws IOException {
    res.setStatus(status);
    res.setContentType("application/json");
    res.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
