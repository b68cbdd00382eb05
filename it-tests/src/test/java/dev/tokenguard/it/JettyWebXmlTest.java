package dev.tokenguard.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jetty.server.Server;

/** The scenario catalogue against the servlet filter in Jetty 12 (ee10), deployed through a real web.xml. */
class JettyWebXmlTest extends ScenarioCatalogue {
  private Server server;

  @Override
  protected String startApp(Map<String, String> props) throws Exception {
    Path webapp = WebXml.write(Files.createTempDirectory("tokenguard-jetty"), "jakarta", props, EchoServlet.class.getName());
    server = EmbeddedJetty.webapp(webapp, "/app");
    server.start();
    return "http://127.0.0.1:" + EmbeddedJetty.port(server) + "/app";
  }

  @Override
  protected void stopApp() throws Exception {
    server.stop();
  }
}
