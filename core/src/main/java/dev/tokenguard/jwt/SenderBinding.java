package dev.tokenguard.jwt;

import dev.tokenguard.BindingSettings;
import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.Pem;
import dev.tokenguard.Possession;
import dev.tokenguard.RejectionReason;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.internal.Echo;
import dev.tokenguard.observe.Listeners;
import dev.tokenguard.shared.SharedTier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;

/**
 * Holds a valid token to the way it is bound to its sender (its {@code cnf} claim), for every request, after the token
 * itself passed (and whether or not its validation came from the cache):
 * <ul>
 *   <li>{@code cnf.jkt} (RFC 9449): the request must use the {@code DPoP} scheme with a proof ({@link DpopProofs}) signed
 *       by that key; as Bearer it is refused, in every {@code dpop.mode}.</li>
 *   <li>The {@code DPoP} scheme with a token of an issuer whose {@code dpop.mode} is off, or with an unbound token: refused.</li>
 *   <li>{@code dpop.mode=required}: a Bearer token of that issuer is refused.</li>
 *   <li>{@code cnf.x5t#S256} (RFC 8705): the request's client certificate, from its own TLS connection or from a trusted
 *       proxy's header, must have that SHA-256 thumbprint.</li>
 * </ul>
 * Every refusal is 401: {@code invalid_dpop_proof} or {@code use_dpop_nonce} for the proof itself, {@code invalid_token}
 * ({@link RejectionReason#WRONG_BINDING}) for the rest. Thread-safe.
 */
public final class SenderBinding {
  private final TokenGuardConfig config;
  private final DpopProofs proofs;
  private final Listeners listeners;
  private final boolean acceptsDpop;
  private final boolean acceptsBearer;

  public SenderBinding(TokenGuardConfig config, SharedTier tier, Listeners listeners) {
    this.config = config;
    this.listeners = listeners;
    this.acceptsDpop = config.issuers().stream().anyMatch(i -> !mode(config, i).equals("off"));
    this.acceptsBearer = config.issuers().stream().anyMatch(i -> !mode(config, i).equals("required"));
    this.proofs = acceptsDpop ? new DpopProofs(config.binding(), config.get(TokenGuardConfig.CLOCK_SKEW), config.clock(), tier,
        listeners, config.jdkSignatureEnginesOnly()) : null;
  }

  private static String mode(TokenGuardConfig config, String issuer) {
    return config.issuer(issuer).get(BindingSettings.DPOP_MODE);
  }

  /** Whether some issuer's tokens may come with the {@code DPoP} scheme. */
  public boolean acceptsDpop() {
    return acceptsDpop;
  }

  /** Whether some issuer's tokens may come as {@code Bearer}. */
  public boolean acceptsBearer() {
    return acceptsBearer;
  }

  /** The algorithms a proof may use, space-separated, or {@code null} when no issuer takes DPoP. */
  public String proofAlgorithms() {
    return proofs == null ? null : proofs.algorithmNames();
  }

  /** The nonce to send in {@code DPoP-Nonce}, or {@code null} when nonces are off or no issuer takes DPoP. */
  public String currentNonce() {
    return proofs == null ? null : proofs.currentNonce();
  }

  /**
   * Checks that {@code possession} proves what the validated {@code principal}'s token is bound to.
   *
   * @param token the access token, as sent (a proof's {@code ath} is its hash)
   * @throws InvalidTokenException when it does not
   */
  public void check(TokenPrincipal principal, String token, Possession possession) {
    Map<String, Object> cnf = confirmation(principal);
    Object jkt = cnf.get("jkt");
    Object x5t = cnf.get("x5t#S256");
    String issuer = principal.issuer();
    String mode = mode(config, issuer);
    if (possession.dpop()) {
      if (mode.equals("off")) {
        throw wrong("tokens of this issuer are not accepted with the DPoP scheme; send it as Bearer");
      }
      DpopProofs.Proof proof = proofs.verify(possession, token, issuer);
      if (!(jkt instanceof String bound)) {
        throw wrong("the token is not bound to a key (no cnf.jkt), so it cannot be sent with the DPoP scheme");
      }
      if (!MessageDigest.isEqual(bound.getBytes(StandardCharsets.US_ASCII), proof.jkt().getBytes(StandardCharsets.US_ASCII))) {
        listeners.proofChecked(issuer, "dpop", "jkt");
        throw wrong("the proof is signed by another key than the one the token is bound to (cnf.jkt)");
      }
      listeners.proofChecked(issuer, "dpop", null);
    } else if (jkt != null) {
      throw wrong("the token is bound to a DPoP key (cnf.jkt); send it with the DPoP scheme and a proof");
    } else if (mode.equals("required")) {
      throw wrong("tokens of this issuer must be DPoP-bound and sent with the DPoP scheme and a proof");
    }
    if (x5t != null) {
      checkCertificate(x5t, possession, issuer);
    }
  }

  private void checkCertificate(Object x5t, Possession possession, String issuer) {
    X509Certificate certificate = possession.certificate();
    if (certificate == null && possession.forwardedCertificate() != null) {
      try {
        certificate = Pem.forwardedCertificate(possession.forwardedCertificate());
      } catch (IllegalArgumentException e) {
        listeners.proofChecked(issuer, "mtls", "certificate");
        throw wrong("the client certificate the proxy passed cannot be read");
      }
    }
    if (certificate == null) {
      listeners.proofChecked(issuer, "mtls", "certificate");
      throw wrong("the token is bound to a client certificate (cnf.x5t#S256), but the request came without one");
    }
    String thumbprint;
    try {
      thumbprint = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
          .digest(certificate.getEncoded()));
    } catch (CertificateEncodingException | java.security.NoSuchAlgorithmException e) {
      throw wrong("the client certificate cannot be read");
    }
    if (!(x5t instanceof String bound) || !MessageDigest.isEqual(bound.getBytes(StandardCharsets.US_ASCII),
        thumbprint.getBytes(StandardCharsets.US_ASCII))) {
      listeners.proofChecked(issuer, "mtls", "certificate");
      throw wrong("the token is bound to another client certificate (cnf.x5t#S256)");
    }
    listeners.proofChecked(issuer, "mtls", null);
  }

  /**
   * What a request with this token must bring, for {@code tokenguard check}: the {@code binding} step, failing when no
   * request could pass with it (an unbound token of an issuer that requires DPoP, a DPoP-bound one where DPoP is off).
   */
  public dev.tokenguard.Explanation.Step explain(TokenPrincipal principal) {
    String mode = mode(config, principal.issuer());
    Map<String, Object> cnf;
    try {
      cnf = confirmation(principal);
    } catch (InvalidTokenException e) {
      return new dev.tokenguard.Explanation.Step("binding", false, e.getMessage());
    }
    StringBuilder d = new StringBuilder();
    boolean ok = true;
    if (cnf.get("jkt") != null) {
      d.append("DPoP-bound to key ").append(Echo.of(cnf.get("jkt")))
          .append(": each request needs 'Authorization: DPoP <token>' and a DPoP proof signed by that key");
      if (mode.equals("off")) {
        ok = false;
        d.append("; but DPoP is off for this issuer (").append(config.issuer(principal.issuer()).keyPrefix()).append("dpop.mode=off)");
      }
    } else if (mode.equals("required")) {
      ok = false;
      d.append("not bound to a key (no cnf.jkt), but this issuer requires DPoP-bound tokens (dpop.mode=required)");
    } else {
      d.append("not bound to a key: sent as Bearer").append(mode.equals("allowed") ? " (the DPoP scheme needs a bound token)" : "");
    }
    if (cnf.get("x5t#S256") != null) {
      d.append("; bound to the client certificate with SHA-256 thumbprint ").append(Echo.of(cnf.get("x5t#S256")))
          .append(": each request must come with it (mutual TLS)");
    }
    return new dev.tokenguard.Explanation.Step("binding", ok, d.toString());
  }

  /** The token's {@code cnf} object (RFC 7800), or an empty one. */
  private static Map<String, Object> confirmation(TokenPrincipal principal) {
    Object cnf = principal.claims().get("cnf");
    if (cnf == null) {
      return Map.of();
    }
    if (!(cnf instanceof Map<?, ?> map)) {
      throw new InvalidTokenException(RejectionReason.MALFORMED, "the cnf claim is " + Echo.of(cnf) + "; expected a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> members = (Map<String, Object>) map;
    return members;
  }

  private static InvalidTokenException wrong(String description) {
    return new InvalidTokenException(RejectionReason.WRONG_BINDING, description);
  }
}
