package dev.tokenguard.quarkus;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.http.Outcome;
import io.quarkus.security.ForbiddenException;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A 403 from {@code @RolesAllowed} or {@code @PermissionsAllowed} in a REST resource, answered as core's
 * {@code insufficient_scope} outcome. Registered only when Quarkus REST is present.
 */
@Provider
public class ForbiddenOutcomeMapper implements ExceptionMapper<ForbiddenException> {
  @Inject
  TokenGuard guard;

  @Override
  public Response toResponse(ForbiddenException exception) {
    Outcome o = guard.applicationDenied();
    Response.ResponseBuilder r = Response.status(o.status()).type(Outcome.CONTENT_TYPE).entity(o.body());
    o.headers().forEach(r::header);
    return r.build();
  }
}
