package dev.tokenguard.internal;

import java.util.ArrayList;
import java.util.List;

/** Splits comma-separated configuration values. */
public final class Lists {
  private Lists() {}

  /** Splits on commas, trims each item and drops empty ones: {@code " a, ,b "} gives {@code [a, b]}. */
  public static List<String> splitComma(String value) {
    List<String> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    for (String part : value.split(",")) {
      String t = part.trim();
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }
}
