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
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

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

  /** The caller as this application sees it. */
  public String render(String dispatch) {
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

  /** Asynchronous processing: the response is produced on another thread and still sees the caller. */
  @GET
  @Path("api/async")
  @Produces(MediaType.TEXT_PLAIN)
  public Uni<String> async() {
    return Uni.createFrom().item(() -> render("ASYNC")).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }

  /** An application failure: the error response (see {@link Failures}) still sees the caller. */
  @GET
  @Path("api/fail")
  public String fail() {
    throw new IllegalStateException("the application failed");
  }

  /** The Quarkus counterpart of a servlet error page. */
  @Provider
  public static class Failures implements ExceptionMapper<IllegalStateException> {
    @Inject
    EchoResource echo;

    @Override
    public Response toResponse(IllegalStateException e) {
      return Response.serverError().type(MediaType.APPLICATION_JSON).entity(echo.render("ERROR")).build();
    }
  }

  @GET
  @Path("{path: public/.*}")
  public String open() {
    return render("REQUEST");
  }

  /**
   * The injected caller used on a public path (where TokenGuard authenticates nobody): 401 for the request without a
   * caller, never a null.
   */
  @GET
  @Path("public/caller")
  @Produces(MediaType.TEXT_PLAIN)
  public String publicCaller() {
    return "caller " + principal.getName();
  }

  /** The injected caller of an authenticated request. */
  @GET
  @Path("api/caller")
  @Produces(MediaType.TEXT_PLAIN)
  public String caller() {
    return "caller " + principal.getName();
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
