package dev.tokenguard.devissuer;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.JSONObjectUtils;
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
 * An embedded development issuer: an ES256 key pair generated at start, OpenID discovery and JWKS, and
 * {@code POST /token} minting a token for the claims in its JSON body (no authentication: anyone who reaches it gets
 * any token, so it only ever listens on loopback, for trying TokenGuard out and for tests). Served by the CLI gateway
 * under {@code /dev} when no issuer is configured, and by {@link DevIssuerServer} for the Quarkus extension's Dev
 * Services. The transport is the host's: {@link #answer} takes a method, a path and a body.
 */
public final class DevIssuer {
  /** The audience of its tokens, which the hosts configure as TokenGuard's. */
  public static final String AUDIENCE = "tokenguard-dev";
  /** How long its tokens live. */
  public static final long LIFETIME_SECONDS = 3600;

  /**
   * An answer of the issuer.
   *
   * @param status the HTTP status
   * @param json the JSON body
   */
  public record Answer(int status, String json) {}

  private final String issuer;
  private final KeyPair keys;
  private final String kid = "dev-" + UUID.randomUUID().toString().substring(0, 8);
  private final String jwks;

  /** @param issuer its URL, as tokens name it and discovery serves it */
  public DevIssuer(String issuer) {
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

  /** Its URL. */
  public String issuer() {
    return issuer;
  }

  /** A token for {@code claims} over the defaults (iss, sub dev-user, aud, iat, exp in one hour). */
  public String mint(Map<String, Object> claims) {
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

  /**
   * Answers a request for {@code path} below the issuer ({@code /.well-known/openid-configuration}, {@code /jwks},
   * {@code /token}).
   *
   * @param body the request body ({@code POST /token}: a JSON object of claims, or nothing)
   */
  public Answer answer(String method, String path, byte[] body) {
    return switch (method + " " + path) {
      case "GET /.well-known/openid-configuration" -> new Answer(200, JSONObjectUtils.toJSONString(Map.of(
          "issuer", issuer, "jwks_uri", issuer + "/jwks", "token_endpoint", issuer + "/token",
          "id_token_signing_alg_values_supported", List.of("ES256"))));
      case "GET /jwks" -> new Answer(200, jwks);
      case "POST /token" -> token(new String(body, StandardCharsets.UTF_8).trim());
      default -> new Answer(404, "{\"error\":\"not_found\"}");
    };
  }

  /** The largest request body {@link #answer} needs to be given. */
  public static final int MAX_BODY = 64 * 1024;

  private Answer token(String body) {
    Map<String, Object> claims;
    try {
      claims = body.isEmpty() ? Map.of() : JSONObjectUtils.parse(body);
    } catch (ParseException e) {
      return new Answer(400, "{\"error\":\"invalid_request\",\"error_description\":\"the body must be a JSON object of claims\"}");
    }
    return new Answer(200, JSONObjectUtils.toJSONString(Map.of("access_token", mint(claims), "token_type", "Bearer",
        "expires_in", LIFETIME_SECONDS)));
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
