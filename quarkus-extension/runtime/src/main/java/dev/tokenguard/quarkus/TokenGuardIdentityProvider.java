package dev.tokenguard.quarkus;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.http.Decision;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * Completes TokenGuard's decision on a worker thread (validation may fetch keys, the user lookup calls the
 * user API: never on the event loop), or where the request is when no I/O is needed (a token the verified-token
 * cache holds, {@link TokenGuard#completeWithoutBlocking}), and turns an accepted caller into a
 * {@link SecurityIdentity}: principal = {@link TokenPrincipal}, roles = its roles (and permissions with
 * {@code permissions-as-roles}), permissions for {@code @PermissionsAllowed} matched as whole strings, as
 * {@code rule.*} match them ({@link ExactPermissions}). A denial fails with the outcome attached.
 */
@ApplicationScoped
public class TokenGuardIdentityProvider implements IdentityProvider<TokenGuardAuthenticationRequest> {
  /** Attribute of the authentication failure carrying core's {@link dev.tokenguard.http.Outcome}. */
  static final String OUTCOME = "dev.tokenguard.outcome";

  @Inject
  TokenGuard guard;

  @Override
  public Class<TokenGuardAuthenticationRequest> getRequestType() {
    return TokenGuardAuthenticationRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(TokenGuardAuthenticationRequest request, AuthenticationRequestContext context) {
    Decision now = guard.completeWithoutBlocking(request.preflight());
    return now != null ? Uni.createFrom().item(() -> identity(now))
        : context.runBlocking(() -> identity(guard.complete(request.preflight())));
  }

  SecurityIdentity identity(Decision decision) {
    if (decision instanceof Decision.Deny deny) {
      throw new AuthenticationFailedException(deny.response().body(), Map.of(OUTCOME, deny.response()));
    }
    TokenPrincipal principal = decision.principal().orElseThrow();
    return QuarkusSecurityIdentity.builder()
        .setPrincipal(principal)
        .addRoles(guard.roles(principal))
        .addPermissionChecker(required -> Uni.createFrom().item(ExactPermissions.grants(principal, required)))
        .addAttribute(TokenPrincipal.ATTRIBUTE, principal)
        .build();
  }
}
