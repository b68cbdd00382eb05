package dev.tokenguard.it.starter;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import dev.tokenguard.it.starter.mvc.OrdersApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An application that depends on {@code tokenguard-spring-boot-starter} and a web starter only starts with two
 * properties and gets the README's curl results from a real OIDC server's tokens: on Spring MVC (Tomcat) here, on
 * WebFlux (Netty) in {@link OnWebFlux}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StarterOnlyTest {
  private final MockOAuth2Server idp = new MockOAuth2Server();
  private final HttpClient http = HttpClient.newHttpClient();
  ConfigurableApplicationContext app;

  /** The application under test. */
  SpringApplication application() {
    SpringApplication application = new SpringApplication(OrdersApplication.class);
    application.setWebApplicationType(WebApplicationType.SERVLET);
    return application;
  }

  @BeforeAll
  void start() {
    idp.start(java.net.InetAddress.getLoopbackAddress(), 0);
    SpringApplication application = application();
    application.setDefaultProperties(Map.of("server.address", "127.0.0.1", "server.port", "0",
        "spring.main.banner-mode", "off",
        "tokenguard.issuer", idp.issuerUrl("shop").toString(),
        "tokenguard.audience", "orders-api"));
    app = application.run();
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
    idp.shutdown();
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + app.getEnvironment().getProperty("local.server.port") + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String token(String subject, List<String> permissions) {
    return idp.issueToken("shop", subject, "orders-api", Map.of("permissions", permissions), 3600).serialize();
  }

  @Test
  void withoutATokenIs401WithTheChallenge() throws Exception {
    HttpResponse<String> r = get("/api/orders", null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer");
  }

  @Test
  void withThePermissionIs200AndTheCallerIsThePrincipal() throws Exception {
    HttpResponse<String> r = get("/api/orders", token("alice", List.of("orders:read")));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("order-1 for alice");
  }

  @Test
  void withoutThePermissionIs403NamingIt() throws Exception {
    HttpResponse<String> r = get("/api/orders", token("bob", List.of("orders:write")));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("error=\"insufficient_scope\"", "scope=\"orders:read\"");
  }

  @Test
  void aTokenOfAnotherAudienceIs401() throws Exception {
    String other = idp.issueToken("shop", "carol", "billing-api", Map.of("permissions", List.of("orders:read")), 3600)
        .serialize();
    HttpResponse<String> r = get("/api/orders", other);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
  }

  @Test
  void springBootsGeneratedUserBacksOff() {
    assertThat(app.getBeanNamesForType(org.springframework.security.core.userdetails.UserDetailsService.class))
        .as("no in-memory user with a logged password").isEmpty();
    assertThat(app.getBeanNamesForType(org.springframework.security.core.userdetails.ReactiveUserDetailsService.class))
        .isEmpty();
  }
}
