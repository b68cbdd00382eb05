package dev.tokenguard.testing;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

/**
 * The structure rules of {@code architecture.md}, read from that file and checked against compiled classes: which
 * core package may import which (the table "Packages"), and which packages are core's API (the column "API").
 * Dependencies are read from the class files by the JDK's {@code jdeps}, so a fully qualified name in code counts
 * as much as an import.
 */
public final class Architecture {
  /** The node of {@code TokenGuard} and its nested classes: the assembly, which may use every package. */
  public static final String FACADE = "dev.tokenguard.TokenGuard";

  private static final Pattern ROW = Pattern.compile("^\\|\\s*`([A-Za-z.]+)`\\s*\\|\\s*(yes|no)\\s*\\|([^|]*)\\|");
  private static final Pattern EDGE = Pattern.compile("^\\s+(dev\\.tokenguard\\.\\S+)\\s+->\\s+(dev\\.tokenguard\\.\\S+)\\s");

  private Architecture() {}

  /** A row of the table: a core package, whether adapters may use it, the packages it may import. */
  public record Rule(String node, boolean api, Set<String> mayImport) {}

  /** The rules of architecture.md, by node ({@code dev.tokenguard.jwks}, {@link #FACADE}, ...). */
  public static Map<String, Rule> rules() {
    Map<String, Rule> out = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(TestFiles.repositoryFile("architecture.md"))) {
        Matcher m = ROW.matcher(line);
        if (m.find()) {
          Set<String> targets = new LinkedHashSet<>();
          Matcher code = Pattern.compile("`([A-Za-z.]+)`").matcher(m.group(3));
          while (code.find()) {
            targets.add(code.group(1));
          }
          out.put(m.group(1), new Rule(m.group(1), m.group(2).equals("yes"), targets));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("architecture.md has no package table");
    }
    return out;
  }

  /** The node a class belongs to: its package, except {@link #FACADE} for TokenGuard and its nested classes. */
  public static String node(String className) {
    if (className.equals(FACADE) || className.startsWith(FACADE + "$")) {
      return FACADE;
    }
    int dot = className.lastIndexOf('.');
    return className.substring(0, dot);
  }

  /**
   * Every dependency from a class in {@code classes} to a core class ({@code dev.tokenguard.*}) outside its own
   * node: "from-class -> to-class" by node pair.
   */
  public static Map<String, Set<String>> dependencies(Path classes) {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new IllegalStateException("no jdeps in this JDK"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:class", "-filter:none", classes.toString());
    if (rc != 0) {
      throw new IllegalStateException("jdeps failed: " + err);
    }
    Map<String, Set<String>> edges = new TreeMap<>();
    for (String line : out.toString().split("\n")) {
      Matcher m = EDGE.matcher(line);
      if (m.find()) {
        String from = node(m.group(1));
        String to = node(m.group(2));
        if (!from.equals(to) && to.startsWith("dev.tokenguard")) {
          edges.computeIfAbsent(from + " -> " + to, k -> new TreeSet<>()).add(m.group(1) + " -> " + m.group(2));
        }
      }
    }
    return edges;
  }

  /** The node pairs of {@code dependencies} that the rules do not allow, each with the classes that make it. */
  public static List<String> violations(Map<String, Set<String>> dependencies, Map<String, Rule> rules, boolean apiOnly) {
    List<String> out = new ArrayList<>();
    dependencies.forEach((pair, classes) -> {
      String from = pair.substring(0, pair.indexOf(" -> "));
      String to = pair.substring(pair.indexOf(" -> ") + 4);
      Rule target = rules.get(to);
      Rule source = rules.get(from);
      boolean allowed = apiOnly
          ? target != null && target.api()
          : source != null && target != null && source.mayImport().contains(to);
      if (!allowed) {
        out.add(pair + " (" + String.join(", ", classes) + ")");
      }
    });
    return out;
  }

  /** A cycle among the nodes of {@code dependencies}, as "a -> b -> a", or {@code null} when there is none. */
  public static String cycle(Map<String, Set<String>> dependencies) {
    Map<String, Set<String>> graph = new TreeMap<>();
    for (String pair : dependencies.keySet()) {
      String[] ends = pair.split(" -> ");
      graph.computeIfAbsent(ends[0], k -> new TreeSet<>()).add(ends[1]);
    }
    Map<String, Integer> state = new LinkedHashMap<>(); // 1 = on the path, 2 = done
    for (String start : graph.keySet()) {
      List<String> path = new ArrayList<>();
      String found = visit(start, graph, state, path);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static String visit(String node, Map<String, Set<String>> graph, Map<String, Integer> state, List<String> path) {
    Integer s = state.get(node);
    if (s != null && s == 2) {
      return null;
    }
    if (s != null) {
      List<String> loop = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
      loop.add(node);
      return String.join(" -> ", loop);
    }
    state.put(node, 1);
    path.add(node);
    for (String next : graph.getOrDefault(node, Set.of())) {
      String found = visit(next, graph, state, path);
      if (found != null) {
        return found;
      }
    }
    path.remove(path.size() - 1);
    state.put(node, 2);
    return null;
  }
}
