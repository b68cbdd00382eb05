package dev.tokenguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.observe.TokenGuardListener;
import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A token the verified-token cache holds is decided on the Vert.x event loop ({@code TokenGuard.completeWithoutBlocking}),
 * with the same answers as its first request, which was validated on a worker: accepted where it may go, refused by a
 * path rule where it may not.
 */
class QuarkusCachedTokenOnTheEventLoopTest {
  static final int PORT = TestApp.port("tokenguard.test.event-loop-idp-port");
  static final String ISSUER = "http://127.0.0.1:" + PORT;

  @RegisterExtension
  static final QuarkusUnitTest QUARKUS = TestApp.echoApp(ISSUER)
      .withApplicationRoot(jar -> jar.addClasses(EchoResource.class, EchoResource.Failures.class, TestApp.class, HitThreads.class))
      .overrideConfigKey("quarkus.tokenguard.rule.admin.paths", "/api/admin/**")
      .overrideConfigKey("quarkus.tokenguard.rule.admin.permissions", "admin:write");

  static JwksServer idp;

  /** Where each verified-token cache hit was read: a listener bean, which TokenGuard's producer hands every event. */
  @ApplicationScoped
  public static class HitThreads implements TokenGuardListener {
    static final List<String> THREADS = new CopyOnWriteArrayList<>();

    @Override
    public void tokenCacheLookup(boolean hit) {
      if (hit) {
        THREADS.add(Thread.currentThread().getName());
      }
    }
  }

  @AfterAll
  static void stop() {
    if (idp != null) {
      idp.close();
    }
  }

  static synchronized String token() {
    if (idp == null) {
      idp = new JwksServer(PORT).keys(TestKeys.RSA);
    }
    return TestTokens.valid(ISSUER, "orders", Instant.now()).claim("permissions", List.of("orders:read")).sign("RS256", TestKeys.RSA);
  }

  @Test
  void aRepeatedTokenIsDecidedOnTheEventLoop() throws Exception {
    String token = token();
    HitThreads.THREADS.clear();
    String first = TestApp.get("/api/me", token).body();
    assertThat(first).contains("\"subject\":\"user-123\"");
    assertThat(HitThreads.THREADS).as("the first request is a miss").isEmpty();

    assertThat(TestApp.get("/api/me", token).body()).isEqualTo(first);
    assertThat(HitThreads.THREADS).as("where the repeated token was found").singleElement().asString()
        .startsWith("vert.x-eventloop-thread-");

    HitThreads.THREADS.clear();
    assertThat(TestApp.get("/api/admin/x", token).statusCode()).as("rule.admin, decided there too").isEqualTo(403);
    assertThat(HitThreads.THREADS).singleElement().asString().startsWith("vert.x-eventloop-thread-");
  }
}
