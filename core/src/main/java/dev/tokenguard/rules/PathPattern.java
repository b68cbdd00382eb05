package dev.tokenguard.rules;

import dev.tokenguard.internal.PathSyntax;
import java.util.ArrayList;
import java.util.List;

/**
 * An Ant-style path pattern matched against the decoded path a request is judged on (see {@code http.RequestPaths}).
 *
 * <ul>
 *   <li>{@code /api/orders} matches exactly that path (and {@code /api/orders/});</li>
 *   <li>{@code *} matches within one segment: {@code /api/*}{@code /items}, {@code /files/*.json},
 *       {@code /api/orders/*:cancel};</li>
 *   <li>{@code /**} at the end matches the prefix itself and everything below it:
 *       {@code /api/orders/**} matches {@code /api/orders}, {@code /api/orders/1} and {@code /api/orders/1/x};</li>
 *   <li>{@code **} as a middle segment matches zero or more segments.</li>
 * </ul>
 * Patterns are written decoded ({@code /api/users/@me}, {@code /docs/café}); a percent-escape in a pattern is
 * decoded when it is parsed, so {@code /docs/caf%C3%A9} is the same pattern. Matching is case-sensitive unless
 * asked otherwise ({@code paths.case-insensitive}).
 *
 * <p>Matching takes time linear in the path's length whatever the pattern, at most about (path length x
 * pattern length) character comparisons, with no backtracking: each run of literal text between {@code *} is
 * found leftmost in turn within a segment, and each run of segments between {@code **} leftmost in turn within
 * the path, which is exact for wildcards that match any text. Public paths are matched before any token is
 * checked, so no configured pattern may turn a long path into a CPU sink.
 */
public final class PathPattern {
  private final String pattern;
  private final Segment[] segments;

  private PathPattern(String pattern, Segment[] segments) {
    this.pattern = pattern;
    this.segments = segments;
  }

  /**
   * Parses a pattern.
   *
   * @throws IllegalArgumentException when it does not start with {@code /} or holds an escape that does not
   *     decode to a plain segment character
   */
  public static PathPattern parse(String pattern) {
    if (!pattern.startsWith("/")) {
      throw new IllegalArgumentException("a path pattern must start with '/', but was '" + pattern + "'");
    }
    String decoded;
    try {
      decoded = pattern.indexOf('%') < 0 ? pattern : PathSyntax.decode(pattern);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("a path pattern must be written as decoded path text, but '" + pattern
          + "' holds an escape of '/', '\\', '%', '.', ';' or a control character, or invalid UTF-8");
    }
    List<Segment> segs = new ArrayList<>();
    for (String s : decoded.substring(1).split("/", -1)) {
      if (!s.isEmpty()) {
        segs.add(new Segment(s));
      }
    }
    return new PathPattern(pattern, segs.toArray(Segment[]::new));
  }

  /** Whether the decoded {@code path} matches, case-sensitively. */
  public boolean matches(String path) {
    return matches(segments(path), false);
  }

  /** Whether a decoded path, given as its {@link #segments(String) segments}, matches. */
  public boolean matches(List<String> pathSegments, boolean ignoreCase) {
    int p = 0;
    int s = 0;
    int n = pathSegments.size();
    // the run before the first '**' is anchored at the start
    while (p < segments.length && !segments[p].anySegments) {
      if (s == n || !segments[p].matches(pathSegments.get(s), ignoreCase)) {
        return false;
      }
      p++;
      s++;
    }
    if (p == segments.length) {
      return s == n;
    }
    // the run after the last '**' is anchored at the end
    int last = segments.length;
    int end = n;
    while (!segments[last - 1].anySegments) {
      if (end == s || !segments[last - 1].matches(pathSegments.get(end - 1), ignoreCase)) {
        return false;
      }
      last--;
      end--;
    }
    // runs between '**': each found leftmost in turn
    int i = p;
    while (i < last) {
      if (segments[i].anySegments) {
        i++;
        continue;
      }
      int runEnd = i;
      while (!segments[runEnd].anySegments) {
        runEnd++;
      }
      int found = find(i, runEnd, pathSegments, s, end, ignoreCase);
      if (found < 0) {
        return false;
      }
      s = found + (runEnd - i);
      i = runEnd;
    }
    return true;
  }

  private int find(int from, int to, List<String> path, int start, int end, boolean ignoreCase) {
    int length = to - from;
    for (int at = start; at + length <= end; at++) {
      int k = 0;
      while (k < length && segments[from + k].matches(path.get(at + k), ignoreCase)) {
        k++;
      }
      if (k == length) {
        return at;
      }
    }
    return -1;
  }

  /**
   * The segments the pattern starts with that are literal text, up to the first with a wildcard: a path can only match
   * when its own first segments equal them ({@link PathIndex} stores the pattern under them).
   */
  List<String> leadingLiterals() {
    List<String> out = new ArrayList<>();
    for (Segment s : segments) {
      if (s.literal == null) {
        break;
      }
      out.add(s.literal);
    }
    return out;
  }

  /** The non-empty segments of a path: {@code /api/orders/1} gives {@code [api, orders, 1]}. */
  public static List<String> segments(String path) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= path.length(); i++) {
      if (i == path.length() || path.charAt(i) == '/') {
        if (i > start) {
          parts.add(path.substring(start, i));
        }
        start = i + 1;
      }
    }
    return parts;
  }

  @Override
  public String toString() {
    return pattern;
  }

  /** One segment of a pattern: {@code **}, a literal, or literal runs around {@code *}. */
  private static final class Segment {
    final boolean anySegments;
    final String literal;
    final String[] runs;

    Segment(String text) {
      anySegments = text.equals("**");
      literal = anySegments || text.indexOf('*') >= 0 ? null : text;
      runs = anySegments || literal != null ? null : text.split("\\*", -1);
    }

    boolean matches(String part, boolean ignoreCase) {
      if (literal != null) {
        return ignoreCase ? literal.equalsIgnoreCase(part) : literal.equals(part);
      }
      String first = runs[0];
      String lastRun = runs[runs.length - 1];
      if (part.length() < first.length() + lastRun.length()
          || !part.regionMatches(ignoreCase, 0, first, 0, first.length())
          || !part.regionMatches(ignoreCase, part.length() - lastRun.length(), lastRun, 0, lastRun.length())) {
        return false;
      }
      int at = first.length();
      int limit = part.length() - lastRun.length();
      for (int r = 1; r < runs.length - 1; r++) {
        at = indexOf(part, runs[r], at, limit, ignoreCase);
        if (at < 0) {
          return false;
        }
        at += runs[r].length();
      }
      return true;
    }

    private static int indexOf(String text, String run, int from, int limit, boolean ignoreCase) {
      for (int i = from; i + run.length() <= limit; i++) {
        if (text.regionMatches(ignoreCase, i, run, 0, run.length())) {
          return i;
        }
      }
      return -1;
    }
  }
}
