package dev.tokenguard;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Flattens a host's typed configuration tree into core's keys, so that no adapter keeps its own list of keys: a
 * Spring {@code @ConfigurationProperties} record or a Quarkus {@code @ConfigMapping} interface is walked by
 * reflection, each member named by its accessor in kebab case ({@code jwksUri} is {@code jwks-uri}), nested types
 * adding a segment ({@code jwks().cacheTtl()} is {@code jwks.cache-ttl}) and maps adding the map key as one
 * ({@code rule().get("write").paths()} is {@code rule.write.paths}). Nothing is added or changed on the way:
 * {@code null}, empty {@link Optional}s and empty lists are left out, lists are joined with commas, durations
 * written as configured ({@code 5m}); core applies its defaults and checks every value ({@link TokenGuardConfig#fromProperties}).
 */
public final class ConfigTree {
  private ConfigTree() {}

  /**
   * @param type the tree's declared type: a record, or an interface whose abstract no-argument methods are the
   *     members (an implementation's own methods are not read)
   * @param tree the bound instance, or {@code null} for none
   * @return core keys to values, in the order of the members
   */
  public static Map<String, String> toProperties(Class<?> type, Object tree) {
    Map<String, String> out = new LinkedHashMap<>();
    walk("", type, tree, out);
    return out;
  }

  private static void walk(String prefix, Type type, Object value, Map<String, String> out) {
    Object v = value instanceof Optional<?> o ? o.orElse(null) : value;
    if (v == null) {
      return;
    }
    Type t = raw(type) == Optional.class ? argument(type, 0) : type;
    Class<?> c = raw(t);
    if (Map.class.isAssignableFrom(c)) {
      Type element = argument(t, 1);
      ((Map<?, ?>) v).forEach((k, x) -> walk(prefix + k + ".", element, x, out));
    } else if (isLeaf(c)) {
      String text = text(v);
      if (text != null) {
        out.put(prefix.substring(0, prefix.length() - 1), text);
      }
    } else {
      for (Member m : members(c)) {
        walk(prefix + kebab(m.name()) + ".", m.type(), invoke(m.accessor(), v), out);
      }
    }
  }

  private static boolean isLeaf(Class<?> c) {
    return c.isPrimitive() || c == String.class || Number.class.isAssignableFrom(c) || c == Boolean.class
        || c == Duration.class || c.isEnum() || Collection.class.isAssignableFrom(c);
  }

  private static String text(Object v) {
    if (v instanceof Collection<?> list) {
      return list.isEmpty() ? null : String.join(",", list.stream().map(String::valueOf).toList());
    }
    if (v instanceof Duration d) { // as it is usually written (5m); ISO-8601 when a millisecond would be lost
      return d.getNano() % 1_000_000 == 0 ? Durations.format(d) : d.toString();
    }
    return String.valueOf(v);
  }

  private record Member(String name, Type type, Method accessor) {}

  private static List<Member> members(Class<?> c) {
    List<Member> out = new ArrayList<>();
    if (c.isRecord()) {
      for (RecordComponent rc : c.getRecordComponents()) {
        out.add(new Member(rc.getName(), rc.getGenericType(), rc.getAccessor()));
      }
    } else if (c.isInterface()) {
      for (Method m : c.getMethods()) {
        if (m.getParameterCount() == 0 && !m.isDefault() && !Modifier.isStatic(m.getModifiers())) {
          out.add(new Member(m.getName(), m.getGenericReturnType(), m));
        }
      }
    } else {
      throw new IllegalArgumentException(c.getName() + " is neither a record nor an interface");
    }
    return out;
  }

  private static Object invoke(Method accessor, Object target) {
    try {
      return accessor.invoke(target);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + accessor, e);
    }
  }

  /** {@code jwksUri} -> {@code jwks-uri}. */
  static String kebab(String name) {
    StringBuilder b = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (ch >= 'A' && ch <= 'Z') {
        b.append('-').append((char) (ch + ('a' - 'A')));
      } else {
        b.append(ch);
      }
    }
    return b.toString();
  }

  private static Class<?> raw(Type t) {
    if (t instanceof Class<?> c) {
      return c;
    }
    if (t instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    throw new IllegalArgumentException("unsupported configuration type " + t);
  }

  private static Type argument(Type t, int index) {
    if (t instanceof ParameterizedType p) {
      return p.getActualTypeArguments()[index];
    }
    return String.class;
  }
}
