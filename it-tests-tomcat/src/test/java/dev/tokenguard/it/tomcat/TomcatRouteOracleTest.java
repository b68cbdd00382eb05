package dev.tokenguard.it.tomcat;

import dev.tokenguard.it.WebXml;
import dev.tokenguard.it.oracle.RouteOracle;
import dev.tokenguard.it.oracle.RouteServlet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Nested;

/** The route oracle against the Jakarta servlet filter in embedded Tomcat 11, deployed through web.xml at the root and under /app. */
class TomcatRouteOracleTest {

  abstract static class OnTomcat extends RouteOracle {
    private Tomcat tomcat;

    abstract String contextPath();

    @Override
    protected String startApp(Map<String, String> props) throws Exception {
      Path base = Files.createTempDirectory("tokenguard-oracle");
      Path webapp = WebXml.writeRoutes(Files.createDirectories(base.resolve("app")), "jakarta", props, RouteServlet.class.getName());
      tomcat = new Tomcat();
      tomcat.setBaseDir(base.toString());
      Connector connector = new Connector();
      connector.setPort(0);
      connector.setProperty("address", "127.0.0.1");
      tomcat.setConnector(connector);
      tomcat.getHost().setAppBase(base.toString());
      Context context = tomcat.addWebapp(contextPath(), webapp.toString());
      tomcat.start();
      if (context.getState() != LifecycleState.STARTED) {
        throw new IllegalStateException("the webapp did not start: " + context.getState());
      }
      return "http://127.0.0.1:" + connector.getLocalPort() + contextPath();
    }

    @Override
    protected void stopApp() throws Exception {
      tomcat.stop();
      tomcat.destroy();
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
