package dev.tokenguard.it.tomcat;

import dev.tokenguard.it.EchoServlet;
import dev.tokenguard.it.ScenarioCatalogue;
import dev.tokenguard.it.WebXml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The scenario catalogue against the Jakarta servlet filter in embedded Tomcat 11, deployed through web.xml. */
class TomcatWebXmlTest extends ScenarioCatalogue {
  private EmbeddedTomcat tomcat;

  @Override
  protected String startApp(Map<String, String> props) throws Exception {
    Path base = Files.createTempDirectory("tokenguard-tomcat");
    Path webapp = WebXml.write(Files.createDirectories(base.resolve("app")), "jakarta", props, EchoServlet.class.getName());
    tomcat = new EmbeddedTomcat(base, webapp, "/app");
    return tomcat.baseUrl;
  }

  @Override
  protected void stopApp() throws Exception {
    tomcat.close();
  }
}
