package dev.tokenguard.jwt;

import dev.tokenguard.TokenPrincipal;

/**
 * A token that passed every check.
 *
 * @param principal the caller
 * @param keyThumbprint the thumbprint of the key that verified it, or {@code null} for HMAC
 */
record VerifiedToken(TokenPrincipal principal, String keyThumbprint) {}
