package dev.tokenguard.http;

import dev.tokenguard.InsufficientPermissionException;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.rules.PathPattern;
import dev.tokenguard.rules.PathRule;
import java.util.List;

/**
 * Decides what a request needs, from {@code public-paths} and the {@code rule.<name>.*} rules. Deny by
 * default: every path that is not public needs a valid token. Every rule that applies to a request must be
 * satisfied (so the order in which rules are configured never matters); a public path needs no token even
 * when a rule also matches it. Paths are matched in the form {@link RequestPaths#judge} returns: the decoded
 * path the host routes.
 *
 * <p>With {@code paths.case-insensitive}, rules match regardless of case (for hosts that route
 * {@code /API/Admin} to the handler of {@code /api/admin}), while public paths still match exactly: a spelling in
 * another case may need a token, but never gets in without one.
 */
public final class AccessPolicy {
  private final List<PathPattern> publicPaths;
  private final List<PathRule> rules;
  private final boolean rulesIgnoreCase;

  /**
   * @param publicPaths paths served without a token
   * @param rules per-path permission requirements
   * @param rulesIgnoreCase whether rules match paths case-insensitively
   */
  public AccessPolicy(List<PathPattern> publicPaths, List<PathRule> rules, boolean rulesIgnoreCase) {
    this.publicPaths = List.copyOf(publicPaths);
    this.rules = List.copyOf(rules);
    this.rulesIgnoreCase = rulesIgnoreCase;
  }

  /** Whether the judged path is served without a token (matched case-sensitively). */
  public boolean isPublic(String path) {
    List<String> segments = PathPattern.segments(path);
    for (PathPattern p : publicPaths) {
      if (p.matches(segments, false)) {
        return true;
      }
    }
    return false;
  }

  /** Whether some rule applies to this request (so it needs a token whoever else decides about it). */
  public boolean isRuled(String method, String path) {
    if (rules.isEmpty()) {
      return false;
    }
    List<String> segments = PathPattern.segments(path);
    for (PathRule rule : rules) {
      if (rule.appliesTo(method, segments, rulesIgnoreCase)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Checks every rule that applies to this request against the principal's permissions.
   *
   * @throws InsufficientPermissionException naming the first unsatisfied rule and its permissions
   */
  public void authorize(String method, String path, TokenPrincipal principal) {
    if (rules.isEmpty()) {
      return;
    }
    List<String> segments = PathPattern.segments(path);
    for (PathRule rule : rules) {
      if (rule.appliesTo(method, segments, rulesIgnoreCase) && !rule.isSatisfiedBy(principal.permissions())) {
        throw new InsufficientPermissionException("rule '" + rule.name() + "' requires "
            + (rule.match() == PathRule.Match.ALL ? "all of " : "one of ") + rule.permissions()
            + ", but the token grants " + principal.permissions(), rule.permissions());
      }
    }
  }
}
