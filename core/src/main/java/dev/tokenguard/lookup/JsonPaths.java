package dev.tokenguard.lookup;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The small expression language that maps a user API's JSON onto {@link dev.tokenguard.UserProfile} fields, used
 * by every preset and by {@code user-lookup.field.<name>}:
 *
 * <ul>
 *   <li>{@code a.b.c}: a member path; {@code a[0]} an array element; {@code a[]} every element;
 *       {@code a[x=y]} / {@code a[x!=y]} the elements whose member {@code x} is (not) {@code y};
 *       {@code []} at the start: the root is an array. Example: {@code permissions[allow=true].action}.</li>
 *   <li>{@code p+q}: the string values of both paths joined by a space, absent parts skipped
 *       ({@code firstName+lastName}).</li>
 *   <li>{@code p|q}: the first alternative that yields a value ({@code name|nickname|given_name+family_name}).</li>
 *   <li>Conditions, for boolean fields, comma-separated and OR-ed: {@code p} (true when {@code p} is true),
 *       {@code !p} (true when {@code p} is false), {@code p=v}, {@code p!=v}, {@code p?} (true when present).
 *       A condition on an absent path says nothing; when every condition says nothing the result is
 *       {@code null} (the provider does not say).</li>
 * </ul>
 */
final class JsonPaths {
  private JsonPaths() {}

  /** Evaluates {@code expression} against {@code json}; a value, a list (for {@code []}), or {@code null}. */
  public static Object value(Object json, String expression) {
    if (expression == null || expression.isBlank()) {
      return null;
    }
    for (String alternative : split(expression, '|')) {
      Object v = concatenation(json, alternative.trim());
      if (v != null && !(v instanceof Collection<?> c && c.isEmpty()) && !(v instanceof String s && s.isEmpty())) {
        return v;
      }
    }
    return null;
  }

  /** The value as a string (numbers without a fraction as integers), or {@code null}. */
  public static String string(Object json, String expression) {
    return scalarText(value(json, expression));
  }

  /** The strings the expression yields: array elements, or a space-separated string split. */
  public static Set<String> strings(Object json, String expression) {
    Set<String> out = new LinkedHashSet<>();
    addStrings(value(json, expression), out);
    return out;
  }

  /** Evaluates a comma-separated list of conditions, OR-ed; {@code null} when none applies. */
  public static Boolean condition(Object json, String conditions) {
    if (conditions == null || conditions.isBlank()) {
      return null;
    }
    Boolean result = null;
    for (String c : split(conditions, ',')) {
      Boolean one = single(json, c.trim());
      if (Boolean.TRUE.equals(one)) {
        return true;
      }
      if (one != null) {
        result = false;
      }
    }
    return result;
  }

  private static Boolean single(Object json, String c) {
    if (c.endsWith("?")) {
      return value(json, c.substring(0, c.length() - 1)) != null ? Boolean.TRUE : null;
    }
    int ne = c.indexOf("!=");
    if (ne > 0) {
      String v = string(json, c.substring(0, ne));
      return v == null ? null : !v.equalsIgnoreCase(c.substring(ne + 2));
    }
    int eq = c.indexOf('=');
    if (eq > 0) {
      String v = string(json, c.substring(0, eq));
      return v == null ? null : v.equalsIgnoreCase(c.substring(eq + 1));
    }
    boolean negate = c.startsWith("!");
    Object v = value(json, negate ? c.substring(1) : c);
    if (v == null) {
      return null;
    }
    boolean truthy = v instanceof Boolean b ? b : "true".equalsIgnoreCase(String.valueOf(v));
    return negate != truthy;
  }

  private static Object concatenation(Object json, String expression) {
    List<String> parts = split(expression, '+');
    if (parts.size() == 1) {
      return path(json, expression);
    }
    StringBuilder sb = new StringBuilder();
    for (String p : parts) {
      String s = scalarText(path(json, p.trim()));
      if (s != null && !s.isEmpty()) {
        if (sb.length() > 0) sb.append(' ');
        sb.append(s);
      }
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  /** Evaluates one path without operators. */
  static Object path(Object json, String path) {
    List<Object> nodes = new ArrayList<>();
    nodes.add(json);
    boolean many = false;
    int i = 0;
    int n = path.length();
    while (i < n) {
      char ch = path.charAt(i);
      if (ch == '.') {
        i++;
        continue;
      }
      if (ch == '[') {
        int close = path.indexOf(']', i);
        if (close < 0) {
          throw new IllegalArgumentException("unclosed '[' in '" + path + "'");
        }
        String inside = path.substring(i + 1, close);
        nodes = bracket(nodes, inside);
        many |= !inside.chars().allMatch(Character::isDigit) || inside.isEmpty();
        i = close + 1;
        continue;
      }
      int end = i;
      while (end < n && path.charAt(end) != '.' && path.charAt(end) != '[') {
        end++;
      }
      String key = path.substring(i, end);
      List<Object> next = new ArrayList<>();
      for (Object node : nodes) {
        if (node instanceof Map<?, ?> m && m.get(key) != null) {
          next.add(m.get(key));
        }
      }
      nodes = next;
      i = end;
    }
    if (many) {
      return nodes;
    }
    return nodes.isEmpty() ? null : nodes.get(0);
  }

  private static List<Object> bracket(List<Object> nodes, String inside) {
    List<Object> next = new ArrayList<>();
    for (Object node : nodes) {
      if (!(node instanceof List<?> list)) {
        continue;
      }
      if (inside.isEmpty()) {
        next.addAll(list);
      } else if (inside.chars().allMatch(Character::isDigit)) {
        int index = Integer.parseInt(inside);
        if (index < list.size() && list.get(index) != null) {
          next.add(list.get(index));
        }
      } else {
        boolean not = inside.contains("!=");
        int op = not ? inside.indexOf("!=") : inside.indexOf('=');
        String member = inside.substring(0, op);
        String expected = inside.substring(op + (not ? 2 : 1));
        for (Object element : list) {
          String actual = scalarText(path(element, member));
          if (actual != null && actual.equals(expected) != not) {
            next.add(element);
          }
        }
      }
    }
    return next;
  }

  private static void addStrings(Object value, Set<String> out) {
    if (value instanceof Collection<?> c) {
      for (Object o : c) {
        if (o instanceof Collection<?>) {
          addStrings(o, out);
        } else {
          String s = scalarText(o);
          if (s != null && !s.isBlank()) {
            out.add(s);
          }
        }
      }
    } else if (value instanceof String s) {
      for (String part : s.trim().split("\\s+")) {
        if (!part.isEmpty()) {
          out.add(part);
        }
      }
    } else if (value != null && !(value instanceof Map)) {
      out.add(scalarText(value));
    }
  }

  private static String scalarText(Object v) {
    if (v == null || v instanceof Map || v instanceof Collection) {
      return null;
    }
    if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e15) {
      return Long.toString(d.longValue());
    }
    return String.valueOf(v);
  }

  /** Splits on {@code sep} outside brackets. */
  private static List<String> split(String s, char sep) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '[') depth++;
      else if (c == ']') depth--;
      else if (c == sep && depth == 0) {
        out.add(s.substring(start, i));
        start = i + 1;
      }
    }
    out.add(s.substring(start));
    return out;
  }
}
