package dev.tokenguard.quarkus.deployment;

import dev.tokenguard.devissuer.DevIssuerServer;
import io.quarkus.deployment.builditem.Startable;

/** The dev issuer as a Dev Service: a loopback server in this JVM, no container. */
final class DevIssuerStartable implements Startable {
  private final int port;
  private DevIssuerServer server;

  DevIssuerStartable(int port) {
    this.port = port;
  }

  @Override
  public void start() {
    server = DevIssuerServer.start(port);
  }

  /** The issuer URL. */
  @Override
  public String getConnectionInfo() {
    return server.url();
  }

  @Override
  public String getContainerId() {
    return null;
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
