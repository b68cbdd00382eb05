package dev.tokenguard.it.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenguard.it.TestIdentityProviders;
import dev.tokenguard.it.spring.app.CatalogueApplication;
import dev.tokenguard.it.spring.custom.CustomChainApplication;
import dev.tokenguard.it.spring.ownrules.OwnRulesApplication;
import dev.tokenguard.it.spring.partial.PartialChainApplication;
import dev.tokenguard.it.spring.resourceserver.ResourceServerApplication;
import dev.tokenguard.it.spring.strategy.OwnHolderApplication;
import dev.tokenguard.it.spring.twochains.TwoChainsApplication;
import dev.tokenguard.spring.BearerToken;
import dev.tokenguard.spring.TokenGuardAuthentication;
import jakarta.servlet.http.HttpServletRequest;
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
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.authentication.ProviderNotFoundException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/** Start-up failures naming the property, and TokenGuard inside an application's own security chain. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringAdapterTest {
  private TestIdentityProviders idp;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() {
    idp = new TestIdentityProviders();
  }

  @AfterAll
  void stop() {
    idp.close();
  }

  private ConfigurableApplicationContext run(Class<?> app, Map<String, String> tokenguard) {
    return SpringApps.start(app, tokenguard);
  }

  private HttpResponse<String> get(ConfigurableApplicationContext ctx, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(SpringApps.baseUrl(ctx) + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void startWhenPropertyBadThenStartupFailsNamingIt() {
    Map<String, String> props = new LinkedHashMap<>(idp.appProperties());
    props.put("jwks.cache-ttl", "soon"); // not a duration: Spring's binder refuses it
    assertThatThrownBy(() -> run(CatalogueApplication.class, props).close())
        .hasStackTraceContaining("Failed to bind properties under 'tokenguard.jwks.cache-ttl'");
    props.put("jwks.cache-ttl", "-5s"); // a duration core refuses
    assertThatThrownBy(() -> run(CatalogueApplication.class, props).close())
        .hasStackTraceContaining("tokenguard.jwks.cache-ttl: expected a non-negative duration such as 500ms, 30s, 5m, 1h, 2d or PT30S, but was '-5s'");
  }

  @Test
  void startWhenUnknownPropertyUnderTokenguardThenStartupFails() {
    Map<String, String> props = new LinkedHashMap<>(idp.appProperties());
    props.put("user-lookup.field.nickname", "x");
    assertThatThrownBy(() -> run(CatalogueApplication.class, props).close())
        .hasStackTraceContaining("tokenguard.user-lookup.field.nickname");
  }

  @Test
  void userDefinedChainKeepsWorkingWithTokenGuardInIt() throws Exception {
    Map<String, String> props = new LinkedHashMap<>(idp.appProperties());
    props.keySet().removeIf(k -> k.contains("user-lookup."));
    try (ConfigurableApplicationContext ctx = run(CustomChainApplication.class, props)) {
      String alice = idp.oidcToken("alice", Map.of("roles", List.of("reader")));
      String operator = idp.oidcToken("bob", Map.of("roles", List.of("operator")));
      HttpResponse<String> whoami = get(ctx, "/api/whoami", alice);
      assertThat(whoami.statusCode()).isEqualTo(200);
      assertThat(whoami.body()).isEqualTo("alice");
      assertThat(whoami.headers().allValues("Set-Cookie")).as("stateless: no session").isEmpty();
      HttpResponse<String> none = get(ctx, "/api/whoami", null);
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).contains(dev.tokenguard.it.ScenarioCatalogue.MISSING_TOKEN_CHALLENGE);
      HttpResponse<String> denied = get(ctx, "/ops/status", alice);
      assertThat(denied.statusCode()).isEqualTo(403);
      assertThat(denied.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("insufficient_scope");
      assertThat(get(ctx, "/ops/status", operator).body()).isEqualTo("ok bob");
      assertThat(ctx.getBeansOfType(org.springframework.security.web.SecurityFilterChain.class)).containsOnlyKeys("appChain");
      assertThat(chainReport(ctx)).isEqualTo("INFO TokenGuard's default security chain is off: the application defines its"
          + " own [appChain]; TokenGuard runs in [appChain].");
    }
  }

  /**
   * The chain's own authorizeHttpRequests decides (README, "Spring's rules decide"): permitAll() is open to anonymous
   * callers, a bad token is still 401 at once, public-paths are not consulted, rule.* still refuse.
   */
  @Test
  void aChainWithItsOwnRulesDecidesAndTokenGuardAuthenticates() throws Exception {
    Map<String, String> props = new LinkedHashMap<>(idp.appProperties());
    props.keySet().removeIf(k -> k.contains("user-lookup."));
    try (ConfigurableApplicationContext ctx = run(OwnRulesApplication.class, props)) {
      String alice = idp.oidcToken("alice", Map.of("permissions", List.of("orders:read")));
      String operator = idp.oidcToken("olga", Map.of("permissions", List.of("ops:run")));
      assertThat(get(ctx, "/open/hello", null).body()).isEqualTo("hello stranger");
      assertThat(get(ctx, "/open/hello", alice).body()).isEqualTo("hello alice");
      HttpResponse<String> bad = get(ctx, "/open/hello", idp.oidcToken("alice", TestIdentityProviders.AUDIENCE, Map.of(), -3600));
      assertThat(bad.statusCode()).as("a bad token is refused even where anonymous callers may go").isEqualTo(401);
      assertThat(bad.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");

      HttpResponse<String> anonymous = get(ctx, "/api/whoami", null);
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains(dev.tokenguard.it.ScenarioCatalogue.MISSING_TOKEN_CHALLENGE);
      assertThat(get(ctx, "/api/whoami", alice).body()).isEqualTo("alice");
      assertThat(get(ctx, "/public/whoami", null).statusCode()).as("public-paths are Spring's permitAll() here").isEqualTo(401);

      assertThat(get(ctx, "/api/admin/whoami", null).statusCode()).as("a rule.* path needs a token").isEqualTo(401);
      HttpResponse<String> ruled = get(ctx, "/api/admin/whoami", alice);
      assertThat(ruled.statusCode()).as("rule.admin still refuses").isEqualTo(403);
      assertThat(ruled.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("scope=\"admin:write\"");

      HttpResponse<String> denied = get(ctx, "/ops/whoami", alice);
      assertThat(denied.statusCode()).isEqualTo(403);
      assertThat(denied.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("insufficient_scope");
      assertThat(get(ctx, "/ops/whoami", operator).body()).isEqualTo("olga");
      assertThat(get(ctx, "/ops/whoami", null).statusCode()).isEqualTo(401);
    }
  }

  /**
   * Spring's vocabulary: the application's GrantedAuthoritiesMapper shapes the authorities its rules see, its
   * AuthenticationEventPublisher hears every success and failure; TokenGuard's AuthenticationManager (for Spring's
   * resource server) answers the same callers and Spring's exceptions.
   */
  @Test
  void springSecuritysOwnVocabulary() throws Exception {
    Map<String, String> props = new LinkedHashMap<>(idp.appProperties());
    props.keySet().removeIf(k -> k.contains("user-lookup."));
    try (ConfigurableApplicationContext ctx = run(OwnRulesApplication.class, props)) {
      SpringVocabulary.verify(ctx, idp);
      @SuppressWarnings("unchecked")
      AuthenticationManager manager = ((AuthenticationManagerResolver<HttpServletRequest>)
          ctx.getBean("tokenGuardAuthenticationManagerResolver", AuthenticationManagerResolver.class)).resolve(null);
      Authentication olga = manager.authenticate(new BearerToken(idp.oidcToken("olga", Map.of("permissions", List.of("ops:run")))));
      assertThat(olga).isInstanceOf(TokenGuardAuthentication.class);
      assertThat(olga.getName()).isEqualTo("olga");
      assertThat(olga.getAuthorities()).extracting(GrantedAuthority::getAuthority).contains("ops:run", "ROLE_OPERATOR");
      assertThat(ctx.getBean(SpringVocabulary.AuthenticationEvents.class).take()).containsExactly("AuthenticationSuccessEvent olga");
      String expired = idp.oidcToken("alice", TestIdentityProviders.AUDIENCE, Map.of(), -3600);
      assertThatThrownBy(() -> manager.authenticate(new BearerToken(expired))).isInstanceOf(CredentialsExpiredException.class);
      assertThatThrownBy(() -> manager.authenticate(new BearerToken("not.a.token"))).isInstanceOf(BadCredentialsException.class);
      assertThatThrownBy(() -> manager.authenticate(new UsernamePasswordAuthenticationToken("alice", "a-password")))
          .as("a password is no bearer token").isInstanceOf(ProviderNotFoundException.class);
    }
  }

  /** Spring's resource server with TokenGuard's AuthenticationManager: Spring reads the token, TokenGuard judges it. */
  @Test
  void springsResourceServerWithTokenGuardsAuthenticationManager() throws Exception {
    Map<String, String> props = new LinkedHashMap<>(idp.appProperties());
    props.keySet().removeIf(k -> k.contains("user-lookup."));
    try (ConfigurableApplicationContext ctx = run(ResourceServerApplication.class, props)) {
      SpringVocabulary.AuthenticationEvents events = ctx.getBean(SpringVocabulary.AuthenticationEvents.class);
      String alice = idp.oidcToken("alice", Map.of("permissions", List.of("orders:read")));
      assertThat(get(ctx, "/api/whoami", alice).body()).isEqualTo("alice");
      assertThat(get(ctx, "/operators/whoami", alice).statusCode()).isEqualTo(403);
      assertThat(get(ctx, "/operators/whoami", idp.oidcToken("olga", Map.of("permissions", List.of("ops:run")))).body())
          .isEqualTo("olga");
      assertThat(events.take()).containsExactly("AuthenticationSuccessEvent alice", "AuthenticationSuccessEvent alice",
          "AuthenticationSuccessEvent olga");
      HttpResponse<String> expired = get(ctx, "/api/whoami", idp.oidcToken("alice", TestIdentityProviders.AUDIENCE, Map.of(), -3600));
      assertThat(expired.statusCode()).isEqualTo(401);
      assertThat(expired.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
      assertThat(events.take()).singleElement().asString().startsWith("AuthenticationFailureCredentialsExpiredEvent ");
      assertThat(get(ctx, "/api/whoami", null).statusCode()).isEqualTo(401);
    }
  }

  /**
   * The application's own SecurityContextHolderStrategy is the one TokenGuard sets the caller in (and Spring clears):
   * one Tomcat thread serves an authenticated request, then an anonymous one to a @RequiresPermission handler, which
   * must not see the earlier caller; CSRF turned off before TokenGuard joined stays off.
   */
  @Test
  void theApplicationsContextHolderAndItsCsrfChoice() throws Exception {
    Map<String, String> props = new LinkedHashMap<>(idp.appProperties());
    props.keySet().removeIf(k -> k.contains("user-lookup."));
    try (ConfigurableApplicationContext ctx = SpringApps.start(OwnHolderApplication.class, props,
        Map.of("server.tomcat.threads.max", "1", "server.tomcat.threads.min-spare", "1"))) {
      String reporter = idp.oidcToken("rita", Map.of("permissions", List.of("reports:read")));
      assertThat(get(ctx, "/api/whoami", reporter).body()).isEqualTo("rita");
      assertThat(get(ctx, "/open/report", reporter).body()).isEqualTo("report");
      assertThat(get(ctx, "/open/report", null).statusCode()).as("no caller left over from the thread's last request")
          .isEqualTo(401);
      HttpResponse<String> hook = http.send(HttpRequest.newBuilder(URI.create(SpringApps.baseUrl(ctx) + "/open/hook"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(hook.body()).as("CSRF stays off").isEqualTo("hooked");
    }
  }

  /** A chain of the application's own that does not run TokenGuard turns the default chain off: said at start-up. */
  @Test
  void aChainWithoutTokenGuardIsReportedAsAWarning() throws Exception {
    try (ConfigurableApplicationContext ctx = run(PartialChainApplication.class, idp.appProperties())) {
      assertThat(chainReport(ctx)).startsWith("WARNING TokenGuard's default security chain is off: the application defines"
          + " its own [actuator]; none of them runs TokenGuard, so no request is checked by it.");
    }
  }

  /** The README's two chains: actuator open, TokenGuard deciding (public-paths, rule.*) in the other. */
  @Test
  void aSecondChainWithTokenGuardDecidingCoversEverythingElse() throws Exception {
    Map<String, String> props = new LinkedHashMap<>(idp.appProperties());
    props.keySet().removeIf(k -> k.contains("user-lookup."));
    try (ConfigurableApplicationContext ctx = run(TwoChainsApplication.class, props)) {
      assertThat(chainReport(ctx)).isEqualTo("INFO TokenGuard's default security chain is off: the application defines its"
          + " own [actuator, api]; TokenGuard runs in [api].");
      HttpResponse<String> health = get(ctx, "/actuator/health", null);
      assertThat(health.statusCode()).as("served without a token (503: the catalogue's outage issuer is DOWN)").isEqualTo(503);
      assertThat(health.body()).contains("\"status\":\"DOWN\"");
      assertThat(get(ctx, "/api/whoami", null).statusCode()).isEqualTo(401);
      assertThat(get(ctx, "/public/whoami", null).body()).as("public-paths apply where TokenGuard decides").isEqualTo("anonymous");
      String alice = idp.oidcToken("alice", Map.of("permissions", List.of("orders:read")));
      assertThat(get(ctx, "/api/whoami", alice).body()).isEqualTo("alice");
      assertThat(get(ctx, "/api/admin/whoami", alice).statusCode()).isEqualTo(403);
    }
  }

  /** The chain report TokenGuard logged while {@code ctx} started, as level and text, or {@code null}. */
  private String chainReport(ConfigurableApplicationContext ctx) {
    assertThat(ctx.isActive()).isTrue();
    return startupLog.chainReport();
  }

  private StartupLog startupLog;

  @org.junit.jupiter.api.BeforeEach
  void captureStartupLog() {
    startupLog = StartupLog.capture();
  }

  @org.junit.jupiter.api.AfterEach
  void stopCapturing() {
    startupLog.close();
  }

  /** Issuer blocks alone (no tokenguard.issuer) activate TokenGuard: before, Spring Boot's default chain took over. */
  @Test
  void issuerBlocksAloneActivateTokenGuard() throws Exception {
    Map<String, String> props = new LinkedHashMap<>(idp.appProperties());
    props.remove("issuer");
    props.remove("jwks-uri");
    try (ConfigurableApplicationContext ctx = run(CatalogueApplication.class, props)) {
      assertThat(ctx.getBeansOfType(dev.tokenguard.TokenGuard.class)).hasSize(1);
      assertThat(get(ctx, "/api/me", idp.oidcToken("alice", Map.of())).statusCode()).isEqualTo(200);
      assertThat(get(ctx, "/api/me", null).statusCode()).isEqualTo(401);
    }
  }
}
