package dev.tokenguard;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A build tool, not called at run time: writes the hosts' typed views of the key catalogue at build time, so no adapter keeps a copy of a key, its
 * description or its default: Spring's {@code TokenGuardProperties} record (with the additional IDE metadata that
 * gives each key its default) and Quarkus' {@code TokenGuardRuntimeConfig} mapping (whose javadoc becomes Quarkus'
 * configuration reference). Run by exec-maven-plugin in each adapter's {@code generate-sources} phase:
 * {@code HostBindings spring <source dir> <classes dir>} or {@code HostBindings quarkus <source dir>}.
 *
 * <p>Each key becomes a member named by its last segment in camel case; a dotted name nests a type
 * ({@code jwks.cache-ttl} is {@code jwks().cacheTtl()}); a {@code <name>} segment is a map by that name
 * ({@code rule.<name>.paths}). {@link ConfigTree} walks the bound instance back to the same keys.
 */
public final class HostBindings {
  private HostBindings() {}

  public static void main(String[] args) throws IOException {
    Node root = tree();
    switch (args[0]) {
      case "spring" -> {
        write(Path.of(args[1], "dev/tokenguard/spring/TokenGuardProperties.java"), spring(root));
        write(Path.of(args[2], "META-INF/additional-spring-configuration-metadata.json"), springMetadata());
      }
      case "quarkus" -> write(Path.of(args[1], "dev/tokenguard/quarkus/TokenGuardRuntimeConfig.java"), quarkus(root));
      default -> throw new IllegalArgumentException("expected spring or quarkus, but was " + args[0]);
    }
  }

  /** The catalogue's sentence for a key, with its default: the same text in every host's documentation. */
  public static String description(ConfigKey<?> k) {
    String d = k.description() + (k.secret() ? " Masked when printed." : "");
    return k.defaultValue() == null || k.defaultValue().isEmpty() ? d : d + " Default: " + k.defaultValue() + ".";
  }

  /** One segment of the key tree: a leaf key, a group of members, or a map of groups (or of leaves) by name. */
  static final class Node {
    final String segment;
    final Map<String, Node> children = new LinkedHashMap<>();
    ConfigKey<?> key;
    boolean map;

    Node(String segment) {
      this.segment = segment;
    }

    Node child(String s) {
      return children.computeIfAbsent(s, Node::new);
    }

    String path(String parent) {
      return parent.isEmpty() ? segment : parent + "." + segment;
    }
  }

  static Node tree() {
    Node root = new Node("");
    List<ConfigKey<?>> all = new ArrayList<>(TokenGuardConfig.KEYS);
    all.addAll(TokenGuardConfig.KEY_FAMILIES);
    all.addAll(TokenGuardConfig.ISSUER_BLOCK_KEYS);
    for (ConfigKey<?> k : all) {
      if (k.name().contains("<key>")) {
        continue; // the table's one line for the block members, which ISSUER_BLOCK_KEYS lists one by one
      }
      Node n = root;
      String[] segments = k.name().split("\\.");
      for (int i = 0; i < segments.length; i++) {
        if (segments[i].equals("<name>")) {
          n.map = true;
          continue;
        }
        n = n.child(segments[i]);
      }
      n.key = k; // when the last segment is <name>, a map of leaves (user-lookup.field.<name>)
    }
    return root;
  }

  static String camel(String kebab) {
    StringBuilder b = new StringBuilder();
    boolean up = false;
    for (char c : kebab.toCharArray()) {
      if (c == '-') {
        up = true;
      } else {
        b.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return b.toString();
  }

  static String type(String kebab) {
    String c = camel(kebab);
    return Character.toUpperCase(c.charAt(0)) + c.substring(1);
  }

  static String html(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("*/", "*&#47;");
  }

  private static final String HEADER = "// Generated from dev.tokenguard.TokenGuardConfig.KEYS by dev.tokenguard.HostBindings"
      + " at build time: change the catalogue, not this file.\n";

  // ---- Spring: a record per group, nullable members, no defaults (core applies them) ----

  static String spring(Node root) {
    StringBuilder b = new StringBuilder(HEADER);
    b.append("package dev.tokenguard.spring;\n\nimport dev.tokenguard.ConfigTree;\nimport java.util.List;\nimport java.util.Map;\n"
        + "import org.springframework.boot.context.properties.ConfigurationProperties;\n\n");
    b.append("/**\n * {@code tokenguard.*}: TokenGuard's configuration keys under Spring's prefix, bound from application.yml,\n"
        + " * environment variables or any other Spring property source. Every key means exactly what it means in the core\n"
        + " * configuration table (README) and has no default of its own here: {@link #toProperties()} hands the values set\n"
        + " * to core, which applies its defaults and checks every value.\n *\n");
    springParams(b, root, "", " ");
    b.append(" */\n@ConfigurationProperties(\"tokenguard\")\npublic record TokenGuardProperties(");
    springRecordBody(b, root, "", "  ");
    b.append("\n  /** The values set, as core configuration keys ({@code jwks.cache-ttl}, {@code rule.write.paths}, ...). */\n"
        + "  public Map<String, String> toProperties() {\n    return ConfigTree.toProperties(TokenGuardProperties.class, this);\n  }\n}\n");
    return b.toString();
  }

  private static void springParams(StringBuilder b, Node group, String path, String indent) {
    for (Node c : group.children.values()) {
      String text = c.key != null ? description(c.key) : "{@code tokenguard." + c.path(path) + (c.map ? ".<name>" : "") + ".*}";
      b.append(indent).append("* @param ").append(camel(c.segment)).append(' ').append(c.key != null ? html(text) : text)
          .append('\n');
    }
  }

  private static void springRecordBody(StringBuilder b, Node group, String path, String indent) {
    List<String> members = new ArrayList<>();
    for (Node c : group.children.values()) {
      members.add(springType(c) + " " + camel(c.segment));
    }
    b.append('\n').append(indent).append("    ").append(String.join(",\n" + indent + "    ", members)).append(") {\n");
    for (Node c : group.children.values()) {
      if (c.key == null) {
        b.append('\n').append(indent).append("/**\n").append(indent).append(" * {@code tokenguard.").append(c.path(path))
            .append(c.map ? ".<name>" : "").append(".*}.\n").append(indent).append(" *\n");
        springParams(b, c, c.path(path) + (c.map ? ".<name>" : ""), indent + " ");
        b.append(indent).append(" */\n").append(indent).append("public record ").append(type(c.segment)).append('(');
        springRecordBody(b, c, c.path(path) + (c.map ? ".<name>" : ""), indent + "  ");
        b.append(indent).append("}\n");
      }
    }
  }

  private static String springType(Node n) {
    String t = n.key == null ? type(n.segment) : switch (n.key.kind()) {
      case TEXT -> "String";
      case DURATION -> "java.time.Duration"; // Spring reads 30s, 5m, 2d and PT30S as core does; core checks the range
      case LIST -> "List<String>";
      case FLAG -> "Boolean";
      case INTEGER -> "Integer";
      case LONG -> "Long";
    };
    return n.map ? "Map<String, " + t + ">" : t;
  }

  static String springMetadata() {
    List<Object> properties = new ArrayList<>();
    List<Object> hints = new ArrayList<>();
    for (ConfigKey<?> k : TokenGuardConfig.KEYS) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("name", "tokenguard." + k.name());
      p.put("description", description(k));
      if (k.defaultValue() != null && !k.derived()) {
        p.put("defaultValue", k.defaultValue());
      }
      properties.add(p);
      if (!k.choices().isEmpty()) {
        hints.add(hint("tokenguard." + k.name(), k.choices()));
      }
    }
    hints.add(hint("tokenguard.user-lookup.field.keys", UserLookupSettings.FIELDS));
    Map<String, Object> health = new LinkedHashMap<>();
    health.put("name", "management.health.tokenguard.enabled");
    health.put("type", "java.lang.Boolean");
    health.put("description", "Whether the tokenguard health component (JWKS and user API reachability) is reported.");
    health.put("defaultValue", true);
    properties.add(health);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("properties", properties);
    root.put("hints", hints);
    return JSONObjectUtils.toJSONString(root) + "\n";
  }

  private static Map<String, Object> hint(String name, List<String> values) {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("name", name);
    h.put("values", values.stream().map(v -> Map.<String, Object>of("value", v)).toList());
    return h;
  }

  // ---- Quarkus: an interface per group; @WithDefault from the catalogue, Optional where there is none ----

  static String quarkus(Node root) {
    StringBuilder b = new StringBuilder(HEADER);
    b.append("package dev.tokenguard.quarkus;\n\nimport io.quarkus.runtime.annotations.ConfigPhase;\n"
        + "import io.quarkus.runtime.annotations.ConfigRoot;\nimport io.smallrye.config.ConfigMapping;\n"
        + "import io.smallrye.config.WithDefault;\nimport java.util.List;\nimport java.util.Map;\nimport java.util.Optional;\n\n");
    b.append("/**\n * TokenGuard's configuration: the same keys as every TokenGuard adapter, under {@code quarkus.tokenguard.}. Values\n"
        + " * are handed to TokenGuard's core (durations as Quarkus parsed them), which checks them at start-up; a bad value\n"
        + " * stops the application with a message naming the property.\n */\n@ConfigMapping(prefix = \"quarkus.tokenguard\")\n"
        + "@ConfigRoot(phase = ConfigPhase.RUN_TIME)\npublic interface TokenGuardRuntimeConfig {\n");
    quarkusMembers(b, root, "", "  ");
    b.append("}\n");
    return b.toString();
  }

  private static void quarkusMembers(StringBuilder b, Node group, String path, String indent) {
    for (Node c : group.children.values()) {
      String full = c.path(path) + (c.map ? ".<name>" : "");
      b.append('\n').append(indent).append("/** ")
          .append(c.key != null ? html(description(c.key)) : "{@code quarkus.tokenguard." + full + ".*}.").append(" */\n");
      if (c.key == null) {
        b.append(indent).append(c.map ? "Map<String, " + type(c.segment) + ">" : type(c.segment)).append(' ')
            .append(camel(c.segment)).append("();\n\n");
        b.append(indent).append("/** {@code quarkus.tokenguard.").append(full).append(".*}. */\n");
        b.append(indent).append("interface ").append(type(c.segment)).append(" {");
        quarkusMembers(b, c, full, indent + "  ");
        b.append(indent).append("}\n");
        continue;
      }
      ConfigKey<?> k = c.key;
      boolean withDefault = k.defaultValue() != null && !k.derived() && !c.map;
      String boxed = switch (k.kind()) {
        case TEXT -> "String";
        case DURATION -> "java.time.Duration"; // Quarkus reads 30s, 5m, 2d, PT30S (and 30 as seconds); core checks the range
        case LIST -> "List<String>";
        case FLAG -> "Boolean";
        case INTEGER -> "Integer";
        case LONG -> "Long";
      };
      String type;
      if (c.map) {
        type = "Map<String, " + boxed + ">";
      } else if (withDefault) {
        b.append(indent).append("@WithDefault(\"").append(k.defaultValue().replace("\\", "\\\\").replace("\"", "\\\"")).append("\")\n");
        type = switch (k.kind()) {
          case FLAG -> "boolean";
          case INTEGER -> "int";
          case LONG -> "long";
          default -> boxed;
        };
      } else {
        type = "Optional<" + boxed + ">";
      }
      b.append(indent).append(type).append(' ').append(camel(c.segment)).append("();\n");
    }
  }

  private static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    if (!Files.exists(file) || !Files.readString(file).equals(content)) {
      Files.writeString(file, content, StandardCharsets.UTF_8);
    }
  }
}
