package dev.tokenguard.jwt;

import dev.tokenguard.TokenPrincipal;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads string sets from claims by dotted path: {@code permissions}, {@code realm_access.roles},
 * {@code resource_access.my-client.roles}. A key that itself contains dots ({@code resource_access.my.client.roles}
 * with client {@code my.client}) is found too: at each level the longest key that matches is tried first.
 * A JSON array yields its string elements; a string is split on whitespace (the {@code scope} form);
 * anything else yields nothing.
 */
final class ClaimPaths {
  private ClaimPaths() {}

  /** The value at {@code path}, or {@code null}. */
  public static Object read(Map<String, Object> claims, String path) {
    if (claims.containsKey(path)) {
      return claims.get(path);
    }
    for (int dot = path.lastIndexOf('.'); dot > 0; dot = path.lastIndexOf('.', dot - 1)) { // longest head first
      if (claims.get(path.substring(0, dot)) instanceof Map<?, ?> nested) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) nested;
        Object found = read(m, path.substring(dot + 1));
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /** The scope claims, read as the principal's scopes. */
  private static final List<String> SCOPE_CLAIMS = List.of("scope", "scp");

  /** A principal's scopes ({@code scope}, {@code scp}), permissions and roles read at these paths. */
  static TokenPrincipal.Authorities authorities(List<String> permissionPaths, List<String> rolePaths) {
    List<String> permissions = List.copyOf(permissionPaths);
    List<String> roles = List.copyOf(rolePaths);
    return new TokenPrincipal.Authorities() {
      @Override
      public Set<String> scopes(Map<String, Object> claims) {
        return strings(claims, SCOPE_CLAIMS);
      }

      @Override
      public Set<String> permissions(Map<String, Object> claims) {
        return strings(claims, permissions);
      }

      @Override
      public Set<String> roles(Map<String, Object> claims) {
        return strings(claims, roles);
      }
    };
  }

  /** The strings at every path, in order, without duplicates. */
  public static Set<String> strings(Map<String, Object> claims, Collection<String> paths) {
    Set<String> out = new LinkedHashSet<>();
    for (String path : paths) {
      addStrings(read(claims, path), out);
    }
    return out;
  }

  private static void addStrings(Object value, Set<String> out) {
    if (value instanceof String s) {
      int start = -1;
      for (int i = 0; i <= s.length(); i++) { // split on whitespace without a regex: this runs for every token
        boolean space = i == s.length() || " \t\n\u000B\f\r".indexOf(s.charAt(i)) >= 0; // the regex \s set
        if (!space && start < 0) {
          start = i;
        } else if (space && start >= 0) {
          out.add(s.substring(start, i));
          start = -1;
        }
      }
    } else if (value instanceof Collection<?> list) {
      for (Object o : list) {
        if (o instanceof String s && !s.isBlank()) {
          out.add(s);
        }
      }
    }
  }
}
