package dev.tokenguard.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads parameters from a raw query string without touching the request body (a servlet's
 * {@code getParameterValues} would also read a form body, which a filter must not consume).
 */
public final class QueryStrings {
  private QueryStrings() {}

  /** Every value of {@code name} in {@code rawQuery} (form-decoded), in order; empty when absent or no query. */
  public static List<String> values(String rawQuery, String name) {
    List<String> out = new ArrayList<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      try {
        if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
          out.add(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      } catch (IllegalArgumentException malformed) {
        // a malformed escape in another parameter is not ours to judge
      }
    }
    return out;
  }
}
