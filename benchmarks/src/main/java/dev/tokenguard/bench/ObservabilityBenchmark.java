package dev.tokenguard.bench;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.http.Decision;
import dev.tokenguard.http.HttpRequestView;
import dev.tokenguard.observe.TokenGuardMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What metrics cost on the request path: {@link TokenGuard#check} of a cached token (the common case, where
 * the listener's share is largest) and of a rejected one, without listeners and with {@link TokenGuardMetrics}
 * on a Micrometer {@code SimpleMeterRegistry}. HS256 keeps the JWKS out of the picture.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ObservabilityBenchmark -f 1 -wi 2 -i 5 -w 2s -r 2s</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ObservabilityBenchmark {
  static final byte[] SECRET = "a-benchmark-secret-of-32-bytes-at-least!".getBytes(StandardCharsets.UTF_8);

  TokenGuard plain;
  TokenGuard metered;
  HttpRequestView valid;
  HttpRequestView expired;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    TokenGuardConfig config = TokenGuardConfig.builder().issuer("https://issuer.example/").audience("api")
        .hmacSecret(SECRET).algorithms("HS256").build();
    plain = TokenGuard.create(config);
    metered = TokenGuard.builder(config).listener(new TokenGuardMetrics(new SimpleMeterRegistry())).build();
    long now = Instant.now().getEpochSecond();
    valid = request(token("{\"iss\":\"https://issuer.example/\",\"aud\":\"api\",\"sub\":\"alice\",\"exp\":" + (now + 3600) + "}"));
    expired = request(token("{\"iss\":\"https://issuer.example/\",\"aud\":\"api\",\"sub\":\"alice\",\"exp\":" + (now - 3600) + "}"));
    if (!plain.check(valid).allowed() || !metered.check(valid).allowed() || metered.check(expired).allowed()) {
      throw new IllegalStateException("the benchmark tokens are not what they should be");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    plain.close();
    metered.close();
  }

  static String token(String claims) throws Exception {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String input = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
    return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }

  static HttpRequestView request(String token) {
    List<String> authorization = List.of("Bearer " + token);
    return new HttpRequestView() {
      @Override
      public String method() {
        return "GET";
      }

      @Override
      public String rawPath() {
        return "/orders/42";
      }

      @Override
      public List<String> headers(String name) {
        return name.equalsIgnoreCase("Authorization") ? authorization : List.of();
      }

      @Override
      public List<String> queryParameters(String name) {
        return List.of();
      }
    };
  }

  @Benchmark
  public Decision cachedWithoutListener() {
    return plain.check(valid);
  }

  @Benchmark
  public Decision cachedWithMetrics() {
    return metered.check(valid);
  }

  @Benchmark
  public Decision rejectedWithoutListener() {
    return plain.check(expired);
  }

  @Benchmark
  public Decision rejectedWithMetrics() {
    return metered.check(expired);
  }
}
