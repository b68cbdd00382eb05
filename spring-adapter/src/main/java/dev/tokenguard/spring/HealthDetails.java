package dev.tokenguard.spring;

import dev.tokenguard.HealthReport;
import java.util.LinkedHashMap;
import java.util.Map;

/** The health details both Spring Boot lines show; free of either line's health API so each can load it. */
final class HealthDetails {
  private HealthDetails() {}

  /** One entry per check: its status, then its details. */
  static Map<String, Object> of(HealthReport report) {
    Map<String, Object> details = new LinkedHashMap<>();
    for (HealthReport.Check check : report.checks()) {
      details.put(check.name(), check.withStatus());
    }
    return details;
  }
}
