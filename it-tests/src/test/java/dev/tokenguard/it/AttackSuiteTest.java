package dev.tokenguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.http.Outcome;
import dev.tokenguard.testing.ApiServer;
import dev.tokenguard.testing.FakeRequest;
import dev.tokenguard.testing.Json;
import dev.tokenguard.testing.JwksServer;
import dev.tokenguard.testing.TestKeys;
import dev.tokenguard.testing.TestTokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Every family of bad input of SECURITY.md, each case run twice: through core ({@link TokenGuard#check}) and over
 * HTTP against the servlet filter in Jetty (deployed through web.xml). Each case asserts the status, the exact
 * {@code WWW-Authenticate} error, that the user API was called zero times, and that the body holds no token,
 * stack trace or exception class name. Tokens are signed by the npm package {@code jose} (independent of Nimbus)
 * except where noted (a 1024-bit RSA key and invalid UTF-8, which jose refuses to produce).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttackSuiteTest {
  static final String AUDIENCE = "api://attack";

  JoseSigner jose;
  JwksServer idp;
  ApiServer users;
  TokenGuard guard;
  Server jetty;
  int port;
  final List<Case> cases = new ArrayList<>();
  JoseSigner.KeyPair es;
  JoseSigner.KeyPair rs;
  JoseSigner.KeyPair ed;

  /** One attack: the request's headers and what must come back. */
  record Case(String family, String name, List<String[]> headers, int status, String error, String part, boolean coreOnly) {}

  @BeforeAll
  void start() throws Exception {
    jose = new JoseSigner();
    es = jose.keys("ES256", "es");
    rs = jose.keys("RS256", "rs");
    ed = jose.keys("EdDSA", "ed");
    JoseSigner.KeyPair es512 = jose.keys("ES512", "es512");
    JoseSigner.KeyPair enc = jose.keys("RS256", "enc-key");
    JoseSigner.KeyPair ops = jose.keys("ES256", "ops-key");
    JoseSigner.KeyPair dup1 = jose.keys("ES256", "dup");
    JoseSigner.KeyPair dup2 = jose.keys("ES256", "dup");
    JoseSigner.KeyPair attacker = jose.keys("ES256", "attacker");
    TestKeys.TestKey small = TestKeys.rsa("small-rsa", 1024);
    byte[] octSecret = "an-hmac-secret-that-is-32-bytes!".getBytes(StandardCharsets.UTF_8);
    Map<String, Object> oct = Map.of("kty", "oct", "kid", "oct", "k", b64(octSecret));

    idp = new JwksServer();
    Map<String, Object> encPublic = new LinkedHashMap<>(enc.publicJwk());
    encPublic.put("use", "enc");
    Map<String, Object> opsPublic = new LinkedHashMap<>(ops.publicJwk());
    opsPublic.put("key_ops", List.of("encrypt"));
    idp.body(Json.write(Map.of("keys", List.of(es.publicJwk(), rs.publicJwk(), ed.publicJwk(), es512.publicJwk(),
        encPublic, opsPublic, dup1.publicJwk(), dup2.publicJwk(), small.publicJwk(), oct, Map.of("kty", "XYZ", "kid", "weird")))));
    users = new ApiServer();
    users.on("GET", "/users/user-123", ApiServer.Answer.json(200, "{\"id\":\"user-123\",\"email\":\"u@example.com\"}"));

    Map<String, String> props = new LinkedHashMap<>();
    props.put("issuer", idp.issuer());
    props.put("jwks-uri", idp.jwksUri());
    props.put("audience", AUDIENCE);
    props.put("algorithms", "RS256,ES256,EdDSA");
    props.put("required-claims", "jti");
    props.put("realm", "attack");
    props.put("jwks.min-refetch-interval", "1s");
    props.put("user-lookup.provider", "generic");
    props.put("user-lookup.user-url", users.url() + "/users/{sub}");
    props.put("user-lookup.field.id", "id");
    props.put("user-lookup.field.email", "email");
    guard = TokenGuard.create(TokenGuardConfig.fromProperties(props));
    startJetty(props);

    String valid = jose(es, Map.of(), claims());
    String validBody = signed(es, Map.of(), claims());
    String idpIssuer = idp.issuer();
    long now = Instant.now().getEpochSecond();

    // header and transport
    add("transport", "no Authorization header", List.of(), 401, null, null);
    add("transport", "empty Authorization header", List.<String[]>of(auth("")), 401, null, null);
    add("transport", "another scheme (Basic)", List.<String[]>of(auth("Basic dXNlcjpwYXNz")), 401, null, null);
    add("transport", "Bearer without a token", List.<String[]>of(auth("Bearer")), 400, "invalid_request", "empty");
    add("transport", "tab instead of space", List.<String[]>of(auth("Bearer\t" + valid)), 400, "invalid_request", null);
    add("transport", "two Authorization headers", List.<String[]>of(auth("Bearer " + valid), auth("Bearer " + valid)), 400, "invalid_request", "2 Authorization headers");
    add("transport", "two tokens in one header", List.<String[]>of(auth("Bearer " + valid + " " + valid)), 400, "invalid_request", "several bearer tokens");
    add("transport", "non-ASCII in the token", List.<String[]>of(auth("Bearer " + valid.substring(0, 10) + "\u00e9" + valid.substring(10))), 400, "invalid_request", null);
    add("transport", "oversized token (20 KB)", List.<String[]>of(auth("Bearer " + jose(es, Map.of(), claims("blob", "x".repeat(20_000))))), 401, "invalid_token", "more than the limit");
    cases.add(new Case("transport", "2 MB token (core only: containers refuse such headers first)",
        List.<String[]>of(auth("Bearer " + jose(es, Map.of(), claims("blob", "x".repeat(2 * 1024 * 1024))))), 401, "invalid_token", "more than the limit", true));

    // algorithm
    String unsignedHeader = enc("{\"alg\":\"none\"}");
    add("algorithm", "alg none, no signature", List.<String[]>of(bearer(unsignedHeader + "." + enc(Json.write(claims())) + ".")), 401, "invalid_token", "signature is missing");
    add("algorithm", "alg NoNe with a signature", List.<String[]>of(bearer(enc("{\"alg\":\"NoNe\"}") + "." + enc(Json.write(claims())) + ".c2ln")), 401, "invalid_token", "alg none");
    Map<String, Object> rsaPublicAsSecret = Map.of("kty", "oct", "k", b64(Json.write(rs.publicJwk()).getBytes(StandardCharsets.UTF_8)));
    add("algorithm", "HS256 signed with the RSA public key (confusion)", List.<String[]>of(bearer(jose.sign("HS256", rsaPublicAsSecret, Map.of("kid", "rs"), Json.write(claims())))), 401, "invalid_token", "signed with HS256");
    add("algorithm", "ES512 outside the allow-list", List.<String[]>of(bearer(jose(es512, Map.of(), claims()))), 401, "invalid_token", "signed with ES512");
    add("algorithm", "alg RS256 naming the EC key", List.<String[]>of(bearer(jose.sign("RS256", rs.privateJwk(), Map.of("kid", "es"), Json.write(claims())))), 401, "invalid_token", "cannot verify RS256");

    // key selection
    add("key", "unknown kid (one refetch)", List.<String[]>of(bearer(jose(attacker, Map.of(), claims()))), 401, "invalid_token", "no key with kid 'attacker'");
    add("key", "kid with path traversal", List.<String[]>of(bearer(jose.sign("ES256", attacker.privateJwk(), Map.of("kid", "../../../etc/passwd"), Json.write(claims())))), 401, "invalid_token", "no key with kid");
    add("key", "kid of 300 characters", List.<String[]>of(bearer(jose.sign("ES256", attacker.privateJwk(), Map.of("kid", "k".repeat(300)), Json.write(claims())))), 401, "invalid_token", "more than 256");
    add("key", "embedded jwk of the attacker", List.<String[]>of(bearer(jose(attacker, Map.of("jwk", attacker.publicJwk()), claims()))), 401, "invalid_token", "no key with kid 'attacker'");
    add("key", "jku pointing at the attacker", List.<String[]>of(bearer(jose(attacker, Map.of("jku", users.url() + "/evil-jwks"), claims()))), 401, "invalid_token", "no key with kid");
    add("key", "x5u and x5c headers", List.<String[]>of(bearer(jose(attacker, Map.of("x5u", users.url() + "/evil.pem", "x5c", List.of("MIIB")), claims()))), 401, "invalid_token", "no key with kid");

    // crit (JDK-signed: jose refuses to sign critical parameters it does not understand; TokenGuard rejects
    // them before any key is looked at, so the signer does not matter)
    add("crit", "unknown critical parameter", List.<String[]>of(bearer(jdk(Map.of("crit", List.of("exp-guard"), "exp-guard", 1)))), 401, "invalid_token", "critical header");
    add("crit", "empty crit", List.<String[]>of(bearer(jdk(Map.of("crit", List.of())))), 401, "invalid_token", "critical header");
    add("crit", "b64 false (unencoded payload)", List.<String[]>of(bearer(jdk(Map.of("crit", List.of("b64"), "b64", false)))), 401, "invalid_token", "critical header");

    // signature
    add("signature", "signature stripped", List.<String[]>of(bearer(valid.substring(0, valid.lastIndexOf('.') + 1))), 401, "invalid_token", "signature is missing");
    add("signature", "signature truncated", List.<String[]>of(bearer(valid.substring(0, valid.length() - 6))), 401, "invalid_token", null);
    add("signature", "ECDSA r = s = 0 (psychic signature)", List.<String[]>of(bearer(valid.substring(0, valid.lastIndexOf('.') + 1) + b64(new byte[64]))), 401, "invalid_token", "does not verify");
    add("signature", "ECDSA signature in DER form", List.<String[]>of(bearer(valid.substring(0, valid.lastIndexOf('.') + 1) + b64(der(Base64.getUrlDecoder().decode(valid.substring(valid.lastIndexOf('.') + 1)))))), 401, "invalid_token", null);
    add("signature", "non-canonical base64url", List.<String[]>of(bearer(valid.substring(0, valid.length() - 1) + (char) (valid.charAt(valid.length() - 1) + 1))), 401, "invalid_token", "strict base64url");
    add("signature", "payload swapped under a valid signature", List.<String[]>of(bearer(validBody.substring(0, validBody.indexOf('.') + 1)
        + enc(Json.write(claims("sub", "admin"))) + validBody.substring(validBody.lastIndexOf('.')))), 401, "invalid_token", "does not verify");

    // time
    add("time", "expired", List.<String[]>of(bearer(jose(es, Map.of(), claims("exp", now - 3600)))), 401, "invalid_token", "expired at");
    add("time", "nbf in the future", List.<String[]>of(bearer(jose(es, Map.of(), claims("nbf", now + 3600)))), 401, "invalid_token", "not valid before");
    add("time", "iat in the future", List.<String[]>of(bearer(jose(es, Map.of(), claims("iat", now + 3600)))), 401, "invalid_token", "issued in the future");
    add("time", "exp missing", List.<String[]>of(bearer(jose(es, Map.of(), claims("exp", null)))), 401, "invalid_token", "no expiry");
    add("time", "exp as a string", List.<String[]>of(bearer(jose(es, Map.of(), claims("exp", Long.toString(now + 600))))), 401, "invalid_token", "must be a number");
    add("time", "exp 1e20", List.<String[]>of(bearer(jose(es, Map.of(), claims("exp", new Json.Raw("1e20"))))), 401, "invalid_token", "outside the range");
    add("time", "nbf -1e20", List.<String[]>of(bearer(jose(es, Map.of(), claims("nbf", new Json.Raw("-1e20"))))), 401, "invalid_token", "outside the range");

    // identity
    add("identity", "iss with a trailing slash", List.<String[]>of(bearer(jose(es, Map.of(), claims("iss", idpIssuer + "/")))), 401, "invalid_token", "issuer (iss) is");
    add("identity", "iss in another case", List.<String[]>of(bearer(jose(es, Map.of(), claims("iss", idpIssuer.toUpperCase())))), 401, "invalid_token", "issuer (iss) is");
    add("identity", "another audience", List.<String[]>of(bearer(jose(es, Map.of(), claims("aud", "api://other")))), 401, "invalid_token", "audience (aud) is");
    add("identity", "audience array with null", List.<String[]>of(bearer(jose(es, Map.of(), claims("aud", TestTokens.list(AUDIENCE, null))))), 401, "invalid_token", "only strings");
    add("identity", "ID token presented (aud = client id, nonce)", List.<String[]>of(bearer(jose(es, Map.of("typ", "JWT"), claims("aud", "web-client", "nonce", "n")))), 401, "invalid_token", "audience (aud) is");
    add("identity", "typ JOSE+JSON", List.<String[]>of(bearer(jose(es, Map.of("typ", "JOSE+JSON"), claims()))), 401, "invalid_token", "token type (typ)");
    add("identity", "numeric sub", List.<String[]>of(bearer(jose(es, Map.of(), claims("sub", 42)))), 401, "invalid_token", "'sub' must be");
    add("identity", "null sub", List.<String[]>of(bearer(jose(es, Map.of(), claims("sub", new Json.Raw("null"))))), 401, "invalid_token", "is missing");
    add("identity", "required claim present as null", List.<String[]>of(bearer(jose(es, Map.of(), claims("jti", new Json.Raw("null"))))), 401, "invalid_token", "required claim 'jti'");

    // structure
    add("structure", "JWE (five parts)", List.<String[]>of(bearer(enc("{\"alg\":\"dir\",\"enc\":\"A128GCM\"}") + ".AAAA.AAAA.AAAA.AAAA")), 401, "invalid_token", "encrypted tokens");
    add("structure", "PBES2 header with a huge p2c", List.<String[]>of(bearer(enc("{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A128GCM\",\"p2c\":2000000000}") + "." + enc(Json.write(claims())) + ".AAAA")), 401, "invalid_token", "encrypted tokens");
    add("structure", "nested JWT as payload", List.<String[]>of(bearer(jose.sign("ES256", es.privateJwk(), Map.of("kid", "es", "cty", "JWT"), valid))), 401, "invalid_token", "not a JSON object");
    add("structure", "deeply nested JSON", List.<String[]>of(bearer(jose.sign("ES256", es.privateJwk(), Map.of("kid", "es"),
        "{\"iss\":\"" + idpIssuer + "\",\"x\":" + "[".repeat(2000) + "]".repeat(2000) + "}"))), 401, "invalid_token", null);
    add("structure", "duplicate claim keys", List.<String[]>of(bearer(jose.sign("ES256", es.privateJwk(), Map.of("kid", "es"),
        Json.write(claims()).replace("\"sub\":\"user-123\"", "\"sub\":\"user-123\",\"sub\":\"admin\"")))), 401, "invalid_token", "not a JSON object");
    add("structure", "extra dots", List.<String[]>of(bearer(valid + ".")), 401, "invalid_token", "part(s)");
    byte[] badUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    add("structure", "invalid UTF-8 payload (JDK-signed)", List.<String[]>of(bearer(TestTokens.valid(idpIssuer, AUDIENCE, Instant.now())
        .signRaw("RS256", "small-rsa", TestTokens.enc(badUtf8), small.pair().getPrivate()))), 401, "invalid_token", null);

    // JWKS contents: every one of these keys is dropped by key hygiene
    add("jwks", "RSA key of 1024 bits (JDK-signed)", List.<String[]>of(bearer(TestTokens.valid(idpIssuer, AUDIENCE, Instant.now())
        .claim("jti", "j").sign("RS256", small))), 401, "invalid_token", "no key with kid 'small-rsa'");
    add("jwks", "key with use=enc", List.<String[]>of(bearer(jose(enc, Map.of(), claims()))), 401, "invalid_token", "no key with kid 'enc-key'");
    add("jwks", "key_ops without verify", List.<String[]>of(bearer(jose(ops, Map.of(), claims()))), 401, "invalid_token", "no key with kid 'ops-key'");
    add("jwks", "two different keys with one kid", List.<String[]>of(bearer(jose(dup1, Map.of(), claims()))), 401, "invalid_token", "no key with kid 'dup'");
    add("jwks", "symmetric key in the set, HS256 token", List.<String[]>of(bearer(jose.sign("HS256", oct, Map.of("kid", "oct"), Json.write(claims())))), 401, "invalid_token", "signed with HS256");
    add("jwks", "unknown kty", List.<String[]>of(bearer(jose.sign("ES256", attacker.privateJwk(), Map.of("kid", "weird"), Json.write(claims())))), 401, "invalid_token", "no key with kid 'weird'");
  }

  private void startJetty(Map<String, String> props) throws Exception {
    Path webapp = WebXml.write(Files.createTempDirectory("tokenguard-attack"), "jakarta", props, EchoServlet.class.getName());
    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(64 * 1024); // so a 20 KB token reaches TokenGuard instead of the container's 431
    jetty = EmbeddedJetty.webapp(webapp, "/app", http);
    jetty.start();
    port = EmbeddedJetty.port(jetty);
  }

  @AfterAll
  void stop() throws Exception {
    jetty.stop();
    guard.close();
    idp.close();
    users.close();
    jose.close();
  }

  // ---- helpers ----

  Map<String, Object> claims(Object... overrides) {
    long now = Instant.now().getEpochSecond();
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("iss", idp.issuer());
    c.put("sub", "user-123");
    c.put("aud", AUDIENCE);
    c.put("iat", now);
    c.put("exp", now + 600);
    c.put("jti", "j-1");
    c.put("scope", "orders:read");
    for (int i = 0; i < overrides.length; i += 2) {
      if (overrides[i + 1] == null) {
        c.remove((String) overrides[i]);
      } else {
        c.put((String) overrides[i], overrides[i + 1]);
      }
    }
    return c;
  }

  String jose(JoseSigner.KeyPair key, Map<String, Object> header, Map<String, Object> claims) {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("kid", key.kid());
    h.put("typ", "at+jwt");
    h.putAll(header);
    return jose.sign(key.alg(), key.privateJwk(), h, Json.write(claims));
  }

  String signed(JoseSigner.KeyPair key, Map<String, Object> header, Map<String, Object> claims) {
    return jose(key, header, claims);
  }

  /** A JDK-signed token with extra header members, for what jose will not produce. */
  String jdk(Map<String, Object> header) {
    TestTokens t = TestTokens.valid(idp.issuer(), AUDIENCE, Instant.now()).claim("jti", "j-1");
    header.forEach(t::header);
    return t.sign("ES256", TestKeys.EC_P256);
  }

  void add(String family, String name, List<String[]> headers, int status, String error, String part) {
    cases.add(new Case(family, name, headers, status, error, part, false));
  }

  static String[] auth(String value) {
    return new String[] {"Authorization", value};
  }

  static String[] bearer(String token) {
    return auth("Bearer " + token);
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String enc(String text) {
    return b64(text.getBytes(StandardCharsets.UTF_8));
  }

  /** r||s as an ASN.1 DER SEQUENCE of two INTEGERs. */
  static byte[] der(byte[] p1363) {
    byte[] r = integer(java.util.Arrays.copyOfRange(p1363, 0, 32));
    byte[] s = integer(java.util.Arrays.copyOfRange(p1363, 32, 64));
    byte[] out = new byte[2 + r.length + s.length];
    out[0] = 0x30;
    out[1] = (byte) (r.length + s.length);
    System.arraycopy(r, 0, out, 2, r.length);
    System.arraycopy(s, 0, out, 2 + r.length, s.length);
    return out;
  }

  private static byte[] integer(byte[] unsigned) {
    byte[] v = new java.math.BigInteger(1, unsigned).toByteArray();
    byte[] out = new byte[2 + v.length];
    out[0] = 0x02;
    out[1] = (byte) v.length;
    System.arraycopy(v, 0, out, 2, v.length);
    return out;
  }

  private static String token(Case c) {
    for (String[] h : c.headers()) {
      if (h[1].startsWith("Bearer ") && h[1].length() > 40) {
        return h[1].substring(7);
      }
    }
    return null;
  }

  /** Nothing a client must not see: no token, no stack trace, no exception class. */
  private static void assertCleanBody(Case c, String body) {
    String token = token(c);
    if (token != null && token.length() > 40) {
      assertThat(body).as("the body never echoes the token").doesNotContain(token.substring(token.lastIndexOf('.') + 1).isEmpty()
          ? token : token.substring(token.lastIndexOf('.') + 1));
    }
    assertThat(body).as("no stack trace or exception class").doesNotContain("Exception", "\tat ", "java.", "dev.tokenguard.");
  }

  private void assertChallenge(Case c, String challenge) {
    if (c.error() == null) {
      assertThat(challenge).isEqualTo("Bearer realm=\"attack\"");
    } else {
      assertThat(challenge).startsWith("Bearer realm=\"attack\", error=\"" + c.error() + "\"");
      if (c.part() != null) {
        assertThat(challenge).contains(c.part());
      }
    }
  }

  // ---- the suite ----

  @TestFactory
  Stream<DynamicTest> everyAttackThroughCore() {
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.family() + ": " + c.name(), () -> {
      int before = users.requests().size();
      FakeRequest request = FakeRequest.get("/api/me");
      c.headers().forEach(h -> request.header(h[0], h[1]));
      Outcome o = guard.check(request).outcome().orElseThrow(() -> new AssertionError("let through: " + c.name()));
      assertThat(o.status()).isEqualTo(c.status());
      assertChallenge(c, o.challenge());
      assertCleanBody(c, o.body());
      assertThat(users.requests().size()).as("user API calls").isEqualTo(before);
    }));
  }

  @TestFactory
  Stream<DynamicTest> everyAttackOverHttpAgainstTheServletFilterInJetty() {
    return cases.stream().filter(c -> !c.coreOnly()).map(c -> DynamicTest.dynamicTest(c.family() + ": " + c.name(), () -> {
      int before = users.requests().size();
      RawHttp.Response r = RawHttp.get(port, "/app/api/me", c.headers());
      assertThat(r.status()).as(r.body()).isEqualTo(c.status());
      if (r.header("WWW-Authenticate") != null || !c.name().startsWith("non-ASCII")) {
        assertChallenge(c, r.header("WWW-Authenticate")); // a container may refuse non-ASCII bytes itself (also 400)
      }
      assertCleanBody(c, r.body());
      assertThat(users.requests().size()).as("user API calls").isEqualTo(before);
      assertThat(users.count("GET", "/evil-jwks") + users.count("GET", "/evil.pem")).as("attacker URLs fetched").isZero();
    }));
  }

  @Test
  void controlTokensFromJoseAreAcceptedWithEveryAlgorithm() throws Exception {
    for (JoseSigner.KeyPair k : List.of(es, rs, ed)) {
      RawHttp.Response r = RawHttp.get(port, "/app/api/me", List.<String[]>of(bearer(jose(k, Map.of(), claims()))));
      assertThat(r.status()).as(k.alg() + ": " + r.body()).isEqualTo(200);
      assertThat(r.body()).contains("\"subject\":\"user-123\"", "\"profileEmail\":\"u@example.com\"");
      FakeRequest request = FakeRequest.get("/api/me").bearer(jose(k, Map.of(), claims()));
      assertThat(guard.check(request).allowed()).as(k.alg()).isTrue();
    }
  }
}
