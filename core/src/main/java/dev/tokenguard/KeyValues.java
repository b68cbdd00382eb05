package dev.tokenguard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Typed values of {@link ConfigKey}s: what the configuration's code reads. Only keys that were set are held; a key
 * not set reads as its default. Each key has its own slot ({@code ConfigKey.index}), so a read on the request path
 * is an array load. Mutable while a builder fills it; {@link #frozen()} gives the copy a built configuration keeps.
 */
final class KeyValues {
  private Object[] values;
  private final List<ConfigKey<?>> keys;
  private final boolean frozen;

  KeyValues() {
    this(new Object[64], new ArrayList<>(), false);
  }

  private KeyValues(Object[] values, List<ConfigKey<?>> keys, boolean frozen) {
    this.values = values;
    this.keys = keys;
    this.frozen = frozen;
  }

  /** Sets {@code key} to {@code value} after the key's check; {@code null} unsets it. */
  <T> void put(ConfigKey<T> key, T value) {
    store(key, value == null ? null : key.check(value));
  }

  /** Sets {@code key} from its text (trimmed, not blank), as a properties file gives it. */
  <T> void read(ConfigKey<T> key, String text) {
    store(key, key.read(text));
  }

  /** As {@link #read(ConfigKey, String)}, naming the key {@code as} in errors. */
  <T> void read(ConfigKey<T> key, String as, String text) {
    store(key, key.read(as, text));
  }

  /** Unsets {@code key}. */
  void remove(ConfigKey<?> key) {
    store(key, null);
  }

  private void store(ConfigKey<?> key, Object value) {
    if (frozen) {
      throw new IllegalStateException("frozen");
    }
    if (key.index >= values.length) {
      values = Arrays.copyOf(values, Math.max(key.index + 1, values.length * 2));
    }
    values[key.index] = value;
    if (value == null) {
      keys.remove(key);
    } else if (!keys.contains(key)) {
      keys.add(key);
    }
  }

  /** The value of {@code key}: as set, else its default (which may be {@code null}). */
  @SuppressWarnings("unchecked")
  <T> T get(ConfigKey<T> key) {
    Object v = key.index < values.length ? values[key.index] : null;
    return v == null ? key.fallback() : (T) v;
  }

  /** Whether {@code key} was set. */
  boolean isSet(ConfigKey<?> key) {
    return key.index < values.length && values[key.index] != null;
  }

  /** The keys that were set, in the order they were first set. */
  List<ConfigKey<?>> keys() {
    return Collections.unmodifiableList(keys);
  }

  /** A mutable copy. */
  KeyValues copy() {
    return new KeyValues(values.clone(), new ArrayList<>(keys), false);
  }

  /** An immutable copy. */
  KeyValues frozen() {
    return new KeyValues(values.clone(), List.copyOf(keys), true);
  }
}
