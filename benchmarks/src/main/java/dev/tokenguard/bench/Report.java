package dev.tokenguard.bench;

import dev.tokenguard.internal.JsonObjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns one run of {@code benchmarks/run.sh} (JMH JSON files in one directory) into the Markdown tables of
 * BENCHMARKS.md, with every ratio computed from the same run: per JDK, each validator's operations per second and
 * bytes allocated per validation, TokenGuard over the fastest peer, the cached token over raw RS256, 2 threads over
 * 1, the Ed25519 engines and the RSA and ECDSA providers. Nothing is typed in by hand.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.tokenguard.bench.Report benchmarks/target/results}
 */
public final class Report {
  /** The peers, in the order of the table, with the label their users' configuration earns. */
  private static final Map<String, String> PEERS = new LinkedHashMap<>();

  static {
    PEERS.put("nimbus", "Nimbus (EdDSA: + Tink)");
    PEERS.put("spring", "Spring (EdDSA: + Tink)");
    PEERS.put("auth0", "java-jwt");
    PEERS.put("jose4j", "jose4j");
    PEERS.put("smallrye", "SmallRye");
  }

  /** SignatureEngineBenchmark's methods: the RSA and ECDSA providers TokenGuard chooses among (jwks.SignatureEngines). */
  private static final Map<String, String> PROVIDERS = new LinkedHashMap<>();

  static {
    PROVIDERS.put("jdkProvider", "the JDK (every peer)");
    PROVIDERS.put("bouncyCastleProvider", "BouncyCastle");
    PROVIDERS.put("correttoProvider", "Amazon Corretto Crypto Provider");
  }

  private static final List<String> ALGORITHMS = List.of("RS256", "ES256", "EdDSA", "HS256");

  /** One JMH result: benchmark method, alg, threads, score, error, allocated bytes per operation (or NaN). */
  record Result(String method, String alg, int threads, double score, double error, double bytes) {}

  private Report() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "benchmarks/target/results");
    Map<String, List<Result>> byJdk = new TreeMap<>();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        String jdk = f.getFileName().toString().replaceAll("^[a-z0-9]+-(jdk[0-9]+).*$", "$1");
        byJdk.computeIfAbsent(jdk, k -> new ArrayList<>()).addAll(read(f));
      }
    }
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, List<Result>> e : byJdk.entrySet()) {
      validation(out, e.getKey(), e.getValue());
    }
    System.out.print(out);
  }

  static List<Result> read(Path file) throws Exception {
    List<Result> results = new ArrayList<>();
    for (Object o : (List<?>) JsonObjects.parseObjectOrArray(Files.readString(file))) {
      Map<?, ?> r = (Map<?, ?>) o;
      String benchmark = (String) r.get("benchmark");
      Map<?, ?> params = (Map<?, ?>) r.get("params");
      Map<?, ?> primary = (Map<?, ?>) r.get("primaryMetric");
      Map<?, ?> secondary = (Map<?, ?>) r.get("secondaryMetrics");
      Map<?, ?> alloc = secondary == null ? null : (Map<?, ?>) secondary.get("gc.alloc.rate.norm");
      results.add(new Result(benchmark.substring(benchmark.lastIndexOf('.') + 1), params == null ? "" : (String) params.get("alg"),
          ((Number) r.get("threads")).intValue(), medianIteration(primary), number(primary.get("scoreError")),
          alloc == null ? Double.NaN : number(alloc.get("score"))));
    }
    return results;
  }

  /**
   * The median of the measured iterations (of every fork), else JMH's score (the mean). The median, because the first
   * measured iteration often runs 10-30% low even after four warm-up iterations, and one pause of a shared machine
   * should not move a row; JMH's mean and error stay in the JSON.
   */
  private static double medianIteration(Map<?, ?> primary) {
    if (!(primary.get("rawData") instanceof List<?> forks) || forks.isEmpty()) {
      return number(primary.get("score"));
    }
    List<Double> all = new ArrayList<>();
    for (Object fork : forks) {
      for (Object v : (List<?>) fork) {
        all.add(number(v));
      }
    }
    all.sort(null);
    int n = all.size();
    return n % 2 == 1 ? all.get(n / 2) : (all.get(n / 2 - 1) + all.get(n / 2)) / 2;
  }

  private static double number(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN; // JMH writes "NaN" as a string
  }

  private static Result find(List<Result> all, String method, String alg, int threads) {
    return all.stream().filter(r -> r.method.equals(method) && r.alg.equals(alg) && r.threads == threads).findFirst().orElse(null);
  }

  static void validation(StringBuilder out, String jdk, List<Result> all) {
    out.append("#### ").append(jdk.toUpperCase(Locale.ROOT)).append(": validation, uncached, operations per second (1 thread)\n\n");
    out.append("The median of the measured iterations (of every fork). In brackets: bytes allocated per validation (JMH"
        + " `gc.alloc.rate.norm`). Bold: the fastest validator. TokenGuard verifies with the engines on the benchmarks' class"
        + " path: " + dev.tokenguard.jwks.SignatureEngines.describe() + ", Ed25519 by " + dev.tokenguard.jwks.Ed25519Engines.name()
        + ". `rawJca` and every peer verify with the JDK's providers, as their users have them (EdDSA: Tink where labelled).\n\n");
    out.append("| alg | rawJca | TokenGuard |");
    PEERS.values().forEach(label -> out.append(' ').append(label).append(" |"));
    out.append(" TokenGuard / fastest peer |\n|---|---|---|");
    PEERS.values().forEach(label -> out.append("---|"));
    out.append("---|\n");
    for (String alg : ALGORITHMS) {
      Result raw = find(all, "rawJca", alg, 1);
      Result ours = find(all, "tokenguardUncached", alg, 1);
      if (ours == null) {
        continue;
      }
      Result fastestPeer = null;
      String fastestLabel = null;
      double best = ours.score;
      for (Map.Entry<String, String> p : PEERS.entrySet()) {
        Result r = find(all, p.getKey(), alg, 1);
        if (r != null && !Double.isNaN(r.score) && (fastestPeer == null || r.score > fastestPeer.score)) {
          fastestPeer = r;
          fastestLabel = p.getValue();
        }
        if (r != null && r.score > best) {
          best = r.score;
        }
      }
      out.append("| ").append(alg).append(" | ").append(raw == null ? "" : ops(raw.score)).append(" | ")
          .append(cell(ours, best)).append(" |");
      for (String method : PEERS.keySet()) {
        Result r = find(all, method, alg, 1);
        out.append(' ').append(r == null || Double.isNaN(r.score) ? "n/a" : cell(r, best)).append(" |");
      }
      out.append(' ').append(fastestPeer == null ? "" : String.format(Locale.ROOT, "**%.2f** (%s)", ours.score / fastestPeer.score,
          fastestLabel)).append(" |\n");
    }
    Result rawRsa = find(all, "rawJca", "RS256", 1);
    out.append("\n| alg | cached, ops/s | cached / raw RS256 | bytes per cached validation |\n|---|---|---|---|\n");
    for (String alg : ALGORITHMS) {
      Result cached = find(all, "tokenguardCached", alg, 1);
      if (cached != null && rawRsa != null) {
        out.append(String.format(Locale.ROOT, "| %s | %s | **%.1fx** | %s |%n", alg, ops(cached.score), cached.score / rawRsa.score,
            bytes(cached.bytes)));
      }
    }
    out.append("\n| method, alg | 1 thread | 2 threads | 2 threads / 1 |\n|---|---|---|---|\n");
    for (String method : List.of("tokenguardUncached", "tokenguardCached")) {
      for (String alg : ALGORITHMS) {
        Result one = find(all, method, alg, 1);
        Result two = find(all, method, alg, 2);
        if (one != null && two != null) {
          out.append(String.format(Locale.ROOT, "| `%s`, %s | %s | %s | %.2f |%n", method, alg, ops(one.score), ops(two.score),
              two.score / one.score));
        }
      }
    }
    List<Result> engines = all.stream().filter(r -> List.of("jdk", "tink", "bouncyCastle").contains(r.method)).toList();
    if (!engines.isEmpty()) {
      Result jdkEngine = find(all, "jdk", "", 1);
      out.append("\n| Ed25519 engine | verifications/s | over the JDK's |\n|---|---|---|\n");
      for (Result r : engines) {
        out.append(String.format(Locale.ROOT, "| %s | %s | %.2fx |%n", r.method, ops(r.score), jdkEngine == null ? Double.NaN
            : r.score / jdkEngine.score));
      }
    }
    List<Result> providers = all.stream().filter(r -> PROVIDERS.containsKey(r.method)).toList();
    if (!providers.isEmpty()) {
      out.append("\n| alg | JCA provider | verifications/s | over the JDK's |\n|---|---|---|---|\n");
      for (String alg : ALGORITHMS) {
        Result jdkProvider = find(all, "jdkProvider", alg, 1);
        for (Map.Entry<String, String> p : PROVIDERS.entrySet()) {
          Result r = find(providers, p.getKey(), alg, 1);
          if (r != null) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2fx |%n", alg, p.getValue(), ops(r.score),
                jdkProvider == null ? Double.NaN : r.score / jdkProvider.score));
          }
        }
      }
    }
    out.append('\n');
  }

  private static String cell(Result r, double best) {
    String score = ops(r.score) + " (" + bytes(r.bytes) + ")";
    return r.score >= best ? "**" + score + "**" : score;
  }

  private static String ops(double score) {
    return String.format(Locale.ROOT, "%,.0f", score);
  }

  private static String bytes(double b) {
    return Double.isNaN(b) ? "?" : String.format(Locale.ROOT, "%,.0f B", b);
  }
}
