package dev.tokenguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

/** A configuration mistake in web.xml stops the deployment with a message naming the init-param. */
class FilterStartupTest {

  @Test
  void deployWhenInitParamBadThenStartupFailsNamingTheKey() throws Exception {
    assertDeploymentFails(Map.of("issuer", "https://idp.example.com/", "jwks.cache-ttl", "soon"),
        "jwks.cache-ttl: expected a non-negative duration");
    assertDeploymentFails(Map.of("audience", "x"), "issuer: is required");
    assertDeploymentFails(Map.of("issuer", "https://idp.example.com/", "audeince", "x"), "audeince: unknown key (did you mean audience?)");
  }

  private static void assertDeploymentFails(Map<String, String> params, String message) throws Exception {
    Path webapp = WebXml.write(Files.createTempDirectory("tokenguard-bad"), "jakarta", params, EchoServlet.class.getName());
    Server server = EmbeddedJetty.webapp(webapp, "/app");
    try {
      assertThatThrownBy(server::start).satisfies(e -> {
        Throwable t = e;
        StringBuilder messages = new StringBuilder();
        while (t != null) {
          messages.append(t.getMessage()).append('\n');
          t = t.getCause();
        }
        assertThat(messages.toString()).contains(message);
      });
    } finally {
      server.stop();
    }
  }
}
