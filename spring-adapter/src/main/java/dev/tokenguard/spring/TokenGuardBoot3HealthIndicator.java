package dev.tokenguard.spring;

import dev.tokenguard.HealthReport;
import dev.tokenguard.TokenGuard;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** {@link TokenGuardHealthIndicator} for Spring Boot 3.5, whose health API lives in another package. */
public final class TokenGuardBoot3HealthIndicator implements HealthIndicator {
  private final TokenGuard guard;

  /** @param guard the application's TokenGuard */
  public TokenGuardBoot3HealthIndicator(TokenGuard guard) {
    this.guard = guard;
  }

  @Override
  public Health health() {
    HealthReport report = guard.health();
    return (report.up() ? Health.up() : Health.down()).withDetails(HealthDetails.of(report)).build();
  }
}
