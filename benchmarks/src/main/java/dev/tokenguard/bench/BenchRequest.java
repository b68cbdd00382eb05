package dev.tokenguard.bench;

import dev.tokenguard.http.HttpRequestView;
import java.util.List;

/**
 * A request as a host would describe it to TokenGuard, for the benchmarks that go through {@code TokenGuard.check}.
 *
 * @param origin the origin the host reports, or {@code null}
 * @param proof the {@code DPoP} header, or {@code null}
 */
record BenchRequest(String method, String rawPath, String origin, String authorization, String proof) implements HttpRequestView {
  @Override
  public List<String> headers(String name) {
    if (name.equalsIgnoreCase("Authorization")) {
      return List.of(authorization);
    }
    return name.equalsIgnoreCase("DPoP") && proof != null ? List.of(proof) : List.of();
  }

  @Override
  public List<String> queryParameters(String name) {
    return List.of();
  }
}
