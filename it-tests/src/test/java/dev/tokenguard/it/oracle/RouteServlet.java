package dev.tokenguard.it.oracle;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** A handler of the route-oracle application in a servlet container: its route comes from its url-pattern. */
public class RouteServlet extends HttpServlet {
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
