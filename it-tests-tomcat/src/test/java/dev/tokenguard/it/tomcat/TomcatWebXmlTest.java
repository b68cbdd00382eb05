package dev.tokenguard.it.tomcat;

import dev.tokenguard.it.EchoServlet;
import dev.tokenguard.it.ScenarioCatalogue;
import dev.tokenguard.it.WebXml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/** The scenario catalogue against the Jakarta servlet filter in embedded Tomcat 11, deployed through web.xml. */
class TomcatWebXmlTest extends ScenarioCatalogue {
  private Tomcat tomcat;

  @Override
  protected String startApp(Map<String, String> props) throws Exception {
    Path base = Files.createTempDirectory("tokenguard-tomcat");
    Path webapp = WebXml.write(Files.createDirectories(base.resolve("app")), "jakarta", props, EchoServlet.class.getName());
    tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    tomcat.getHost().setAppBase(base.toString());
    Context context = tomcat.addWebapp("/app", webapp.toString());
    tomcat.start();
    if (context.getState() != LifecycleState.STARTED) {
      throw new IllegalStateException("the webapp did not start: " + context.getState());
    }
    return "http://127.0.0.1:" + connector.getLocalPort() + "/app";
  }

  @Override
  protected void stopApp() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }
}
