package dev.tokenguard.quarkus;

import dev.tokenguard.TokenGuard;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A request whose token TokenGuard still has to check (the non-blocking part is already done). */
public final class TokenGuardAuthenticationRequest extends BaseAuthenticationRequest {
  private final TokenGuard.Preflight preflight;

  TokenGuardAuthenticationRequest(TokenGuard.Preflight preflight) {
    this.preflight = preflight;
  }

  TokenGuard.Preflight preflight() {
    return preflight;
  }
}
