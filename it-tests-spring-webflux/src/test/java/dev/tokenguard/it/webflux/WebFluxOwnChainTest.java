package dev.tokenguard.it.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenguard.it.TestIdentityProviders;
import dev.tokenguard.it.spring.SpringApps;
import dev.tokenguard.it.spring.SpringVocabulary;
import dev.tokenguard.it.spring.StartupLog;
import dev.tokenguard.it.webflux.norules.NoRulesWebFluxApplication;
import dev.tokenguard.it.webflux.ownrules.OwnRulesWebFluxApplication;
import dev.tokenguard.spring.BearerToken;
import dev.tokenguard.spring.TokenGuardAuthentication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.ReactiveAuthenticationManagerResolver;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.server.ServerWebExchange;

/**
 * A WebFlux application's own chain with {@code TokenGuardWebFlux.authenticating}: permitAll() is open to anonymous
 * callers, a bad token is 401 at once, public-paths are not consulted, rule.* still refuse; the chain is reported at
 * start-up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebFluxOwnChainTest {
  // HTTP/1.1: with the JDK client's default h2c upgrade, requests to Reactor Netty were lost under CPU load (30 s
  // timeouts, 2 runs in 3 with three busy loops beside; none over HTTP/1.1); why is not known yet
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final StartupLog startupLog = StartupLog.capture();
  private TestIdentityProviders idp;
  private ConfigurableApplicationContext app;

  @BeforeAll
  void start() {
    idp = new TestIdentityProviders();
    Map<String, String> tokenguard = new LinkedHashMap<>(idp.appProperties());
    tokenguard.keySet().removeIf(k -> k.contains("user-lookup."));
    app = SpringApps.start(OwnRulesWebFluxApplication.class, tokenguard);
  }

  @AfterAll
  void stop() {
    app.close();
    idp.close();
    startupLog.close();
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(SpringApps.baseUrl(app) + path))
        .timeout(java.time.Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theChainsOwnRulesDecideAndTokenGuardAuthenticates() throws Exception {
    String alice = idp.oidcToken("alice", Map.of("permissions", List.of("orders:read")));
    String operator = idp.oidcToken("olga", Map.of("permissions", List.of("ops:run")));
    assertThat(get("/open/hello", null).body()).isEqualTo("hello stranger");
    assertThat(get("/open/hello", alice).body()).isEqualTo("hello alice");
    HttpResponse<String> bad = get("/open/hello", idp.oidcToken("alice", TestIdentityProviders.AUDIENCE, Map.of(), -3600));
    assertThat(bad.statusCode()).as("a bad token is refused even where anonymous callers may go").isEqualTo(401);
    assertThat(bad.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");

    HttpResponse<String> anonymous = get("/api/whoami", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains(dev.tokenguard.it.ScenarioCatalogue.MISSING_TOKEN_CHALLENGE);
    assertThat(get("/api/whoami", alice).body()).isEqualTo("alice");
    assertThat(get("/public/whoami", null).statusCode()).as("public-paths are the chain's permitAll() here").isEqualTo(401);
    assertThat(get("/api/admin/whoami", null).statusCode()).as("a rule.* path needs a token").isEqualTo(401);
    HttpResponse<String> ruled = get("/api/admin/whoami", alice);
    assertThat(ruled.statusCode()).as("rule.admin still refuses").isEqualTo(403);
    assertThat(ruled.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("scope=\"admin:write\"");
    HttpResponse<String> denied = get("/ops/whoami", alice);
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("insufficient_scope");
    assertThat(get("/ops/whoami", operator).body()).isEqualTo("olga");
  }

  /**
   * Spring's vocabulary on WebFlux: the application's GrantedAuthoritiesMapper and authentication events, and
   * TokenGuard's ReactiveAuthenticationManager (for Spring's reactive resource server or an AuthenticationWebFilter).
   */
  @Test
  void springSecuritysOwnVocabulary() throws Exception {
    SpringVocabulary.verify(app, idp);
    @SuppressWarnings("unchecked")
    ReactiveAuthenticationManager manager = ((ReactiveAuthenticationManagerResolver<ServerWebExchange>)
        app.getBean("tokenGuardReactiveAuthenticationManagerResolver", ReactiveAuthenticationManagerResolver.class))
        .resolve(null).block();
    String olgasToken = idp.oidcToken("olga", Map.of("permissions", List.of("ops:run")));
    List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    Authentication olga = manager.authenticate(new BearerToken(olgasToken))
        .doOnNext(a -> threads.add(Thread.currentThread().getName())).block();
    assertThat(olga).isInstanceOf(TokenGuardAuthentication.class);
    assertThat(olga.getAuthorities()).extracting(GrantedAuthority::getAuthority).contains("ops:run", "ROLE_OPERATOR");
    assertThat(app.getBean(SpringVocabulary.AuthenticationEvents.class).take()).containsExactly("AuthenticationSuccessEvent olga");
    // the same token again is in the verified-token cache: answered where it is asked, with the same authorities and event
    Authentication again = manager.authenticate(new BearerToken(olgasToken))
        .doOnNext(a -> threads.add(Thread.currentThread().getName())).block();
    assertThat(again.getAuthorities()).isEqualTo(olga.getAuthorities());
    assertThat(app.getBean(SpringVocabulary.AuthenticationEvents.class).take()).containsExactly("AuthenticationSuccessEvent olga");
    assertThat(threads).as("validated on a worker, then answered on the caller's thread")
        .satisfiesExactly(first -> assertThat(first).startsWith("boundedElastic-"),
            second -> assertThat(second).isEqualTo(Thread.currentThread().getName()));
    String expired = idp.oidcToken("alice", TestIdentityProviders.AUDIENCE, Map.of(), -3600);
    assertThatThrownBy(() -> manager.authenticate(new BearerToken(expired)).block()).isInstanceOf(CredentialsExpiredException.class);
    assertThat(manager.authenticate(new UsernamePasswordAuthenticationToken("alice", "a-password")).blockOptional())
        .as("a password is no bearer token").isEmpty();
  }

  /** RequiresPermission on a handler the chain leaves open: 401 without a caller, 403 without the permission. */
  @Test
  void aHandlerPermissionOnAnOpenPath() throws Exception {
    HttpResponse<String> anonymous = get("/open/annotated", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains(dev.tokenguard.it.ScenarioCatalogue.MISSING_TOKEN_CHALLENGE);
    HttpResponse<String> lacking = get("/open/annotated", idp.oidcToken("alice", Map.of("permissions", List.of("orders:read"))));
    assertThat(lacking.statusCode()).isEqualTo(403);
    assertThat(lacking.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("scope=\"ops:run\"");
    assertThat(get("/open/annotated", idp.oidcToken("olga", Map.of("permissions", List.of("ops:run")))).body())
        .isEqualTo("annotated");
  }

  /** TokenGuardWebFlux.authenticating in a chain without authorizeExchange would let everyone in: start-up fails. */
  @Test
  void authenticatingWithoutTheChainsOwnRulesDoesNotStart() {
    Map<String, String> tokenguard = new LinkedHashMap<>(idp.appProperties());
    tokenguard.keySet().removeIf(k -> k.contains("user-lookup."));
    assertThatThrownBy(() -> SpringApps.start(NoRulesWebFluxApplication.class, tokenguard).close())
        .hasStackTraceContaining("security chain 'api' runs TokenGuardWebFlux.authenticating(...) but has no"
            + " authorizeExchange(...)");
  }

  @Test
  void theApplicationsChainIsReportedAtStartUp() {
    assertThat(startupLog.chainReport()).isEqualTo("INFO TokenGuard's default security chain is off: the application"
        + " defines its own [api]; TokenGuard runs in [api].");
  }
}
