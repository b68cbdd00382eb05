package dev.tokenguard;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a request offers to prove that its sender holds the key or certificate a token is bound to (RFC 9449 DPoP,
 * RFC 8705 certificate-bound tokens): read from the request by TokenGuard, checked once the token is known.
 *
 * @param dpop whether the token came with the {@code DPoP} scheme
 * @param proofs every value of the request's {@code DPoP} header
 * @param method the request's method (a proof's {@code htm})
 * @param origin the request's origin as the host reports it ({@code scheme://host[:port]}), or {@code null}
 * @param rawPath the request's path as received (a proof's {@code htu} path is compared with it)
 * @param certificate the client certificate of the request's own TLS connection, or {@code null}
 * @param forwardedCertificate the certificate a trusted proxy passed in {@code mtls.client-certificate-header}, as
 *     received, or {@code null}
 */
public record Possession(boolean dpop, List<String> proofs, String method, String origin, String rawPath,
    X509Certificate certificate, String forwardedCertificate) {

  /** Nothing: a token handed over without its request (an authentication manager's), as if sent as Bearer. */
  public static final Possession NONE = new Possession(false, List.of(), null, null, null, null, null);

  public Possession {
    proofs = List.copyOf(proofs);
  }

  /** Never shows proofs or certificates. */
  @Override
  public String toString() {
    return "Possession[" + (dpop ? "DPoP, " + proofs.size() + " proof(s)" : "Bearer")
        + (certificate != null || forwardedCertificate != null ? ", client certificate" : "") + "]";
  }
}
