package dev.tokenguard;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Typed values of {@link ConfigKey}s: what the configuration's code reads. Only keys that were set are held; a key
 * not set reads as its default. Mutable while a builder fills it; {@link #frozen()} gives the immutable copy a built
 * configuration keeps.
 */
final class KeyValues {
  private final Map<ConfigKey<?>, Object> values;

  KeyValues() {
    this.values = new LinkedHashMap<>();
  }

  private KeyValues(Map<ConfigKey<?>, Object> values) {
    this.values = values;
  }

  /** Sets {@code key} to {@code value} after the key's check; {@code null} unsets it. */
  <T> void put(ConfigKey<T> key, T value) {
    if (value == null) {
      values.remove(key);
    } else {
      values.put(key, key.check(value));
    }
  }

  /** Sets {@code key} from its text (trimmed, not blank), as a properties file gives it. */
  <T> void read(ConfigKey<T> key, String text) {
    T value = key.read(text);
    if (value == null) {
      values.remove(key);
    } else {
      values.put(key, value);
    }
  }

  /** The value of {@code key}: as set, else its default (which may be {@code null}). */
  @SuppressWarnings("unchecked")
  <T> T get(ConfigKey<T> key) {
    Object v = values.get(key);
    return v == null ? key.fallback() : (T) v;
  }

  /** Whether {@code key} was set. */
  boolean isSet(ConfigKey<?> key) {
    return values.containsKey(key);
  }

  /** The keys that were set, in the order they were first set. */
  Set<ConfigKey<?>> keys() {
    return Collections.unmodifiableSet(values.keySet());
  }

  /** A mutable copy. */
  KeyValues copy() {
    return new KeyValues(new LinkedHashMap<>(values));
  }

  /** An immutable copy. */
  KeyValues frozen() {
    return new KeyValues(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
  }
}
