package dev.tokenguard.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An Ant-style path pattern matched against a normalised path (see {@link PathNormalizer}).
 *
 * <ul>
 *   <li>{@code /api/orders} matches exactly that path;</li>
 *   <li>{@code *} matches within one segment: {@code /api/*}{@code /items}, {@code /files/*.json};</li>
 *   <li>{@code /**} at the end matches the prefix itself and everything below it:
 *       {@code /api/orders/**} matches {@code /api/orders}, {@code /api/orders/1} and {@code /api/orders/1/x};</li>
 *   <li>{@code **} as a middle segment matches zero or more segments.</li>
 * </ul>
 * Matching is case-sensitive. A pattern must start with {@code /}.
 */
public final class PathPattern {
  private final String pattern;
  private final String[] segments;
  private final Pattern[] wildcards;

  private PathPattern(String pattern, String[] segments) {
    this.pattern = pattern;
    this.segments = segments;
    this.wildcards = new Pattern[segments.length];
    for (int i = 0; i < segments.length; i++) {
      wildcards[i] = wildcard(segments[i]);
    }
  }

  /**
   * Parses a pattern.
   *
   * @throws IllegalArgumentException when it does not start with {@code /}
   */
  public static PathPattern parse(String pattern) {
    if (!pattern.startsWith("/")) {
      throw new IllegalArgumentException("a path pattern must start with '/', but was '" + pattern + "'");
    }
    List<String> segs = new ArrayList<>();
    for (String s : pattern.substring(1).split("/", -1)) {
      if (!s.isEmpty()) {
        segs.add(s);
      }
    }
    return new PathPattern(pattern, segs.toArray(String[]::new));
  }

  /** Whether the normalised {@code path} matches. */
  public boolean matches(String path) {
    return matches(segments(path));
  }

  /** Whether a normalised path, given as its {@link #segments(String) segments}, matches. */
  public boolean matches(List<String> pathSegments) {
    return match(0, pathSegments, 0);
  }

  /** The non-empty segments of a path: {@code /api/orders/1} gives {@code [api, orders, 1]}. */
  public static List<String> segments(String path) {
    List<String> parts = new ArrayList<>();
    for (String s : path.split("/", -1)) {
      if (!s.isEmpty()) {
        parts.add(s);
      }
    }
    return parts;
  }

  private boolean match(int pi, List<String> parts, int si) {
    if (pi == segments.length) {
      return si == parts.size();
    }
    String seg = segments[pi];
    if (seg.equals("**")) {
      for (int k = si; k <= parts.size(); k++) {
        if (match(pi + 1, parts, k)) {
          return true;
        }
      }
      return false;
    }
    return si < parts.size() && segmentMatches(pi, parts.get(si)) && match(pi + 1, parts, si + 1);
  }

  private boolean segmentMatches(int pi, String part) {
    Pattern wildcard = wildcards[pi];
    return wildcard == null ? segments[pi].equals(part) : wildcard.matcher(part).matches();
  }

  private static Pattern wildcard(String seg) {
    if (seg.equals("**") || seg.indexOf('*') < 0) {
      return null;
    }
    String[] literals = seg.split("\\*", -1);
    StringBuilder re = new StringBuilder(Pattern.quote(literals[0]));
    for (int i = 1; i < literals.length; i++) {
      re.append(".*").append(Pattern.quote(literals[i]));
    }
    return Pattern.compile(re.toString());
  }

  @Override
  public String toString() {
    return pattern;
  }
}
