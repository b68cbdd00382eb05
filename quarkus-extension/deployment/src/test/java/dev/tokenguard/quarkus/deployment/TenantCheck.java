package dev.tokenguard.quarkus.deployment;

import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.TokenCheck;
import dev.tokenguard.TokenPrincipal;
import jakarta.enterprise.context.ApplicationScoped;

/** The application's own check, a CDI bean added to the built-in ones: tokens of one tenant are refused. */
@ApplicationScoped
public class TenantCheck implements TokenCheck {
  @Override
  public void check(TokenPrincipal principal) {
    if ("blocked-tenant".equals(principal.claims().get("tenant"))) {
      throw new InvalidTokenException("the tenant 'blocked-tenant' may not call this API");
    }
  }
}
