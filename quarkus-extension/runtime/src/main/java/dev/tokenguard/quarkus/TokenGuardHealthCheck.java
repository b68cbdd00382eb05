package dev.tokenguard.quarkus;

import dev.tokenguard.HealthReport;
import dev.tokenguard.TokenGuard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The {@code tokenguard} readiness check ({@code /q/health/ready}): {@link TokenGuard#health()}, each issuer's
 * JWKS freshness and the user API's reachability, as data entries {@code <check>.<detail>}. Registered only when
 * the {@code quarkus-smallrye-health} extension is present; runs on a worker thread (it may fetch keys).
 */
@Readiness
@ApplicationScoped
public class TokenGuardHealthCheck implements HealthCheck {
  @Inject
  TokenGuard guard;

  @Override
  public HealthCheckResponse call() {
    HealthReport report = guard.health();
    HealthCheckResponseBuilder b = HealthCheckResponse.named("tokenguard").status(report.up());
    for (HealthReport.Check check : report.checks()) {
      for (Map.Entry<String, Object> e : check.withStatus().entrySet()) {
        String key = check.name() + "." + e.getKey();
        if (e.getValue() instanceof Number n) {
          b.withData(key, n.longValue());
        } else {
          b.withData(key, String.valueOf(e.getValue()));
        }
      }
    }
    return b.build();
  }
}
