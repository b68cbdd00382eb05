package dev.tokenguard.quarkus.deployment;

import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.it.EchoResponse;
import io.quarkus.security.Authenticated;
import io.quarkus.security.PermissionsAllowed;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/** The protected application for the catalogue: the caller as a Quarkus application sees it. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class EchoResource {
  @Inject
  SecurityIdentity identity;

  @Inject
  TokenPrincipal principal;

  @Context
  HttpServerRequest request;

  String render(String dispatch) {
    TokenPrincipal p = identity.isAnonymous() ? null : (TokenPrincipal) identity.getPrincipal();
    if (p != null && !p.getName().equals(principal.getName())) { // the injected, request-scoped principal
      throw new IllegalStateException("the injected TokenPrincipal is not the caller");
    }
    return EchoResponse.render(request.path(), dispatch, p, identity.isAnonymous() ? null : identity.getPrincipal().getName(),
        identity.isAnonymous() ? null : "BEARER", identity::hasRole, identity.getAttribute(TokenPrincipal.ATTRIBUTE), false);
  }

  @GET
  @Path("{path: api/.*}")
  public String api() {
    return render("REQUEST");
  }

  @GET
  @Path("{path: public/.*}")
  public String open() {
    return render("REQUEST");
  }

  @GET
  @Path("annotated/authenticated")
  @Authenticated
  public String authenticated() {
    return render("REQUEST");
  }

  @GET
  @Path("annotated/roles")
  @RolesAllowed("admin")
  public String roles() {
    return render("REQUEST");
  }

  @GET
  @Path("annotated/permissions")
  @PermissionsAllowed("orders:write")
  public String permissions() {
    return render("REQUEST");
  }
}
