package dev.tokenguard.it;

import com.nimbusds.jwt.SignedJWT;
import dev.tokenguard.testing.ApiServer;
import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;

/**
 * Everything the scenarios talk to, all real servers on 127.0.0.1: a real OIDC issuer (mock-oauth2-server),
 * two JWKS servers whose keys the tests rotate or take down, and a user API for the {@code generic} lookup.
 * {@link #appProperties()} is the TokenGuard configuration every adapter under test gets.
 */
public final class TestIdentityProviders implements AutoCloseable {
  /** The audience every token is issued for. */
  public static final String AUDIENCE = "tokenguard-it";
  /** A user whose profile says blocked. */
  public static final String BLOCKED_USER = "mallory";

  private final MockOAuth2Server oidc = new MockOAuth2Server();
  /** Issuer whose keys rotate. */
  public final JwksServer rotating = new JwksServer().keys(TestKeys.RSA);
  /** Issuer that is down until a test brings it up. */
  public final JwksServer outage = new JwksServer().keys(TestKeys.EC_P256).mode(JwksServer.Mode.DOWN);
  /** The user API. */
  public final ApiServer users = new ApiServer();

  public TestIdentityProviders() {
    try {
      oidc.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String user : List.of("alice", "bob", "user-123", BLOCKED_USER)) {
      users.on("GET", "/users/" + user, ApiServer.Answer.json(200, "{\"id\":\"" + user + "\",\"email\":\"" + user
          + "@example.com\",\"blocked\":" + user.equals(BLOCKED_USER) + "}"));
    }
  }

  /** The real OIDC issuer. */
  public String oidcIssuer() {
    return oidc.issuerUrl("default").toString();
  }

  /** The TokenGuard configuration of the application under test, keys as in every adapter. */
  public Map<String, String> appProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("issuer", String.join(",", oidcIssuer(), rotating.issuer(), outage.issuer()));
    p.put("jwks-uri", String.join(",", oidc.jwksUrl("default").toString(), rotating.jwksUri(), outage.jwksUri()));
    p.put("audience", AUDIENCE);
    p.put("realm", "it");
    p.put("public-paths", "/public/**");
    p.put("roles-claims", "roles");
    p.put("rule.admin.paths", "/api/admin/**");
    p.put("rule.admin.permissions", "admin:write");
    p.put("jwks.min-refetch-interval", "1s");
    p.put("user-lookup.provider", "generic");
    p.put("user-lookup.user-url", users.url() + "/users/{sub}");
    p.put("user-lookup.field.id", "id");
    p.put("user-lookup.field.email", "email");
    p.put("user-lookup.field.blocked", "blocked");
    p.put("user-lookup.max-retries", "0");
    return p;
  }

  /** A token from the real OIDC issuer. */
  public String oidcToken(String subject, Map<String, Object> claims) {
    return oidcToken(subject, AUDIENCE, claims, 3600);
  }

  /** A token from the real OIDC issuer with this audience and lifetime (negative: already expired). */
  public String oidcToken(String subject, String audience, Map<String, Object> claims, long lifetimeSeconds) {
    SignedJWT jwt = oidc.issueToken("default", subject, audience, claims, lifetimeSeconds);
    return jwt.serialize();
  }

  /** A token of the rotating issuer signed with {@code key}. */
  public String rotatingToken(TestKeys.TestKey key) {
    return TestTokens.valid(rotating.issuer(), AUDIENCE, Instant.now()).sign("RS256", key);
  }

  /** A token of the outage issuer. */
  public String outageToken() {
    return TestTokens.valid(outage.issuer(), AUDIENCE, Instant.now()).sign("ES256", TestKeys.EC_P256);
  }

  @Override
  public void close() {
    oidc.shutdown();
    rotating.close();
    outage.close();
    users.close();
  }
}
