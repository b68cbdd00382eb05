package dev.tokenguard.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Path patterns indexed by their leading literal segments, so finding the patterns a path matches costs about the
 * path's depth plus the patterns that share its leading segments, not the number of patterns: 1,000 rules on
 * {@code /api/<resource>/**} cost what 10 do.
 *
 * <p>A trie over literal segments: each pattern is stored at the node its leading literal segments lead to (the root
 * for a pattern that starts with {@code *} or {@code **}). A path walks down by its own segments and is matched only
 * against the patterns stored on its way. A pattern stored elsewhere cannot match: its leading literal segments must
 * equal the path's first segments (that part of a pattern is anchored at the start). With {@code ignoreCase} the trie
 * is keyed by each code point's case fold ({@code toLowerCase(toUpperCase(c))}), the very comparison
 * {@link String#equalsIgnoreCase} makes, so the index never separates two segments a case-insensitive match would
 * join. Immutable and thread-safe once built.
 */
public final class PathIndex {
  private final Node root = new Node();
  private final boolean ignoreCase;
  private final int size;

  private static final class Node {
    final Map<String, Node> children = new HashMap<>();
    /** The patterns whose leading literal segments end here, with their ordinals. */
    PathPattern[] patterns = new PathPattern[0];
    int[] ordinals = new int[0];
  }

  /**
   * @param patterns the patterns; a pattern's ordinal is its position in this list
   * @param ignoreCase whether paths match case-insensitively
   */
  public PathIndex(List<PathPattern> patterns, boolean ignoreCase) {
    this.ignoreCase = ignoreCase;
    this.size = patterns.size();
    for (int i = 0; i < patterns.size(); i++) {
      PathPattern p = patterns.get(i);
      Node node = root;
      for (String literal : p.leadingLiterals()) {
        node = node.children.computeIfAbsent(key(literal), k -> new Node());
      }
      node.patterns = Arrays.copyOf(node.patterns, node.patterns.length + 1);
      node.patterns[node.patterns.length - 1] = p;
      node.ordinals = Arrays.copyOf(node.ordinals, node.ordinals.length + 1);
      node.ordinals[node.ordinals.length - 1] = i;
    }
  }

  /** Whether some pattern matches the path (given as its {@link PathPattern#segments(String) segments}). */
  public boolean matchesAny(List<String> pathSegments) {
    Node node = root;
    for (int depth = 0; ; depth++) {
      for (PathPattern p : node.patterns) {
        if (p.matches(pathSegments, ignoreCase)) {
          return true;
        }
      }
      if (depth == pathSegments.size() || node.children.isEmpty()) {
        return false;
      }
      node = node.children.get(key(pathSegments.get(depth)));
      if (node == null) {
        return false;
      }
    }
  }

  /** The ordinals of every pattern that matches the path, ascending, each once. */
  public int[] matching(List<String> pathSegments) {
    int[] found = null;
    int count = 0;
    Node node = root;
    for (int depth = 0; ; depth++) {
      for (int i = 0; i < node.patterns.length; i++) {
        if (node.patterns[i].matches(pathSegments, ignoreCase)) {
          if (found == null) {
            found = new int[Math.min(size, 4)];
          } else if (count == found.length) {
            found = Arrays.copyOf(found, Math.min(size, count * 2));
          }
          found[count++] = node.ordinals[i];
        }
      }
      if (depth == pathSegments.size() || node.children.isEmpty()) {
        break;
      }
      node = node.children.get(key(pathSegments.get(depth)));
      if (node == null) {
        break;
      }
    }
    if (found == null) {
      return EMPTY;
    }
    int[] sorted = Arrays.copyOf(found, count);
    Arrays.sort(sorted); // each pattern is stored once, so no duplicates
    return sorted;
  }

  private static final int[] EMPTY = new int[0];

  private String key(String segment) {
    if (!ignoreCase) {
      return segment;
    }
    StringBuilder folded = null;
    for (int i = 0; i < segment.length(); ) {
      int c = segment.codePointAt(i);
      int f = Character.toLowerCase(Character.toUpperCase(c));
      if (f != c && folded == null) {
        folded = new StringBuilder(segment.length()).append(segment, 0, i);
      }
      if (folded != null) {
        folded.appendCodePoint(f);
      }
      i += Character.charCount(c);
    }
    return folded == null ? segment : folded.toString();
  }

  /** For tests: how many patterns are stored at the root (checked against every path). */
  int rootPatterns() {
    return root.patterns.length;
  }

  /** The number of patterns. */
  public int size() {
    return size;
  }

  @Override
  public String toString() {
    List<String> all = new ArrayList<>();
    collect(root, all);
    return "PathIndex" + all;
  }

  private static void collect(Node node, List<String> out) {
    for (PathPattern p : node.patterns) {
      out.add(p.toString());
    }
    node.children.values().forEach(c -> collect(c, out));
  }
}
