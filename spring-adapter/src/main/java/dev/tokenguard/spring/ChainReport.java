package dev.tokenguard.spring;

import java.util.List;
import java.util.Map;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

/**
 * What TokenGuard says at start-up when the application's own {@link SecurityFilterChain}s replaced TokenGuard's
 * default chain (Spring Boot's rule: any chain bean turns the default off): which chains run TokenGuard, and a
 * warning when none does, or when no chain matches every request (requests outside all chains then pass through no
 * security at all).
 *
 * @param warning whether the report is a warning
 * @param text the line logged
 */
record ChainReport(boolean warning, String text) {
  private static final String ADD = " Add .with(TokenGuardConfigurer.tokenGuard(), Customizer.withDefaults()) to each chain that"
      + " serves bearer requests, or end with a chain for every other request.";

  /** The report on the application's chains by bean name, or {@code null} when TokenGuard's default chain is in use. */
  static ChainReport of(Map<String, SecurityFilterChain> chains) {
    if (chains.isEmpty() || chains.containsKey("tokenGuardSecurityFilterChain")) {
      return null;
    }
    List<String> guarded = chains.entrySet().stream().filter(e -> e.getValue().getFilters().stream()
        .anyMatch(TokenGuardAuthenticationFilter.class::isInstance)).map(Map.Entry::getKey).toList();
    boolean catchAll = chains.values().stream().anyMatch(c -> c instanceof DefaultSecurityFilterChain d
        && d.getRequestMatcher() instanceof AnyRequestMatcher);
    String head = "TokenGuard's default security chain is off: the application defines its own " + chains.keySet() + "; ";
    if (guarded.isEmpty()) {
      return new ChainReport(true, head + "none of them runs TokenGuard, so no request is checked by it." + ADD);
    }
    if (!catchAll) {
      return new ChainReport(true, head + "TokenGuard runs in " + guarded + ", and no chain matches every request, so a"
          + " request outside all of them passes through no security chain at all." + ADD);
    }
    return new ChainReport(false, head + "TokenGuard runs in " + guarded + ".");
  }
}
