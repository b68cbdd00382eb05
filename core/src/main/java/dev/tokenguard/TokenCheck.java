package dev.tokenguard;

/**
 * An application's own check on a token, run after every built-in check has passed (signature, issuer,
 * audience, times, required claims). Adding checks never removes a built-in one: TokenGuard has no way to
 * replace its defaults, unlike a validator list that is swapped wholesale.
 *
 * <pre>{@code
 * TokenGuard guard = TokenGuard.builder(config)
 *     .addCheck(p -> {
 *       if (!"acme".equals(p.claims().get("tenant"))) {
 *         throw new InvalidTokenException("the tenant is '" + p.claims().get("tenant") + "', expected 'acme'");
 *       }
 *     })
 *     .build();
 * }</pre>
 */
@FunctionalInterface
public interface TokenCheck {

  /**
   * Checks a token whose built-in checks passed.
   *
   * @param principal the caller the token describes, with every claim
   * @throws InvalidTokenException to reject the token (401); any other exception also rejects it, as
   *     {@code invalid_token} without details
   */
  void check(TokenPrincipal principal);
}
