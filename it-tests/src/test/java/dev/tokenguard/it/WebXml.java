package dev.tokenguard.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a WAR-style webapp directory whose {@code WEB-INF/web.xml} declares the TokenGuard filter with
 * init-params (the way a user protects an existing application) and one servlet answering everything.
 */
public final class WebXml {
  private WebXml() {}

  /**
   * Creates {@code dir/WEB-INF/web.xml}.
   *
   * @param namespace {@code jakarta} (Servlet 6, Jakarta EE) or {@code javax} (Servlet 4, Java EE 8)
   * @param initParams TokenGuard configuration, one init-param per key
   * @param servletClass the application's servlet
   */
  public static Path write(Path dir, String namespace, Map<String, String> initParams, String servletClass) throws IOException {
    return writeXml(dir, namespace, initParams, servlet("app", servletClass, null, "/*"));
  }

  /**
   * Creates {@code dir/WEB-INF/web.xml} for the route oracle: one servlet per route of
   * {@link dev.tokenguard.it.oracle.Route}, mapped with the container's own url-patterns, each told its route by
   * the init-param {@code route}.
   *
   * @param routeServletClass the servlet answering a route (see {@code RouteServlet})
   */
  public static Path writeRoutes(Path dir, String namespace, Map<String, String> initParams, String routeServletClass) throws IOException {
    String servlets = servlet("admin", routeServletClass, "admin", "/api/admin/*")
        + servlet("orders", routeServletClass, "orders", "/api/orders/*")
        + servlet("me", routeServletClass, "me", "/api/users/@me/*")
        + servlet("reports", routeServletClass, "reports", "/api/reports/*")
        + servlet("public", routeServletClass, "public", "/public/*")
        + servlet("other", routeServletClass, "other", "/");
    return writeXml(dir, namespace, initParams, servlets);
  }

  private static String servlet(String name, String servletClass, String route, String pattern) {
    return "  <servlet>\n"
        + "    <servlet-name>" + name + "</servlet-name>\n"
        + "    <servlet-class>" + servletClass + "</servlet-class>\n"
        + (route == null ? "" : "    <init-param><param-name>route</param-name><param-value>" + route + "</param-value></init-param>\n")
        + "    <async-supported>true</async-supported>\n"
        + "  </servlet>\n"
        + "  <servlet-mapping>\n"
        + "    <servlet-name>" + name + "</servlet-name>\n"
        + "    <url-pattern>" + pattern + "</url-pattern>\n"
        + "  </servlet-mapping>\n";
  }

  private static Path writeXml(Path dir, String namespace, Map<String, String> initParams, String servlets) throws IOException {
    StringBuilder params = new StringBuilder();
    initParams.forEach((k, v) -> params.append("      <init-param><param-name>").append(escape(k))
        .append("</param-name><param-value>").append(escape(v)).append("</param-value></init-param>\n"));
    String header = namespace.equals("jakarta")
        ? "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
          + "         xsi:schemaLocation=\"https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/web-app_6_0.xsd\"\n"
          + "         version=\"6.0\">\n"
        : "<web-app xmlns=\"http://xmlns.jcp.org/xml/ns/javaee\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
          + "         xsi:schemaLocation=\"http://xmlns.jcp.org/xml/ns/javaee http://xmlns.jcp.org/xml/ns/javaee/web-app_4_0.xsd\"\n"
          + "         version=\"4.0\">\n";
    String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + header
        + "  <filter>\n"
        + "    <filter-name>tokenguard</filter-name>\n"
        + "    <filter-class>dev.tokenguard.servlet.TokenGuardFilter</filter-class>\n"
        + "    <async-supported>true</async-supported>\n"
        + params
        + "  </filter>\n"
        + "  <filter-mapping>\n"
        + "    <filter-name>tokenguard</filter-name>\n"
        + "    <url-pattern>/*</url-pattern>\n"
        + "    <dispatcher>REQUEST</dispatcher>\n"
        + "    <dispatcher>ASYNC</dispatcher>\n"
        + "    <dispatcher>ERROR</dispatcher>\n"
        + "  </filter-mapping>\n"
        + servlets
        + "  <error-page>\n"
        + "    <location>/error</location>\n"
        + "  </error-page>\n"
        + "</web-app>\n";
    Path webInf = Files.createDirectories(dir.resolve("WEB-INF"));
    Files.writeString(webInf.resolve("web.xml"), xml);
    return dir;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
