package dev.tokenguard.it.tomcat;

import dev.tokenguard.it.WebXml;
import dev.tokenguard.it.oracle.RouteOracle;
import dev.tokenguard.it.oracle.RouteServlet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Nested;

/** The route oracle against the Jakarta servlet filter in embedded Tomcat 11, deployed through web.xml at the root and under /app. */
class TomcatRouteOracleTest {

  abstract static class OnTomcat extends RouteOracle {
    private EmbeddedTomcat tomcat;

    abstract String contextPath();

    @Override
    protected String startApp(Map<String, String> props) throws Exception {
      Path base = Files.createTempDirectory("tokenguard-oracle");
      Path webapp = WebXml.writeRoutes(Files.createDirectories(base.resolve("app")), "jakarta", props, RouteServlet.class.getName());
      tomcat = new EmbeddedTomcat(base, webapp, contextPath());
      return tomcat.baseUrl;
    }

    @Override
    protected void stopApp() throws Exception {
      tomcat.close();
    }
  }

  @Nested
  class AtTheRoot extends OnTomcat {
    @Override
    String contextPath() {
      return "";
    }
  }

  @Nested
  class UnderAContextPath extends OnTomcat {
    @Override
    String contextPath() {
      return "/app";
    }
  }
}
