package dev.tokenguard.quarkus.deployment;

import dev.tokenguard.it.oracle.Route;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * The route-oracle application on Quarkus REST, routing by JAX-RS paths (GET, HEAD through GET, and POST; other
 * methods are answered 405 by Quarkus and so never served).
 */
@Path("/")
public class RouteResource {

  @GET
  @Path("api/admin{rest: (/.*)?}")
  public Response admin() {
    return served(Route.ADMIN);
  }

  @POST
  @Path("api/admin{rest: (/.*)?}")
  public Response adminPost() {
    return served(Route.ADMIN);
  }

  @GET
  @Path("api/orders/{id: [^/]+}")
  public Response order(@PathParam("id") String id) {
    return served(id.endsWith(":cancel") ? Route.CANCEL : Route.ORDER);
  }

  @POST
  @Path("api/orders/{id: [^/]+}")
  public Response orderPost(@PathParam("id") String id) {
    return order(id);
  }

  @GET
  @Path("api/users/@me{rest: (/.*)?}")
  public Response me() {
    return served(Route.ME);
  }

  @POST
  @Path("api/users/@me{rest: (/.*)?}")
  public Response mePost() {
    return served(Route.ME);
  }

  @GET
  @Path("api/reports{rest: (/.*)?}")
  public Response reports() {
    return served(Route.REPORTS);
  }

  @POST
  @Path("api/reports{rest: (/.*)?}")
  public Response reportsWrite() {
    return served(Route.REPORTS_WRITE);
  }

  @GET
  @Path("public{rest: (/.*)?}")
  public Response open() {
    return served(Route.PUBLIC);
  }

  @POST
  @Path("public{rest: (/.*)?}")
  public Response openPost() {
    return served(Route.PUBLIC);
  }

  @GET
  @Path("{any: .*}")
  public Response other() {
    return served(Route.OTHER);
  }

  @POST
  @Path("{any: .*}")
  public Response otherPost() {
    return served(Route.OTHER);
  }

  private static Response served(Route route) {
    return Response.ok(route.headerValue()).header(Route.HEADER, route.headerValue()).build();
  }
}
