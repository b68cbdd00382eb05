package dev.tokenguard.spring;

import dev.tokenguard.TokenGuard;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authorization.AuthorizationWebFilter;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.web.server.WebFilter;

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
  private static final String ADD = " Add TokenGuard (TokenGuardConfigurer.tokenGuard() in servlet chains,"
      + " TokenGuardWebFlux in reactive ones) to each chain that serves bearer requests, or end with a chain for every"
      + " other request.";

  /** The report on the application's chains by bean name, or {@code null} when TokenGuard's default chain is in use. */
  static ChainReport of(Map<String, SecurityFilterChain> chains) {
    if (chains.isEmpty() || chains.containsKey("tokenGuardSecurityFilterChain")) {
      return null;
    }
    List<String> guarded = chains.entrySet().stream().filter(e -> e.getValue().getFilters().stream()
        .anyMatch(TokenGuardAuthenticationFilter.class::isInstance)).map(Map.Entry::getKey).toList();
    boolean catchAll = chains.values().stream().anyMatch(c -> c instanceof DefaultSecurityFilterChain d
        && d.getRequestMatcher() instanceof AnyRequestMatcher);
    return of(List.copyOf(chains.keySet()), guarded, catchAll);
  }

  /**
   * The report on a WebFlux application's chains by bean name, or {@code null} when TokenGuard's default chain is in
   * use; as for servlet chains, a warning when none of them matches every request.
   */
  static ChainReport ofReactive(Map<String, SecurityWebFilterChain> chains) {
    if (chains.isEmpty() || chains.containsKey("tokenGuardSecurityWebFilterChain")) {
      return null;
    }
    Map<String, List<WebFilter>> filters = new LinkedHashMap<>();
    chains.forEach((name, chain) -> filters.put(name, chain.getWebFilters().collectList().block()));
    filters.forEach(ChainReport::requireAuthorizationWhenAuthenticating);
    List<String> guarded = filters.entrySet().stream().filter(e -> e.getValue().stream()
        .anyMatch(TokenGuardWebFilter.class::isInstance)).map(Map.Entry::getKey).toList();
    boolean catchAll = chains.values().stream().anyMatch(ChainReport::matchesEveryRequest);
    return of(List.copyOf(chains.keySet()), guarded, catchAll);
  }

  /**
   * Whether {@code chain} matches every request, told by asking it about a request no application routes (a reactive
   * chain does not expose its matcher). A matcher that wants more of the request than a path and a method is taken to
   * match: no warning rather than a false one.
   */
  static boolean matchesEveryRequest(SecurityWebFilterChain chain) {
    try {
      return !Boolean.FALSE.equals(chain.matches(ProbeExchange.create()).block(java.time.Duration.ofSeconds(5)));
    } catch (RuntimeException e) {
      return true;
    }
  }

  /**
   * A reactive chain where TokenGuard only authenticates ({@code TokenGuardWebFlux.authenticating}) needs the chain's
   * own {@code authorizeExchange}: without it nothing decides about callers without a token, and they would all pass.
   * (The servlet configurer sees that itself and lets TokenGuard decide.)
   *
   * @throws IllegalStateException naming the chain, so that the application does not start
   */
  private static void requireAuthorizationWhenAuthenticating(String chain, List<WebFilter> filters) {
    boolean authenticating = filters.stream()
        .anyMatch(f -> f instanceof TokenGuardWebFilter t && t.mode() == TokenGuard.Mode.AUTHENTICATE);
    if (authenticating && filters.stream().noneMatch(AuthorizationWebFilter.class::isInstance)) {
      throw new IllegalStateException("security chain '" + chain + "' runs TokenGuardWebFlux.authenticating(...) but"
          + " has no authorizeExchange(...), so nothing would refuse a request without a token: add the chain's rules,"
          + " or use TokenGuardWebFlux.deciding(...) to let TokenGuard decide");
    }
  }

  private static ChainReport of(List<String> names, List<String> guarded, boolean catchAll) {
    String head = "TokenGuard's default security chain is off: the application defines its own " + names + "; ";
    if (guarded.isEmpty()) {
      return new ChainReport(true, head + "none of them runs TokenGuard, so no request is checked by it." + ADD);
    }
    if (!catchAll) {
      return new ChainReport(true, head + "TokenGuard runs in " + guarded + ", and no chain matches every request, so a"
          + " request outside all of them passes through no security chain at all." + ADD);
    }
    return new ChainReport(false, head + "TokenGuard runs in " + guarded + ".");
  }

  /** Logs {@code report} at start-up; nothing when there is none. */
  static void log(ChainReport report) {
    if (report != null) {
      System.getLogger(TokenGuardAutoConfiguration.class.getName())
          .log(report.warning ? System.Logger.Level.WARNING : System.Logger.Level.INFO, report.text);
    }
  }
}
