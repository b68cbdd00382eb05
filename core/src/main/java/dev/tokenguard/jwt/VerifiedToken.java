package dev.tokenguard.jwt;

import dev.tokenguard.TokenPrincipal;

/**
 * A token that passed every check.
 *
 * @param principal the caller
 * @param keyThumbprint the thumbprint of the key that verified it, or {@code null} for HMAC or introspection
 * @param trustedUntil how long the verdict may be reused: the token's {@code exp}, or for an introspected token at
 *     most {@code introspection.cache-ttl} from now (a revocation at the issuer must be seen within it)
 */
record VerifiedToken(TokenPrincipal principal, String keyThumbprint, java.time.Instant trustedUntil) {}
