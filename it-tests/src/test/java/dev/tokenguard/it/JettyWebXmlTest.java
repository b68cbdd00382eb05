package dev.tokenguard.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The scenario catalogue against the servlet filter in Jetty 12 (ee10), deployed through a real web.xml. */
class JettyWebXmlTest extends ScenarioCatalogue {
  private Server server;

  @Override
  protected String startApp(Map<String, String> props) throws Exception {
    Path webapp = WebXml.write(Files.createTempDirectory("tokenguard-jetty"), "jakarta", props, EchoServlet.class.getName());
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    WebAppContext context = new WebAppContext();
    context.setContextPath("/app");
    context.setBaseResourceAsPath(webapp);
    context.setParentLoaderPriority(true);
    context.setThrowUnavailableOnStartupException(true);
    server.setHandler(context);
    server.start();
    return "http://127.0.0.1:" + connector.getLocalPort() + "/app";
  }

  @Override
  protected void stopApp() throws Exception {
    server.stop();
  }
}
