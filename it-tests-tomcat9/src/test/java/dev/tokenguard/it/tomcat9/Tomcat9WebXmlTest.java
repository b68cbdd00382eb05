package dev.tokenguard.it.tomcat9;


import dev.tokenguard.it.ScenarioCatalogue;
import dev.tokenguard.it.WebXml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The scenario catalogue against the javax twin of the servlet filter in embedded Tomcat 9 (a legacy webapp), deployed through web.xml. */
class Tomcat9WebXmlTest extends ScenarioCatalogue {
  private EmbeddedTomcat tomcat;

  @Override
  protected String startApp(Map<String, String> props) throws Exception {
    Path base = Files.createTempDirectory("tokenguard-tomcat9");
    Path webapp = WebXml.write(Files.createDirectories(base.resolve("app")), "javax", props, JavaxEchoServlet.class.getName());
    tomcat = new EmbeddedTomcat(base, webapp, "/app");
    return tomcat.baseUrl;
  }

  @Override
  protected void stopApp() throws Exception {
    tomcat.close();
  }
}
