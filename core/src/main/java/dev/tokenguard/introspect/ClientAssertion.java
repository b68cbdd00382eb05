package dev.tokenguard.introspect;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * The client assertion of {@code private_key_jwt} (RFC 7523 §2.2, OpenID Connect Core §9): a JWT the client signs
 * with its own key, {@code iss} and {@code sub} its client id, {@code aud} the issuer, a fresh {@code jti}, valid for
 * one minute. A new one per call: an authorization server may refuse a {@code jti} it has seen.
 */
final class ClientAssertion {
  private ClientAssertion() {}

  static String sign(String clientId, String audience, PrivateKey key, String keyId, Instant now) {
    try {
      JWSAlgorithm alg;
      JWSSigner signer;
      if (key instanceof ECPrivateKey ec) {
        Curve curve = Curve.forECParameterSpec(ec.getParams());
        alg = curve == Curve.P_384 ? JWSAlgorithm.ES384 : curve == Curve.P_521 ? JWSAlgorithm.ES512 : JWSAlgorithm.ES256;
        signer = new ECDSASigner(ec);
      } else {
        alg = JWSAlgorithm.RS256;
        signer = new RSASSASigner(key);
      }
      JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience)
          .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(60))).build();
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(keyId).type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("the client assertion could not be signed: " + e.getMessage(), e);
    }
  }
}
