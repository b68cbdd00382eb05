package dev.tokenguard;

import dev.tokenguard.internal.Lists;
import dev.tokenguard.rules.PathPattern;
import dev.tokenguard.rules.PathRule;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads one {@code rule.<name>.*} block: {@code paths}, {@code methods}, {@code permissions}, {@code match}. */
final class RuleReader {
  private RuleReader() {}

  /** The rule {@code name} from its attributes, as in {@code rule.<name>.<attribute>}. */
  static PathRule read(String name, Map<String, String> attributes) {
    String prefix = "rule." + name + ".";
    for (String attr : attributes.keySet()) {
      if (!Set.of("paths", "methods", "permissions", "match").contains(attr)) {
        throw new TokenGuardConfigException(prefix + attr, "unknown rule attribute; expected paths, methods, permissions or match");
      }
    }
    List<String> paths = Lists.splitComma(attributes.get("paths"));
    if (paths.isEmpty()) {
      throw new TokenGuardConfigException(prefix + "paths", "is required and must list at least one path pattern");
    }
    List<PathPattern> patterns = new ArrayList<>();
    for (String p : paths) {
      patterns.add(ConfigText.pattern(prefix + "paths", p));
    }
    List<String> permissions = Lists.splitComma(attributes.get("permissions"));
    if (permissions.isEmpty()) {
      throw new TokenGuardConfigException(prefix + "permissions", "is required and must list at least one permission");
    }
    Set<String> methods = new LinkedHashSet<>();
    for (String m : Lists.splitComma(attributes.get("methods"))) {
      if (!m.chars().allMatch(Character::isLetter)) {
        throw new TokenGuardConfigException(prefix + "methods", "expected HTTP method names, but found '" + m + "'");
      }
      methods.add(m.toUpperCase(Locale.ROOT));
    }
    String match = attributes.getOrDefault("match", "all").trim().toLowerCase(Locale.ROOT);
    if (!match.equals("all") && !match.equals("any")) {
      throw new TokenGuardConfigException(prefix + "match", "expected all or any, but was '" + attributes.get("match") + "'");
    }
    return new PathRule(name, patterns, methods, permissions,
        match.equals("all") ? PathRule.Match.ALL : PathRule.Match.ANY);
  }
}
