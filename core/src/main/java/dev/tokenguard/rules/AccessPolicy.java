package dev.tokenguard.rules;

import dev.tokenguard.InsufficientPermissionException;
import dev.tokenguard.TokenPrincipal;
import java.util.List;

/**
 * Decides what a request needs, from {@code public-paths} and the {@code rule.<name>.*} rules. Deny by
 * default: every path that is not public needs a valid token. Every rule that applies to a request must be
 * satisfied (so the order in which rules are configured never matters); a public path needs no token even
 * when a rule also matches it. Paths are matched in their {@link PathNormalizer normalised} form.
 */
public final class AccessPolicy {
  private final List<PathPattern> publicPaths;
  private final List<PathRule> rules;

  /**
   * @param publicPaths paths served without a token
   * @param rules per-path permission requirements
   */
  public AccessPolicy(List<PathPattern> publicPaths, List<PathRule> rules) {
    this.publicPaths = List.copyOf(publicPaths);
    this.rules = List.copyOf(rules);
  }

  /** Whether the normalised path is served without a token. */
  public boolean isPublic(String normalisedPath) {
    List<String> segments = PathPattern.segments(normalisedPath);
    for (PathPattern p : publicPaths) {
      if (p.matches(segments)) {
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
  public void authorize(String method, String normalisedPath, TokenPrincipal principal) {
    if (rules.isEmpty()) {
      return;
    }
    List<String> segments = PathPattern.segments(normalisedPath);
    for (PathRule rule : rules) {
      if (rule.appliesTo(method, segments) && !rule.isSatisfiedBy(principal.permissions())) {
        throw new InsufficientPermissionException("rule '" + rule.name() + "' requires "
            + (rule.match() == PathRule.Match.ALL ? "all of " : "one of ") + rule.permissions()
            + ", but the token grants " + principal.permissions(), rule.permissions());
      }
    }
  }
}
