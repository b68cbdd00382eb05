package dev.tokenguard.it.oracle;

import dev.tokenguard.it.EmbeddedJetty;
import dev.tokenguard.it.WebXml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Nested;

/** The route oracle against the servlet filter in Jetty 12 (ee10), deployed through web.xml at the root and under /app. */
class JettyRouteOracleTest {

  abstract static class OnJetty extends RouteOracle {
    private Server server;

    abstract String contextPath();

    @Override
    protected String startApp(Map<String, String> props) throws Exception {
      Path webapp = WebXml.writeRoutes(Files.createTempDirectory("tokenguard-jetty-oracle"), "jakarta", props, RouteServlet.class.getName());
      server = EmbeddedJetty.webapp(webapp, contextPath());
      server.start();
      return "http://127.0.0.1:" + EmbeddedJetty.port(server) + (contextPath().equals("/") ? "" : contextPath());
    }

    @Override
    protected void stopApp() throws Exception {
      server.stop();
    }
  }

  @Nested
  class AtTheRoot extends OnJetty {
    @Override
    String contextPath() {
      return "/";
    }
  }

  @Nested
  class UnderAContextPath extends OnJetty {
    @Override
    String contextPath() {
      return "/app";
    }
  }
}
