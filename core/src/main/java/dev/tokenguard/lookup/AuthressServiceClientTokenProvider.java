package dev.tokenguard.lookup;

import dev.tokenguard.TokenGuardConfigException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Authress service-client authentication: no token endpoint; a JWT signed locally with the access key's
 * Ed25519 private key, as Authress' own SDKs do. The access key is {@code clientId.keyId.accountId.privateKey}
 * (base64 PKCS#8). Header {@code {alg: EdDSA, kid: keyId, typ: at+jwt}}; claims {@code iss} =
 * {@code {origin}/v1/clients/{clientId}} (origin = the API base URL when it is a custom domain, else
 * {@code https://{accountId}.api.authress.io}), {@code sub} = {@code client_id} = clientId, {@code aud} =
 * {@code {accountId}.accounts.authress.io}, {@code scope = openid}, 24 h lifetime, re-signed an hour before expiry.
 */
final class AuthressServiceClientTokenProvider implements CredentialProvider {
  static final Duration LIFETIME = Duration.ofHours(24);
  static final Duration EARLY_REFRESH = Duration.ofHours(1);

  private final String clientId;
  private final String keyId;
  private final String accountId;
  private final PrivateKey privateKey;
  private final String issuer;
  private final Clock clock;
  private volatile String token;
  private volatile Instant refreshAt = Instant.MIN;

  AuthressServiceClientTokenProvider(String accessKey, URI baseUrl, Clock clock) {
    String[] parts = accessKey.split("\\.", 4);
    this.clientId = parts[0];
    this.keyId = parts[1];
    this.accountId = parts[2];
    try {
      byte[] pkcs8 = Base64.getMimeDecoder().decode(parts[3]);
      this.privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new TokenGuardConfigException("user-lookup.access-key", "its private key is not a base64 PKCS#8 Ed25519 key");
    }
    String host = baseUrl.getHost();
    String origin = host.endsWith(".authress.io") ? "https://" + accountId + ".api.authress.io"
        : baseUrl.getScheme() + "://" + baseUrl.getRawAuthority();
    this.issuer = origin + "/v1/clients/" + clientId;
    this.clock = clock;
  }

  @Override
  public synchronized String authorization(String userToken) throws UserLookupException {
    Instant now = clock.instant();
    if (token == null || !now.isBefore(refreshAt)) {
      token = sign(now);
      refreshAt = now.plus(LIFETIME).minus(EARLY_REFRESH);
    }
    return "Bearer " + token;
  }

  @Override
  public boolean invalidate() {
    return false; // a fresh signature would not change the answer
  }

  /** The issuer claim, for tests and diagnostics. */
  String issuer() {
    return issuer;
  }

  private String sign(Instant now) throws UserLookupException {
    long iat = now.getEpochSecond();
    String header = "{\"alg\":\"EdDSA\",\"kid\":" + json(keyId) + ",\"typ\":\"at+jwt\"}";
    String claims = "{\"iss\":" + json(issuer) + ",\"sub\":" + json(clientId) + ",\"client_id\":" + json(clientId)
        + ",\"aud\":" + json(accountId + ".accounts.authress.io") + ",\"scope\":\"openid\",\"iat\":" + iat
        + ",\"exp\":" + (iat + LIFETIME.toSeconds()) + ",\"jti\":" + json(UUID.randomUUID().toString()) + "}";
    String input = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(privateKey);
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + b64(s.sign());
    } catch (GeneralSecurityException e) {
      throw new UserLookupException("authress", 0, "signing_failed", "could not sign the service-client token", null, null, e);
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String json(String s) {
    return com.nimbusds.jose.util.JSONStringUtils.toJSONString(s);
  }
}
