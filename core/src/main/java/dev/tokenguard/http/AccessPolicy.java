package dev.tokenguard.http;

import dev.tokenguard.InsufficientPermissionException;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.rules.PathIndex;
import dev.tokenguard.rules.PathPattern;
import dev.tokenguard.rules.PathRule;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides what a request needs, from {@code public-paths} and the {@code rule.<name>.*} rules. Deny by
 * default: every path that is not public needs a valid token. Every rule that applies to a request must be
 * satisfied (so the order in which rules are configured never matters); a public path needs no token even
 * when a rule also matches it. Paths are matched in the form {@link RequestPaths#judge} returns: the decoded
 * path the host routes.
 *
 * <p>Patterns are looked up in a {@link PathIndex}, so the cost of a request does not grow with the number of rules and
 * public paths that cannot match it.
 *
 * <p>With {@code paths.case-insensitive}, rules match regardless of case (for hosts that route
 * {@code /API/Admin} to the handler of {@code /api/admin}), while public paths still match exactly: a spelling in
 * another case may need a token, but never gets in without one.
 */
public final class AccessPolicy {
  private final PathIndex publicPaths;
  private final List<PathRule> rules;
  /** Every path of every rule, indexed; {@link #ruleOf} maps a path's ordinal to its rule's. */
  private final PathIndex rulePaths;
  private final int[] ruleOf;

  /**
   * @param publicPaths paths served without a token
   * @param rules per-path permission requirements
   * @param rulesIgnoreCase whether rules match paths case-insensitively
   */
  public AccessPolicy(List<PathPattern> publicPaths, List<PathRule> rules, boolean rulesIgnoreCase) {
    this.publicPaths = new PathIndex(publicPaths, false);
    this.rules = List.copyOf(rules);
    List<PathPattern> paths = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    for (int r = 0; r < this.rules.size(); r++) {
      for (PathPattern p : this.rules.get(r).paths()) {
        paths.add(p);
        owners.add(r);
      }
    }
    this.rulePaths = new PathIndex(paths, rulesIgnoreCase);
    this.ruleOf = owners.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Whether the judged path is served without a token (matched case-sensitively). */
  public boolean isPublic(String path) {
    return publicPaths.size() > 0 && publicPaths.matchesAny(PathPattern.segments(path));
  }

  /** Whether some rule applies to this request (so it needs a token whoever else decides about it). */
  public boolean isRuled(String method, String path) {
    if (rules.isEmpty()) {
      return false;
    }
    for (int p : rulePaths.matching(PathPattern.segments(path))) {
      if (rules.get(ruleOf[p]).appliesTo(method)) {
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
    int previous = -1;
    for (int p : rulePaths.matching(PathPattern.segments(path))) { // ascending: rules in their configured order
      PathRule rule = rules.get(ruleOf[p]);
      if (ruleOf[p] == previous) {
        continue; // another path of a rule already checked
      }
      previous = ruleOf[p];
      if (rule.appliesTo(method) && !rule.isSatisfiedBy(principal.permissions())) {
        throw new InsufficientPermissionException("rule '" + rule.name() + "' requires "
            + (rule.match() == PathRule.Match.ALL ? "all of " : "one of ") + rule.permissions()
            + ", but the token grants " + principal.permissions(), rule.permissions());
      }
    }
  }
}
