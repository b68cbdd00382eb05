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

  /**
   * The ports of the four servers; 0 picks free ones. A framework that configures the application before the
   * test's servers exist (Quarkus) reserves them first with {@link #reserve()}.
   *
   * @param oidc the OIDC issuer
   * @param rotating the issuer whose keys rotate
   * @param outage the issuer that starts down
   * @param users the user API
   */
  public record Ports(int oidc, int rotating, int outage, int users) {
    /** Free ports now. */
    public static Ports reserve() {
      return new Ports(JwksServer.freePort(), JwksServer.freePort(), JwksServer.freePort(), JwksServer.freePort());
    }

    /** As {@code "a,b,c,d"}, to pass between class loaders in a system property. */
    public String format() {
      return oidc + "," + rotating + "," + outage + "," + users;
    }

    public static Ports parse(String text) {
      String[] p = text.split(",");
      return new Ports(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]));
    }
  }

  private final MockOAuth2Server oidc = new MockOAuth2Server();
  /** Issuer whose keys rotate. */
  public final JwksServer rotating;
  /** Issuer that is down until a test brings it up. */
  public final JwksServer outage;
  /** The user API, and the introspection endpoint of the opaque issuer. */
  public final ApiServer users;
  /** The active opaque tokens the introspection endpoint knows: token -> answer members. */
  private final Map<String, Map<String, Object>> opaque = new java.util.concurrent.ConcurrentHashMap<>();

  public TestIdentityProviders() {
    this(new Ports(0, 0, 0, 0));
  }

  public TestIdentityProviders(Ports ports) {
    rotating = new JwksServer(ports.rotating()).keys(TestKeys.RSA);
    outage = new JwksServer(ports.outage()).keys(TestKeys.EC_P256).mode(JwksServer.Mode.DOWN);
    users = new ApiServer(ports.users());
    try {
      oidc.start(InetAddress.getByName("127.0.0.1"), ports.oidc());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    users.on("POST", "/introspect", r -> { // the opaque issuer's RFC 7662 endpoint
      Map<String, Object> m = "Basic b3BhcXVlLWFwaTpvcGFxdWUtc2VjcmV0".equals(r.header("Authorization")) // opaque-api:opaque-secret
          ? opaque.get(r.form().get("token")) : null;
      return ApiServer.Answer.json(200, m == null ? "{\"active\":false}" : com.nimbusds.jose.util.JSONObjectUtils.toJSONString(m));
    });
    for (String user : List.of("alice", "bob", "user-123", BLOCKED_USER)) {
      users.on("GET", "/users/" + user, ApiServer.Answer.json(200, "{\"id\":\"" + user + "\",\"email\":\"" + user
          + "@example.com\",\"blocked\":" + user.equals(BLOCKED_USER) + "}"));
    }
  }

  /** The real OIDC issuer. */
  public String oidcIssuer() {
    return oidc.issuerUrl("default").toString();
  }

  /** The ports in use. */
  public Ports ports() {
    return new Ports(oidc.baseUrl().port(), portOf(rotating.issuer()), portOf(outage.issuer()), portOf(users.url()));
  }

  private static int portOf(String url) {
    return java.net.URI.create(url).getPort();
  }

  /** The TokenGuard configuration of the application under test, keys as in every adapter. */
  public Map<String, String> appProperties() {
    return appProperties(ports(), oidc.baseUrl().host());
  }

  /**
   * The configuration for servers that will listen on {@code ports}; {@code oidcHost} is the host name the OIDC
   * server puts into its issuer URL (it names 127.0.0.1 {@code localhost}).
   */
  public static Map<String, String> appProperties(Ports ports, String oidcHost) {
    String oidcIssuer = "http://" + oidcHost + ":" + ports.oidc() + "/default";
    String rotating = "http://127.0.0.1:" + ports.rotating();
    String outage = "http://127.0.0.1:" + ports.outage();
    Map<String, String> p = new LinkedHashMap<>();
    // two issuers by the shorthand (top-level values), the OIDC server as an issuers.<name> block with its own keys
    // and the user API that knows its subjects: every host runs the catalogue with per-issuer settings
    p.put("issuer", String.join(",", rotating, outage));
    p.put("jwks-uri", String.join(",", rotating + "/jwks", outage + "/jwks"));
    p.put("audience", AUDIENCE);
    p.put("realm", "it");
    p.put("public-paths", "/public/**");
    p.put("roles-claims", "roles");
    p.put("rule.admin.paths", "/api/admin/**");
    p.put("rule.admin.permissions", "admin:write");
    p.put("jwks.min-refetch-interval", "1s");
    p.put("issuers.oidc.url", oidcIssuer);
    p.put("issuers.oidc.jwks-uri", oidcIssuer + "/jwks");
    p.put("issuers.oidc.audience", AUDIENCE);
    p.put("issuers.oidc.dpop.mode", "allowed"); // DPoP-bound tokens of the OIDC server, through every host
    p.put("issuers.oidc.user-lookup.provider", "generic");
    p.put("issuers.oidc.user-lookup.user-url", "http://127.0.0.1:" + ports.users() + "/users/{sub}");
    p.put("issuers.oidc.user-lookup.field.id", "id");
    p.put("issuers.oidc.user-lookup.field.email", "email");
    p.put("issuers.oidc.user-lookup.field.blocked", "blocked");
    p.put("issuers.oidc.user-lookup.max-retries", "0");
    // a third issuer of reference tokens, asked at its introspection endpoint (RFC 7662): no keys, no discovery
    p.put("issuers.opaque.url", opaqueIssuer(ports));
    p.put("issuers.opaque.token-format", "opaque");
    p.put("issuers.opaque.audience", AUDIENCE);
    p.put("issuers.opaque.introspection.endpoint", "http://127.0.0.1:" + ports.users() + "/introspect");
    p.put("issuers.opaque.introspection.client-id", "opaque-api");
    p.put("issuers.opaque.introspection.client-secret", "opaque-secret");
    return p;
  }

  private static String opaqueIssuer(Ports ports) {
    return "http://127.0.0.1:" + ports.users() + "/opaque";
  }

  /** The issuer of opaque tokens. */
  public String opaqueIssuer() {
    return opaqueIssuer(ports());
  }

  /**
   * A new opaque token of the opaque issuer, which its introspection endpoint reports active for {@code subject}
   * with this audience, scope and lifetime (negative: expired, which the endpoint still reports active, so that
   * TokenGuard's own exp check is what refuses it).
   */
  public String opaqueToken(String subject, String audience, String scope, long lifetimeSeconds) {
    String token = "op_" + java.util.UUID.randomUUID().toString().replace("-", "");
    long now = Instant.now().getEpochSecond();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("active", true);
    m.put("iss", opaqueIssuer());
    m.put("sub", subject);
    m.put("aud", audience);
    m.put("scope", scope);
    m.put("client_id", "web-app");
    m.put("iat", now - 10);
    m.put("exp", now + lifetimeSeconds);
    opaque.put(token, m);
    return token;
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

  /** A token of the rotating issuer for {@code subject}. */
  public String rotatingToken(String subject) {
    return TestTokens.valid(rotating.issuer(), AUDIENCE, Instant.now()).claim("sub", subject).sign("RS256", TestKeys.RSA);
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
