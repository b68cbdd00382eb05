package dev.tokenguard.it.tomcat9;

import dev.tokenguard.it.oracle.Route;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/** The javax twin of {@code RouteServlet}: a handler of the route-oracle application, its route from its url-pattern. */
public class JavaxRouteServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    Route route = Route.within(getInitParameter("route"), req.getMethod(), req.getPathInfo());
    res.setHeader(Route.HEADER, route.headerValue());
    res.setContentType("text/plain");
    if (!req.getMethod().equals("HEAD")) {
      res.getOutputStream().write(route.headerValue().getBytes(StandardCharsets.UTF_8));
    }
  }
}
