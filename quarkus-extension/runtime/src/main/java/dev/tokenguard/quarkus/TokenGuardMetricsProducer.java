package dev.tokenguard.quarkus;

import dev.tokenguard.observe.TokenGuardMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * TokenGuard's meters in the application's Micrometer registry (registered by the deployment module only when
 * the {@code quarkus-micrometer} extension is present; {@code /q/metrics} with a Prometheus registry).
 */
@Singleton
public class TokenGuardMetricsProducer {

  @Produces
  @Singleton
  TokenGuardMetrics tokenGuardMetrics(MeterRegistry registry) {
    return new TokenGuardMetrics(registry);
  }
}
