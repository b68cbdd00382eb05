package dev.tokenguard.it.tomcat9;

import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/** An embedded Tomcat 9 on 127.0.0.1 and a free port, serving one webapp directory; shared by this module's tests. */
final class EmbeddedTomcat implements AutoCloseable {
  private final Tomcat tomcat = new Tomcat();
  /** The webapp's base URL, with its context path. */
  final String baseUrl;

  /**
   * Deploys {@code webapp} (a directory below {@code base}) at {@code contextPath} ({@code ""} for the root).
   *
   * @throws IllegalStateException when the webapp does not start (a filter's init failed)
   */
  EmbeddedTomcat(Path base, Path webapp, String contextPath) throws Exception {
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    tomcat.getHost().setAppBase(base.toString());
    Context context = tomcat.addWebapp(contextPath, webapp.toString());
    tomcat.start();
    if (context.getState() != LifecycleState.STARTED) {
      throw new IllegalStateException("the webapp did not start: " + context.getState());
    }
    baseUrl = "http://127.0.0.1:" + connector.getLocalPort() + contextPath;
  }

  @Override
  public void close() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }
}
