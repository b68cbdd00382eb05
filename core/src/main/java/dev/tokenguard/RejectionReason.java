package dev.tokenguard;

import java.util.Locale;

/**
 * Why a request was refused, in a few stable words for metrics and dashboards ({@link #tag()} is the metric tag
 * value). Each {@link TokenGuardException} carries one; the message holds the details.
 */
public enum RejectionReason {
  /** No bearer token on a protected path (401 without an error code). */
  MISSING_TOKEN,
  /** Not a well-formed signed JWT: size, base64url, JSON, or a claim of the wrong JSON type. */
  MALFORMED,
  /** The JOSE header asks for something not accepted: {@code alg none}, an algorithm off the list, JWE, {@code typ}, {@code crit}. */
  UNACCEPTED_HEADER,
  /** No {@code iss}, or one that is not configured. */
  WRONG_ISSUER,
  /** No key of the issuer's JWKS fits the token's {@code kid} and algorithm (after the allowed refetch). */
  UNKNOWN_KEY,
  /** A key fits but the signature does not verify. */
  BAD_SIGNATURE,
  /** Past {@code exp} (plus the clock skew). */
  EXPIRED,
  /** Before {@code nbf}, or {@code iat} in the future. */
  NOT_YET_VALID,
  /** No {@code aud}, or none of the configured audiences. */
  WRONG_AUDIENCE,
  /** A required claim ({@code exp}, the principal claim, {@code required-claims}, {@code sub} for the lookup) is missing. */
  MISSING_CLAIM,
  /** One of the application's own {@link TokenCheck}s refused the token. */
  APPLICATION_CHECK,
  /** The identity provider reports the user blocked, or refuses the token at its UserInfo endpoint. */
  BLOCKED_USER,
  /** The identity provider does not know the token's subject (or answered for another user). */
  UNKNOWN_USER,
  /** The token's subject or token id was revoked ({@code TokenGuard.revokeSubject}/{@code revokeTokenId}, on any node). */
  REVOKED,
  /** The issuer's introspection endpoint says the token is not active (unknown there, expired or revoked). */
  INACTIVE,
  /**
   * The DPoP proof is missing, malformed, signed badly, or does not match the request or the token (401
   * {@code invalid_dpop_proof}, RFC 9449 §7.1); the failed check is told to listeners as {@code proofRefused}.
   */
  INVALID_PROOF,
  /** {@code dpop.nonce} is on and the proof lacks a current server nonce (401 {@code use_dpop_nonce}, with a {@code DPoP-Nonce}). */
  NONCE_REQUIRED,
  /**
   * The token is not presented the way it is bound: a DPoP-bound token ({@code cnf.jkt}) as Bearer or with a proof of
   * another key, an unbound one with the DPoP scheme or where {@code dpop.mode=required}, a certificate-bound one
   * ({@code cnf.x5t#S256}) without that client certificate.
   */
  WRONG_BINDING,
  /** The request itself is malformed: two tokens, a bad Authorization header, a bad path (400). */
  INVALID_REQUEST,
  /** Valid token, but the path rule or the permission annotation requires more (403). */
  FORBIDDEN,
  /** Keys or the user API could not be had, or the check failed unexpectedly (503). */
  UNAVAILABLE;

  private final String tag = name().toLowerCase(Locale.ROOT);

  /** The lower-case name used as a metric tag, for example {@code wrong_audience}. */
  public String tag() {
    return tag;
  }
}
