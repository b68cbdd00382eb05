package dev.tokenguard.spring;

import dev.tokenguard.HealthReport;
import dev.tokenguard.TokenGuard;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code tokenguard} component of {@code /actuator/health}: {@link TokenGuard#health()} (each issuer's JWKS
 * freshness, the user API's reachability) with one detail entry per check. Add it to the readiness group to
 * take an instance out of the load balancer while it cannot check tokens:
 * {@code management.endpoint.health.group.readiness.include=readinessState,tokenguard}.
 */
public final class TokenGuardHealthIndicator implements HealthIndicator {
  private final TokenGuard guard;

  /** @param guard the application's TokenGuard */
  public TokenGuardHealthIndicator(TokenGuard guard) {
    this.guard = guard;
  }

  @Override
  public Health health() {
    HealthReport report = guard.health();
    return (report.up() ? Health.up() : Health.down()).withDetails(HealthDetails.of(report)).build();
  }
}
