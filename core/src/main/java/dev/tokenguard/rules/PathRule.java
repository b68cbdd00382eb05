package dev.tokenguard.rules;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One configured requirement ({@code rule.<name>.*}): requests whose method is in {@link #methods()} (all
 * methods when empty; {@code GET} also covers {@code HEAD}, which servlets, Spring and JAX-RS answer with the
 * {@code GET} handler) and whose judged path matches one of {@link #paths()} need the listed permissions, all
 * of them ({@link Match#ALL}, the default) or at least one ({@link Match#ANY}).
 *
 * @param name the {@code <name>} part of the keys, used in messages
 * @param paths path patterns, see {@link PathPattern}
 * @param methods upper-case HTTP methods; empty means every method
 * @param permissions required permissions; never empty
 * @param match how the permissions combine
 */
public record PathRule(String name, List<PathPattern> paths, Set<String> methods, List<String> permissions, Match match) {

  /** How required permissions combine; also used by the adapters' permission annotations. */
  public enum Match {
    /** Every listed permission is required. */
    ALL,
    /** One of the listed permissions is enough. */
    ANY;

    /** Whether {@code granted} satisfies {@code required} under this match. */
    public boolean test(Set<String> granted, java.util.Collection<String> required) {
      if (this == ALL) {
        return granted.containsAll(required);
      }
      for (String p : required) {
        if (granted.contains(p)) {
          return true;
        }
      }
      return false;
    }
  }

  public PathRule {
    paths = List.copyOf(paths);
    methods = Set.copyOf(methods);
    permissions = List.copyOf(permissions);
  }

  /**
   * Whether this rule applies to a request with this method and judged path (as its segments).
   *
   * @param ignoreCase whether paths match case-insensitively ({@code paths.case-insensitive})
   */
  public boolean appliesTo(String method, List<String> pathSegments, boolean ignoreCase) {
    if (!appliesTo(method)) {
      return false;
    }
    for (PathPattern p : paths) {
      if (p.matches(pathSegments, ignoreCase)) {
        return true;
      }
    }
    return false;
  }

  /** Whether this rule covers requests with this method ({@code GET} covers {@code HEAD}), whatever their path. */
  public boolean appliesTo(String method) {
    if (methods.isEmpty()) {
      return true;
    }
    String m = method.toUpperCase(Locale.ROOT);
    return methods.contains(m) || m.equals("HEAD") && methods.contains("GET");
  }

  /** Whether a principal holding {@code granted} satisfies this rule. */
  public boolean isSatisfiedBy(Set<String> granted) {
    return match.test(granted, permissions);
  }
}
