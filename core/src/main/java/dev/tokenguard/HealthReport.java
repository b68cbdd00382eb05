package dev.tokenguard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether TokenGuard can check tokens now ({@link TokenGuard#health()}), as the adapters' health
 * checks report it: one {@link Check} per issuer's keys and one for the user API when a lookup is configured.
 * UP when every check is up.
 *
 * @param up every check is up
 * @param checks the individual checks
 */
public record HealthReport(boolean up, List<Check> checks) {

  /**
   * One thing TokenGuard depends on.
   *
   * @param name for example {@code jwks https://issuer.example.com/} or {@code user-api auth0}
   * @param up whether it works now
   * @param details what an operator needs to see: URLs, times, key counts, the last failure (never a secret)
   */
  public record Check(String name, boolean up, Map<String, Object> details) {
    /** Copies {@code details}, keeping its order. */
    public Check {
      details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** {@code status} ({@code UP} or {@code DOWN}) followed by the details: what every adapter shows for a check. */
    public Map<String, Object> withStatus() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", up ? "UP" : "DOWN");
      m.putAll(details);
      return m;
    }
  }

  /** Copies {@code checks}. */
  public HealthReport {
    checks = List.copyOf(checks);
  }

  /** UP when every one of {@code checks} is. */
  public static HealthReport of(List<Check> checks) {
    return new HealthReport(checks.stream().allMatch(Check::up), checks);
  }

  /** Adds {@code value} as text when it is not null. */
  public static void putIfSet(Map<String, Object> details, String key, Object value) {
    if (value != null) {
      details.put(key, value instanceof Number || value instanceof Boolean ? value : value.toString());
    }
  }
}
