package dev.tokenguard.quarkus;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;

/**
 * With {@code quarkus.http.auth.proactive=false}, Quarkus authenticates a request only when something asks for its
 * identity, so an endpoint that never does would skip TokenGuard's decision (deny by default, path rules, a bad
 * token refused). This policy has no name, so Quarkus applies it to every request: it asks for the identity, which
 * runs TokenGuard's mechanism; a refusal fails the identity and Quarkus answers with TokenGuard's outcome, anything
 * else is permitted here for the other policies and the annotations to decide. Registered only when authentication
 * is not proactive (with proactive authentication every request is decided before any policy).
 */
@Singleton
public class TokenGuardDecidesEveryRequest implements HttpSecurityPolicy {
  @Override
  public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
      AuthorizationRequestContext context) {
    return identity.map(decided -> CheckResult.PERMIT);
  }
}
