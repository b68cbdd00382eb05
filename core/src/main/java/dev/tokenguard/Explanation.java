package dev.tokenguard;

import java.util.List;
import java.util.Optional;

/**
 * Why a token passes or fails, step by step: what {@code tokenguard check} prints. Built by
 * {@link TokenGuard#explain(String)} with the same code that validates requests.
 *
 * @param steps every step that ran, in order
 * @param principal the caller when the token is valid, else {@code null}
 * @param failure the first failure, or {@code null} when the token is valid
 */
public record Explanation(List<Step> steps, TokenPrincipal principal, TokenGuardException failure) {

  public Explanation {
    steps = List.copyOf(steps);
  }

  /**
   * One step.
   *
   * @param name what was checked ({@code signature}, {@code expiry (exp)}, ...)
   * @param passed whether it passed
   * @param detail the values involved, or the reason it failed
   */
  public record Step(String name, boolean passed, String detail) {}

  /** Whether the token is valid. */
  public boolean valid() {
    return failure == null;
  }

  /** The caller, when valid. */
  public Optional<TokenPrincipal> caller() {
    return Optional.ofNullable(principal);
  }
}
