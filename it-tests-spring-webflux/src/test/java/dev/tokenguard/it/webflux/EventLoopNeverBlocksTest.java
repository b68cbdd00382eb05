package dev.tokenguard.it.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.it.TestIdentityProviders;
import dev.tokenguard.it.spring.SpringApps;
import dev.tokenguard.it.webflux.app.WebFluxCatalogueApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.blockhound.BlockHound;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * No Netty event-loop thread ever blocks in TokenGuard's path, proved by BlockHound (installed for this JVM, every
 * blocking call on a non-blocking thread recorded): a cold JWKS fetch, a user lookup, an introspection, an issuer
 * down, refusals and reactive {@code @RequiresPermission}, all through the real WebFlux application on Netty.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventLoopNeverBlocksTest {
  private static final List<String> BLOCKING_CALLS = new CopyOnWriteArrayList<>();

  static {
    // install(...) also loads the integrations on the class path (Reactor's schedulers, Reactor Netty's event loops)
    BlockHound.install(b -> b.blockingMethodCallback(m -> BLOCKING_CALLS.add(m + " on " + Thread.currentThread().getName())));
  }

  private final HttpClient http = HttpClient.newHttpClient();
  private TestIdentityProviders idp;
  private ConfigurableApplicationContext app;
  private String base;

  @BeforeAll
  void start() {
    idp = new TestIdentityProviders();
    app = SpringApps.start(WebFluxCatalogueApplication.class, idp.appProperties());
    base = SpringApps.baseUrl(app);
  }

  @AfterAll
  void stop() {
    app.close();
    idp.close();
  }

  private int status(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void blockHoundSeesABlockingCallOnANonBlockingThread() {
    int before = BLOCKING_CALLS.size();
    Mono.fromCallable(() -> {
      Thread.sleep(1);
      return 1;
    }).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(5));
    assertThat(BLOCKING_CALLS).as("BlockHound is active in this JVM").hasSizeGreaterThan(before);
    BLOCKING_CALLS.removeIf(c -> c.contains("sleep"));
  }

  /**
   * A token the verified-token cache holds is decided on the event loop when no user lookup will be asked about it;
   * when one will (the OIDC issuer's user API), on a worker, as a token the cache does not hold.
   */
  @Test
  void aRepeatedTokenIsDecidedOnTheEventLoopUnlessItsUserIsLookedUp() throws Exception {
    List<String> hits = WebFluxCatalogueApplication.CACHE_HIT_THREADS;
    String token = idp.rotatingToken("erin");
    hits.clear();
    assertThat(status("/api/me", token)).isEqualTo(200);
    assertThat(hits).as("the first request is a miss").isEmpty();
    assertThat(status("/api/me", token)).isEqualTo(200);
    assertThat(hits).as("where the repeated token was found").singleElement().asString().startsWith("reactor-http-");

    String looked = idp.oidcToken("alice", Map.of());
    assertThat(status("/api/me", looked)).isEqualTo(200);
    hits.clear();
    assertThat(status("/api/me", looked)).isEqualTo(200);
    assertThat(hits).as("where the repeated token with a user lookup was found").singleElement().asString()
        .startsWith("boundedElastic-");
    assertThat(BLOCKING_CALLS.stream().filter(c -> !c.contains("sleep")).toList()).isEmpty();
  }

  @Test
  void tokenGuardNeverBlocksAnEventLoopThread() throws Exception {
    assertThat(status("/api/me", idp.oidcToken("alice", Map.of()))).as("cold JWKS, user lookup").isEqualTo(200);
    assertThat(status("/api/me", idp.oidcToken("alice", Map.of()))).as("cached").isEqualTo(200);
    assertThat(status("/api/me", idp.opaqueToken("dana", TestIdentityProviders.AUDIENCE, "orders:read", 3600)))
        .as("introspection").isEqualTo(200);
    assertThat(status("/api/me", idp.outageToken())).as("issuer down").isEqualTo(503);
    assertThat(status("/api/me", idp.oidcToken("alice", TestIdentityProviders.AUDIENCE, Map.of(), -3600))).isEqualTo(401);
    assertThat(status("/api/me", null)).isEqualTo(401);
    assertThat(status("/public/health", null)).isEqualTo(200);
    assertThat(status("/api/annotated/requires", idp.oidcToken("bob", Map.of("permissions", List.of("orders:read")))))
        .isEqualTo(403);
    assertThat(status("/api/annotated/requires", idp.oidcToken("bob", Map.of("permissions", List.of("orders:write")))))
        .isEqualTo(200);
    assertThat(BLOCKING_CALLS.stream().filter(c -> !c.contains("sleep")).toList()).isEmpty();
  }
}
