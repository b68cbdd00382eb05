package dev.tokenguard.lookup;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How a provider names its users' statuses, when it sends one field in several shapes (Guardhouse: an enum as a
 * number or as a string, with aliases): each spelling mapped to one name, and the names that are active. Any other
 * status, known or not, means blocked; an absent status decides nothing.
 *
 * @param names spelling to name; keys are lower case without {@code _}, {@code -} or spaces, or a number in decimal
 *     (its sign kept)
 * @param active the names of statuses that are not blocked
 */
record StatusVocabulary(Map<String, String> names, Set<String> active) {

  StatusVocabulary {
    names = Map.copyOf(names);
    active = Set.copyOf(active);
  }

  /** The name of {@code raw} (a number or a string in any of the provider's spellings); itself normalised if unknown. */
  String name(String raw) {
    String value = raw.strip();
    String key = value.matches("[+-]?\\d{1,9}") ? String.valueOf(Integer.parseInt(value)) // -1 stays -1, 01 is 1
        : value.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").replace(" ", "");
    return names.getOrDefault(key, key);
  }

  /** Whether the status named {@code name} means blocked. */
  boolean blocks(String name) {
    return !active.contains(name);
  }
}
