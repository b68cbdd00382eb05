package dev.tokenguard.bench;

import com.sun.net.httpserver.HttpServer;
import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.http.HttpRequestView;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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

/**
 * Whether a request's cost grows with the configuration: the number of path rules ({@code rules}: a repeated HS256
 * token through {@link TokenGuard#check} on a path only the last rule covers), of issuers ({@code issuers}: an uncached
 * HS256 token of the last issuer) and of keys in the issuer's set ({@code keys}: an uncached RS256 token whose
 * {@code kid} is the set's last). Each method varies only its own parameter; compare its rows with each other.
 *
 * <p>Run (after {@code mvn -B -q install -DskipTests}):
 * {@code java -jar benchmarks/target/benchmarks.jar ConfigurationScaleBenchmark -f 1 -wi 2 -i 5 -w 2s -r 2s -t 1}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class ConfigurationScaleBenchmark {
  static final String AUDIENCE = "https://api.example.com";
  static final byte[] SECRET = "a-benchmark-secret-of-32-bytes-at-least!".getBytes(StandardCharsets.UTF_8);

  /** N rules {@code /api/r<i>/**}, each requiring {@code orders:read}; the request is on the last one's path. */
  @State(Scope.Benchmark)
  public static class Rules {
    @Param({"10", "100", "1000"})
    public int rules;
    TokenGuard guard;
    HttpRequestView request;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      Map<String, String> p = new LinkedHashMap<>();
      p.put("issuer", "https://issuer.example.com/");
      p.put("audience", AUDIENCE);
      p.put("hmac-secret", new String(SECRET, StandardCharsets.UTF_8));
      p.put("algorithms", "HS256");
      p.put("public-paths", "/health,/public/**");
      for (int i = 0; i < rules; i++) {
        p.put("rule.r" + i + ".paths", "/api/r" + i + "/**");
        p.put("rule.r" + i + ".permissions", "orders:read");
      }
      guard = TokenGuard.create(TokenGuardConfig.fromProperties(p));
      String token = hs256(claims("https://issuer.example.com/"));
      request = new BenchRequest("GET", "/api/r" + (rules - 1) + "/items/1", null, "Bearer " + token, null);
      if (!guard.check(request).allowed() || guard.check(new BenchRequest("GET", "/api/r" + (rules - 1) + "/x", null, "Bearer x.y.z", null)).allowed()) {
        throw new IllegalStateException("the request must pass and a bad token must not");
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      guard.close();
    }
  }

  /** N HS256 issuers (issuer blocks, each its own secret); the token is the last one's, the token cache off. */
  @State(Scope.Benchmark)
  public static class Issuers {
    @Param({"1", "50"})
    public int issuers;
    TokenGuard guard;
    String token;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      Map<String, String> p = new LinkedHashMap<>();
      for (int i = 0; i < issuers; i++) {
        p.put("issuers.i" + i + ".url", "https://issuer" + i + ".example.com/");
        p.put("issuers.i" + i + ".hmac-secret", new String(SECRET, StandardCharsets.UTF_8));
        p.put("issuers.i" + i + ".algorithms", "HS256");
      }
      p.put("audience", AUDIENCE);
      p.put("token-cache.enabled", "false");
      guard = TokenGuard.create(TokenGuardConfig.fromProperties(p));
      token = hs256(claims("https://issuer" + (issuers - 1) + ".example.com/"));
      guard.validator().validate(token);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      guard.close();
    }
  }

  /** A JWKS of N RSA keys (one key pair under N kids); the token names the last kid, the token cache off. */
  @State(Scope.Benchmark)
  public static class Keys {
    @Param({"1", "100"})
    public int keys;
    HttpServer jwks;
    TokenGuard guard;
    String token;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      KeyPair pair = g.generateKeyPair();
      RSAPublicKey pub = (RSAPublicKey) pair.getPublic();
      List<String> entries = new ArrayList<>();
      for (int i = 0; i < keys; i++) {
        entries.add("{\"kty\":\"RSA\",\"kid\":\"k" + i + "\",\"n\":\"" + b64(unsigned(pub.getModulus().toByteArray()))
            + "\",\"e\":\"" + b64(unsigned(pub.getPublicExponent().toByteArray())) + "\"}");
      }
      byte[] body = ("{\"keys\":[" + String.join(",", entries) + "]}").getBytes(StandardCharsets.UTF_8);
      jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      jwks.createContext("/jwks", ex -> {
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        ex.close();
      });
      jwks.start();
      String issuer = "https://issuer.example.com/";
      guard = TokenGuard.create(TokenGuardConfig.builder().issuer(issuer).audience(AUDIENCE)
          .jwksUri("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks").tokenCacheEnabled(false).build());
      String input = b64(("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"k" + (keys - 1) + "\"}").getBytes(StandardCharsets.UTF_8))
          + "." + b64(claims(issuer).getBytes(StandardCharsets.UTF_8));
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(pair.getPrivate());
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      token = input + "." + b64(s.sign());
      guard.validator().validate(token);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      guard.close();
      jwks.stop(0);
    }
  }

  @Benchmark
  public Object rules(Rules r) {
    return r.guard.check(r.request);
  }

  @Benchmark
  public Object issuers(Issuers i) {
    return i.guard.validator().validate(i.token);
  }

  @Benchmark
  public Object keys(Keys k) {
    return k.guard.validator().validate(k.token);
  }

  static String claims(String issuer) {
    long now = Instant.now().getEpochSecond();
    return "{\"iss\":\"" + issuer + "\",\"sub\":\"user-1\",\"aud\":\"" + AUDIENCE + "\",\"iat\":" + now + ",\"exp\":" + (now + 86_400)
        + ",\"permissions\":[\"orders:read\"]}";
  }

  static String hs256(String claims) throws Exception {
    String input = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64(claims.getBytes(StandardCharsets.UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
    return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }

  static byte[] unsigned(byte[] twosComplement) {
    return twosComplement[0] == 0 ? java.util.Arrays.copyOfRange(twosComplement, 1, twosComplement.length) : twosComplement;
  }

  static String b64(byte[] bytes) {
    return ValidationBenchmark.b64(bytes);
  }
}
