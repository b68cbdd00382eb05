package dev.tokenguard.bench;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.sun.net.httpserver.HttpServer;
import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Full validation of one realistic access token (signature, iss, aud, exp) by TokenGuard and its peers, side by side
 * in one run, per algorithm. {@code rawJca} is the physical limit: a pre-initialised JCA signature check of the same
 * bytes. {@code tokenguardUncached} runs TokenGuard with its verified-token cache switched off; {@code tokenguardCached}
 * is a repeated token. A peer that cannot do an algorithm throws {@link UnsupportedOperationException}, so JMH reports
 * that pair as failed instead of timing nothing. {@link #setUp} proves every verifier accepts the token and rejects a
 * tampered copy.
 *
 * <p>Run (after {@code mvn -B -q install -DskipTests}):
 * {@code java -jar benchmarks/target/benchmarks.jar ValidationBenchmark -f 1 -wi 2 -i 5 -w 2s -r 2s -t 1 -rf json -rff benchmarks/target/validation.json}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ValidationBenchmark {
  static final String ISSUER = "https://issuer.example.com/";
  static final String AUDIENCE = "https://api.example.com";

  @Param({"RS256", "ES256", "EdDSA", "HS256"})
  public String alg;

  String token;
  byte[] signingInput;
  byte[] signature;
  KeyPair keys;
  byte[] secret;
  HttpServer jwksServer;
  TokenGuard uncached;
  TokenGuard cached;
  DefaultJWTProcessor<SecurityContext> nimbus;
  JwtDecoder spring;
  JWTVerifier auth0;
  JwtConsumer jose4j;
  DefaultJWTParser smallrye;

  /** The JCA objects of the raw check, one per thread (a Signature is not thread-safe). */
  @State(Scope.Thread)
  public static class Raw {
    Signature signature;
    Mac mac;

    @Setup(Level.Trial)
    public void setUp(ValidationBenchmark b) throws Exception {
      switch (b.alg) {
        case "HS256" -> {
          mac = Mac.getInstance("HmacSHA256");
          mac.init(new SecretKeySpec(b.secret, "HmacSHA256"));
        }
        default -> {
          signature = Signature.getInstance(jcaName(b.alg));
          signature.initVerify(b.keys.getPublic());
        }
      }
    }
  }

  static String jcaName(String alg) {
    return switch (alg) {
      case "RS256" -> "SHA256withRSA";
      case "ES256" -> "SHA256withECDSAinP1363Format";
      case "EdDSA" -> "Ed25519";
      default -> throw new IllegalArgumentException(alg);
    };
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    generateKeys();
    token = sign(claims(Instant.now()));
    int dot = token.lastIndexOf('.');
    signingInput = token.substring(0, dot).getBytes(StandardCharsets.US_ASCII);
    signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
    startJwks();
    uncached = tokenGuard(false);
    cached = tokenGuard(true);
    nimbus = buildNimbus();
    spring = buildSpring();
    auth0 = buildAuth0();
    jose4j = buildJose4j();
    smallrye = buildSmallrye();
    sanityCheck();
  }

  /** A fresh key pair (or the HMAC secret) for {@link #alg}. */
  void generateKeys() throws Exception {
    secret = "a-benchmark-secret-of-32-bytes-at-least!".getBytes(StandardCharsets.UTF_8);
    if (!alg.equals("HS256")) {
      KeyPairGenerator g = KeyPairGenerator.getInstance(switch (alg) {
        case "RS256" -> "RSA";
        case "ES256" -> "EC";
        default -> "Ed25519";
      });
      if (alg.equals("RS256")) g.initialize(2048);
      if (alg.equals("ES256")) g.initialize(new ECGenParameterSpec("secp256r1"));
      keys = g.generateKeyPair();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    uncached.close();
    cached.close();
    jwksServer.stop(0);
  }

  // ---- the token ----

  static String claims(Instant now) {
    long iat = now.getEpochSecond();
    return "{\"iss\":\"" + ISSUER + "\",\"sub\":\"auth0|5f7c8ec7c33c6c004bbafe82\",\"aud\":[\"" + AUDIENCE
        + "\",\"https://tenant.example.com/userinfo\"],\"iat\":" + iat + ",\"exp\":" + (iat + 3600)
        + ",\"azp\":\"mwPnHYaQ0fKGYjxXOy4Fd0Byl6Cq0xtw\",\"scope\":\"openid profile email orders:read orders:write\","
        + "\"jti\":\"9f2b8ec0-6d42-4a4e-9bd5-3f6f0d1c7a12\",\"client_id\":\"mwPnHYaQ0fKGYjxXOy4Fd0Byl6Cq0xtw\","
        + "\"permissions\":[\"orders:read\",\"orders:write\",\"users:read\",\"reports:read\",\"billing:read\"]}";
  }

  /** Signs {@code claims}; HMAC tokens carry no kid (there is one shared secret), the others kid {@code k1}. */
  String sign(String claims) throws Exception {
    return sign(claims, alg.equals("HS256") ? null : "k1");
  }

  String sign(String claims, String kid) throws Exception {
    String header = "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"" + (kid == null ? "" : ",\"kid\":\"" + kid + "\"") + "}";
    String input = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(claims.getBytes(StandardCharsets.UTF_8));
    byte[] sig;
    if (alg.equals("HS256")) {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      sig = mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
    } else {
      Signature s = Signature.getInstance(jcaName(alg));
      s.initSign(keys.getPrivate());
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      sig = s.sign();
    }
    return input + "." + b64(sig);
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The ASCII bytes {@code header.payload} of the benchmark token signed with {@code alg}: what the engine benchmarks verify. */
  static byte[] signingInputOf(String alg) {
    return (b64(("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\",\"kid\":\"k1\"}").getBytes(StandardCharsets.UTF_8)) + "."
        + b64(claims(Instant.now()).getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.US_ASCII);
  }

  String jwks() {
    return switch (alg) {
      case "RS256" -> new JWKSet(new RSAKey.Builder((RSAPublicKey) keys.getPublic()).keyID("k1").build()).toString();
      case "ES256" -> new JWKSet(new ECKey.Builder(Curve.P_256, (ECPublicKey) keys.getPublic()).keyID("k1").build()).toString();
      case "EdDSA" -> {
        byte[] spki = keys.getPublic().getEncoded();
        byte[] x = java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        yield "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"k1\",\"x\":\"" + b64(x) + "\"}]}";
      }
      default -> "{\"keys\":[]}";
    };
  }

  void startJwks() throws Exception {
    jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] body = jwks().getBytes(StandardCharsets.UTF_8);
    jwksServer.createContext("/jwks", ex -> {
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    jwksServer.start();
  }

  // ---- the verifiers ----

  TokenGuard tokenGuard(boolean cache) {
    TokenGuardConfig.Builder b = TokenGuardConfig.builder().issuer(ISSUER)
        .jwksUri("http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks").audience(AUDIENCE).tokenCacheEnabled(cache);
    if (alg.equals("HS256")) {
      b.hmacSecret(secret).algorithms("HS256");
    }
    return TokenGuard.create(b.build());
  }

  DefaultJWTProcessor<SecurityContext> buildNimbus() throws Exception {
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    if (alg.equals("HS256")) {
      p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(secret)));
    } else {
      withKeys(p);
    }
    p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(AUDIENCE, new JWTClaimsSet.Builder().issuer(ISSUER).build(),
        Set.of("exp", "sub")));
    return p;
  }

  JwtDecoder buildSpring() throws Exception {
    NimbusJwtDecoder d;
    switch (alg) {
      case "RS256" -> d = NimbusJwtDecoder.withPublicKey((RSAPublicKey) keys.getPublic()).build();
      case "HS256" -> d = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(secret, "HmacSHA256")).macAlgorithm(MacAlgorithm.HS256).build();
      default -> { // ES256, and EdDSA with Tink (Spring's builders offer neither for a bare key; its users pass a processor)
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        withKeys(p);
        p.setJWTClaimsSetVerifier((claims, context) -> { }); // Spring validates claims itself
        d = new NimbusJwtDecoder(p);
      }
    }
    d.setJwtValidator(springValidator());
    return d;
  }

  /**
   * The issuer's key in a Nimbus processor. For EdDSA as Nimbus users must do it: Nimbus' key selector turns JWKs into
   * JCA keys, which an Ed25519 {@code OctetKeyPair} cannot become, and its Ed25519 verifier is Tink's, taking the JWK;
   * so a selector hands over the key and a verifier factory makes Nimbus' {@code Ed25519Verifier} (Tink on the class
   * path, as a Nimbus user adds it).
   */
  void withKeys(DefaultJWTProcessor<SecurityContext> p) throws Exception {
    if (!alg.equals("EdDSA")) {
      p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.parse(alg), new ImmutableJWKSet<>(JWKSet.parse(jwks()))));
      return;
    }
    com.nimbusds.jose.jwk.OctetKeyPair okp = (com.nimbusds.jose.jwk.OctetKeyPair) JWKSet.parse(jwks()).getKeys().get(0);
    p.setJWSKeySelector((header, context) -> JWSAlgorithm.EdDSA.equals(header.getAlgorithm()) ? List.of(keys.getPublic()) : List.of());
    com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory others = new com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory();
    p.setJWSVerifierFactory(new com.nimbusds.jose.proc.JWSVerifierFactory() {
      @Override
      public com.nimbusds.jose.JWSVerifier createJWSVerifier(com.nimbusds.jose.JWSHeader header, java.security.Key key)
          throws com.nimbusds.jose.JOSEException {
        return JWSAlgorithm.EdDSA.equals(header.getAlgorithm()) ? new com.nimbusds.jose.crypto.Ed25519Verifier(okp)
            : others.createJWSVerifier(header, key);
      }

      @Override
      public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.EdDSA);
      }

      @Override
      public com.nimbusds.jose.jca.JCAContext getJCAContext() {
        return others.getJCAContext();
      }
    });
  }

  /** Spring's checks equal to everyone else's: its defaults (exp, nbf) with the issuer, and the audience. */
  static OAuth2TokenValidator<Jwt> springValidator() {
    return new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(ISSUER),
        new JwtClaimValidator<List<String>>("aud", aud -> aud != null && aud.contains(AUDIENCE)));
  }

  JWTVerifier buildAuth0() {
    com.auth0.jwt.algorithms.Algorithm a = switch (alg) {
      case "RS256" -> com.auth0.jwt.algorithms.Algorithm.RSA256((RSAPublicKey) keys.getPublic(), null);
      case "ES256" -> com.auth0.jwt.algorithms.Algorithm.ECDSA256((ECPublicKey) keys.getPublic(), null);
      case "HS256" -> com.auth0.jwt.algorithms.Algorithm.HMAC256(secret);
      default -> null; // java-jwt has no EdDSA
    };
    return a == null ? null : JWT.require(a).withIssuer(ISSUER).withAudience(AUDIENCE).build();
  }

  JwtConsumer buildJose4j() {
    java.security.Key key = alg.equals("HS256") ? new HmacKey(secret) : keys.getPublic();
    return new JwtConsumerBuilder().setRequireExpirationTime().setExpectedIssuer(ISSUER).setExpectedAudience(AUDIENCE)
        .setVerificationKey(key)
        .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, alg.equals("EdDSA") ? "EdDSA" : alg)
        .build();
  }

  DefaultJWTParser buildSmallrye() {
    JWTAuthContextInfo ctx = new JWTAuthContextInfo();
    ctx.setIssuedBy(ISSUER);
    ctx.setExpectedAudience(Set.of(AUDIENCE));
    switch (alg) {
      case "HS256" -> {
        ctx.setSecretVerificationKey((SecretKey) new SecretKeySpec(secret, "HmacSHA256"));
        ctx.setSignatureAlgorithm(Set.of(SignatureAlgorithm.HS256));
      }
      case "EdDSA" -> {
        ctx.setPublicVerificationKey(keys.getPublic());
        ctx.setSignatureAlgorithm(Set.of(SignatureAlgorithm.EDDSA));
      }
      default -> {
        ctx.setPublicVerificationKey(keys.getPublic());
        ctx.setSignatureAlgorithm(Set.of(SignatureAlgorithm.fromAlgorithm(alg)));
      }
    }
    return new DefaultJWTParser(ctx);
  }

  /** Every verifier accepts the token and rejects it with one changed claim. */
  void sanityCheck() throws Exception {
    String tampered = token.substring(0, token.indexOf('.') + 1)
        + b64(claims(Instant.now()).replace("auth0|5f7c", "auth0|0000").getBytes(StandardCharsets.UTF_8))
        + token.substring(token.lastIndexOf('.'));
    Map<String, java.util.function.Function<String, Object>> all = new java.util.LinkedHashMap<>();
    all.put("tokenguardUncached", t -> uncached.validator().validate(t));
    all.put("tokenguardCached", t -> cached.validator().validate(t));
    all.put("nimbus", t -> call(() -> nimbus.process(t, null)));
    all.put("spring", t -> spring.decode(t));
    all.put("auth0", t -> auth0.verify(t));
    all.put("jose4j", t -> call(() -> jose4j.processToClaims(t)));
    all.put("smallrye", t -> call(() -> smallrye.parse(t)));
    for (Map.Entry<String, java.util.function.Function<String, Object>> e : all.entrySet()) {
      if (unsupported(e.getKey())) {
        continue;
      }
      if (e.getValue().apply(token) == null) {
        throw new IllegalStateException(e.getKey() + " returned nothing for a valid " + alg + " token");
      }
      boolean rejected;
      try {
        e.getValue().apply(tampered);
        rejected = false;
      } catch (RuntimeException expected) {
        rejected = true;
      }
      if (!rejected) {
        throw new IllegalStateException(e.getKey() + " accepted a tampered " + alg + " token");
      }
    }
    Signature s = alg.equals("HS256") ? null : Signature.getInstance(jcaName(alg));
    if (s != null) {
      s.initVerify(keys.getPublic());
      s.update(signingInput);
      if (!s.verify(signature)) {
        throw new IllegalStateException("raw JCA rejected the token");
      }
    }
  }

  boolean unsupported(String method) {
    return alg.equals("EdDSA") && method.equals("auth0");
  }

  interface Call {
    Object run() throws Exception;
  }

  static Object call(Call c) {
    try {
      return c.run();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  void require(String method) {
    if (unsupported(method)) {
      throw new UnsupportedOperationException(method + " cannot verify " + alg + " out of the box");
    }
  }

  // ---- the benchmarks ----

  @Benchmark
  public boolean rawJca(Raw raw) throws Exception {
    if (raw.mac != null) {
      return MessageDigest.isEqual(raw.mac.doFinal(signingInput), signature);
    }
    raw.signature.update(signingInput);
    return raw.signature.verify(signature);
  }

  @Benchmark
  public Object tokenguardUncached() {
    return uncached.validator().validate(token);
  }

  @Benchmark
  public Object tokenguardCached() {
    return cached.validator().validate(token);
  }

  /**
   * An opaque token whose introspection answer is cached (the issuer's endpoint is a loopback server asked once):
   * with the verified-token cache ({@code viaTokenCache}) and without it (the introspector's answer cache, then the
   * claim checks). Independent of {@code alg}: run with {@code -p alg=RS256}.
   */
  @State(Scope.Benchmark)
  public static class Opaque {
    HttpServer server;
    TokenGuard viaTokenCache;
    TokenGuard viaAnswerCache;
    final String token = "op_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      server = HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
      long exp = Instant.now().getEpochSecond() + 86_400;
      byte[] answer = ("{\"active\":true,\"sub\":\"user-123\",\"client_id\":\"web\",\"scope\":\"orders:read orders:write\","
          + "\"aud\":\"" + AUDIENCE + "\",\"iss\":\"" + ISSUER + "\",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8);
      server.createContext("/introspect", ex -> {
        ex.getRequestBody().readAllBytes();
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, answer.length);
        ex.getResponseBody().write(answer);
        ex.close();
      });
      server.start();
      viaTokenCache = guard(true);
      viaAnswerCache = guard(false);
      viaTokenCache.validator().validate(token);
      viaAnswerCache.validator().validate(token);
    }

    TokenGuard guard(boolean tokenCache) {
      return TokenGuard.create(TokenGuardConfig.builder().issuer(ISSUER).audience(AUDIENCE).tokenCacheEnabled(tokenCache)
          .set(TokenGuardConfig.TOKEN_FORMAT, "opaque")
          .set(TokenGuardConfig.INTROSPECTION_ENDPOINT, "http://127.0.0.1:" + server.getAddress().getPort() + "/introspect")
          .set(TokenGuardConfig.INTROSPECTION_CLIENT_ID, "orders-api").set(TokenGuardConfig.INTROSPECTION_CLIENT_SECRET, "s")
          .set(TokenGuardConfig.INTROSPECTION_CACHE_TTL, java.time.Duration.ofHours(1)).build());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      viaTokenCache.close();
      viaAnswerCache.close();
      server.stop(0);
    }
  }

  /**
   * The TokenGuard of the request benchmarks: the token signed with {@code alg}, bound to an ES256 proof key
   * ({@code cnf.jkt}), {@code dpop.mode=allowed}, the token cached after the first request.
   */
  @State(Scope.Benchmark)
  public static class Requests {
    static final String URL = "https://api.example.com/api/orders";
    /** Several TokenGuards, each with its own replay memory, so a batch of proofs can be used once per TokenGuard. */
    static final int GUARDS = 8;
    final TokenGuard[] guards = new TokenGuard[GUARDS];
    KeyPair proofKey;
    String jwk;
    String boundToken;
    String plainToken;
    String ath;
    /** Requests of the unknown-kid flood, each naming a different key; a power of two. */
    final dev.tokenguard.http.HttpRequestView[] unknownKid = new dev.tokenguard.http.HttpRequestView[4096];
    int nextUnknown;

    @Setup(Level.Trial)
    public void setUp(ValidationBenchmark b) throws Exception {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      proofKey = g.generateKeyPair();
      ECKey publicJwk = new ECKey.Builder(Curve.P_256, (ECPublicKey) proofKey.getPublic()).build();
      jwk = publicJwk.toJSONString();
      boundToken = b.sign("{\"cnf\":{\"jkt\":\"" + publicJwk.computeThumbprint() + "\"}," + claims(Instant.now()).substring(1));
      plainToken = b.token;
      ath = b64(MessageDigest.getInstance("SHA-256").digest(boundToken.getBytes(StandardCharsets.US_ASCII)));
      for (int i = 0; i < GUARDS; i++) {
        TokenGuardConfig.Builder c = TokenGuardConfig.builder().issuer(ISSUER)
            .jwksUri("http://127.0.0.1:" + b.jwksServer.getAddress().getPort() + "/jwks").audience(AUDIENCE)
            .set(dev.tokenguard.BindingSettings.DPOP_MODE, "allowed")
            .set(dev.tokenguard.BindingSettings.DPOP_ORIGINS, List.of("https://api.example.com"));
        if (b.alg.equals("HS256")) {
          c.hmacSecret(b.secret).algorithms("HS256");
        }
        guards[i] = TokenGuard.create(c.build());
        guards[i].validator().validate(boundToken); // cached from now on
      }
      String rest = plainToken.substring(plainToken.indexOf('.'));
      for (int i = 0; i < unknownKid.length; i++) {
        unknownKid[i] = request("Bearer " + b64(("{\"alg\":\"" + b.alg + "\",\"typ\":\"JWT\",\"kid\":\"" + UUID.randomUUID()
            + "\"}").getBytes(StandardCharsets.UTF_8)) + rest, null);
      }
      if (guards[0].check(unknownKid[0]).allowed()) {
        throw new IllegalStateException("a token naming an unknown key must be refused");
      }
      String proof = sign(header(), "setup", Instant.now().getEpochSecond());
      if (!guards[0].check(request("DPoP " + boundToken, proof)).allowed()
          || guards[0].check(request("DPoP " + boundToken, proof)).allowed() || !guards[0].check(bearer()).allowed()) {
        throw new IllegalStateException("the DPoP request must pass once and its replay fail; the Bearer request must pass");
      }
    }

    String header() {
      return b64(("{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":" + jwk + "}").getBytes(StandardCharsets.UTF_8));
    }

    String sign(String header, String jti, long iat) throws Exception {
      String payload = "{\"jti\":\"" + jti + "\",\"htm\":\"GET\",\"htu\":\"" + URL + "\",\"iat\":" + iat + ",\"ath\":\"" + ath + "\"}";
      String input = header + "." + b64(payload.getBytes(StandardCharsets.UTF_8));
      Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
      signer.initSign(proofKey.getPrivate());
      signer.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + b64(signer.sign());
    }

    dev.tokenguard.http.HttpRequestView bearer() {
      return request("Bearer " + plainToken, null);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      for (TokenGuard g : guards) {
        g.close();
      }
    }

    /** GET /api/orders with this Authorization and DPoP proof (or none). */
    static dev.tokenguard.http.HttpRequestView request(String authorization, String proof) {
      return new BenchRequest("GET", "/api/orders", "https://api.example.com", authorization, proof);
    }
  }

  /**
   * Fresh DPoP proofs: every proof is accepted once, so a batch of distinct ones is signed before each iteration (not
   * timed) and used once by each of the {@link Requests#GUARDS} TokenGuards in turn; an iteration that needs more fails
   * instead of timing refusals.
   */
  @State(Scope.Benchmark)
  public static class Proofs {
    static final int BATCH = 5_000;
    final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    String[] batch;
    int iteration;

    @Setup(Level.Iteration)
    public void mint(Requests r) throws Exception {
      iteration++;
      String header = r.header();
      long iat = Instant.now().getEpochSecond();
      batch = new String[BATCH];
      for (int i = 0; i < BATCH; i++) {
        batch[i] = r.sign(header, iteration + "-" + i, iat);
      }
      next.set(0);
    }

  }

  /** A Bearer request through {@link TokenGuard#check} with the token cached: the baseline of {@link #tokenguardDpopRequest}. */
  @Benchmark
  public Object tokenguardBearerRequest(Requests r) {
    return r.guards[0].check(r.bearer());
  }

  /**
   * A request of the unknown-kid flood through {@link TokenGuard#check}: the plain token with a header naming a key the
   * issuer does not have, a different one each time (4,096 in turn, more than the headers TokenGuard remembers), so the
   * cost beside {@link #tokenguardBearerRequest} is what every flood request takes from valid traffic.
   */
  @Benchmark
  public Object tokenguardUnknownKidRequest(Requests r) {
    return r.guards[0].check(r.unknownKid[r.nextUnknown++ & (r.unknownKid.length - 1)]);
  }

  /** A DPoP request with a fresh ES256 proof through {@link TokenGuard#check}, the bound token cached. */
  @Benchmark
  public Object tokenguardDpopRequest(Requests r, Proofs p) {
    int i = p.next.getAndIncrement();
    if (i >= Proofs.BATCH * Requests.GUARDS) {
      throw new IllegalStateException("the iteration used all " + Proofs.BATCH * Requests.GUARDS + " proof uses; raise Proofs.BATCH");
    }
    return r.guards[i / Proofs.BATCH].check(Requests.request("DPoP " + r.boundToken, p.batch[i % Proofs.BATCH]));
  }

  @Benchmark
  public Object tokenguardIntrospectedCached(Opaque o) {
    return o.viaTokenCache.validator().validate(o.token);
  }

  @Benchmark
  public Object tokenguardIntrospectionAnswerCached(Opaque o) {
    return o.viaAnswerCache.validator().validate(o.token);
  }

  @Benchmark
  public Object nimbus() throws Exception {
    require("nimbus");
    return nimbus.process(token, null);
  }

  @Benchmark
  public Object spring() {
    require("spring");
    return spring.decode(token);
  }

  @Benchmark
  public Object auth0() {
    require("auth0");
    return auth0.verify(token);
  }

  @Benchmark
  public Object jose4j() throws Exception {
    return jose4j.processToClaims(token);
  }

  @Benchmark
  public Object smallrye() throws Exception {
    return smallrye.parse(token);
  }
}
