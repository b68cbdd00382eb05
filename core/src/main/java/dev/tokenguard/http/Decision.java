package dev.tokenguard.http;

import dev.tokenguard.TokenGuardException;
import dev.tokenguard.TokenPrincipal;
import java.util.Optional;

/**
 * What TokenGuard decided about one request: let it through (with the caller's principal, or anonymously on a
 * public path) or answer it with an {@link Outcome}.
 */
public sealed interface Decision {

  /** Whether the request may continue. */
  boolean allowed();

  /** The authenticated caller; empty on a public path or when denied. */
  Optional<TokenPrincipal> principal();

  /** The answer to write when denied. */
  Optional<Outcome> outcome();

  /** Continue; {@code caller} is {@code null} for a public path. */
  record Allow(TokenPrincipal caller) implements Decision {
    @Override public boolean allowed() { return true; }
    @Override public Optional<TokenPrincipal> principal() { return Optional.ofNullable(caller); }
    @Override public Optional<Outcome> outcome() { return Optional.empty(); }
  }

  /**
   * Answer with {@code response}.
   *
   * @param response what to write
   * @param cause the typed failure, or {@code null} when the token was simply missing
   */
  record Deny(Outcome response, TokenGuardException cause) implements Decision {
    @Override public boolean allowed() { return false; }
    @Override public Optional<TokenPrincipal> principal() { return Optional.empty(); }
    @Override public Optional<Outcome> outcome() { return Optional.of(response); }
  }
}
