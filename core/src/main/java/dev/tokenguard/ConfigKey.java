package dev.tokenguard;

import dev.tokenguard.internal.Lists;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One configuration key of TokenGuard, the same in every adapter: an init-param in web.xml,
 * {@code tokenguard.<key>} in Spring, {@code quarkus.tokenguard.<key>} in Quarkus, {@code --set <key>=...}
 * for the CLI.
 *
 * <p>A key is the whole truth about itself: its name, the kind of value a host binds it as, its default, its range
 * and how its text is read, whether it is secret, and the sentence that documents it. The builder's
 * {@code set(key, text)}, the README's configuration table, the CLI's environment variables, Spring's
 * {@code TokenGuardProperties} and Quarkus' {@code TokenGuardRuntimeConfig} (both generated from the catalogue at
 * build time) all come from it, so a new key is one constant in the catalogue and the code that reads it
 * ({@link TokenGuardConfig#get(ConfigKey)}).
 *
 * @param <T> the type of the value the code reads
 */
public final class ConfigKey<T> {

  /** What kind of value a host binds the key as: a Spring record component's or a Quarkus mapping member's type. */
  public enum Kind {
    /** One string. */
    TEXT,
    /** A comma-separated list, or a YAML list. */
    LIST,
    /** {@code true} or {@code false}. */
    FLAG,
    /** A whole number that fits an {@code int}. */
    INTEGER,
    /** A whole number. */
    LONG,
    /**
     * A duration such as {@code 30s}: Spring binds it as a {@code java.time.Duration} (the same spellings), other hosts
     * as text core reads; core checks the range.
     */
    DURATION
  }

  /** Reads a key's trimmed, non-blank text; {@code null} means "as if not set" ({@code provider=none}). */
  interface Reader<T> {
    T read(String key, String text);
  }

  /** Checks (and may normalise) a value set in code or read from text; throws naming the key. */
  interface Check<T> {
    T check(String key, T value);
  }

  private static final java.util.concurrent.atomic.AtomicInteger CREATED = new java.util.concurrent.atomic.AtomicInteger();

  /** This key's slot in a {@link KeyValues}: reading a value is an array load, not a map lookup. */
  final int index = CREATED.getAndIncrement();
  private final String name;
  private final Kind kind;
  private final T fallback;
  private final String defaultText;
  private final Traits traits;
  private final String description;
  private final Reader<T> reader;
  private final Check<T> check;

  /**
   * What the withers change: {@link #derived()}, {@link #secret()}, {@link #isPerIssuer()}, {@link #isInherited()},
   * {@link #choices()}.
   */
  private record Traits(boolean derived, boolean secret, boolean perIssuer, boolean inherited, List<String> choices) {
    static final Traits PLAIN = new Traits(false, false, false, true, List.of());
  }

  private ConfigKey(String name, Kind kind, T fallback, String defaultText, Traits traits, String description,
      Reader<T> reader, Check<T> check) {
    this.name = Objects.requireNonNull(name);
    this.kind = Objects.requireNonNull(kind);
    this.fallback = fallback;
    this.defaultText = defaultText;
    this.traits = traits;
    this.description = Objects.requireNonNull(description);
    this.reader = reader;
    this.check = check;
  }

  private ConfigKey<T> with(Traits t) {
    return new ConfigKey<>(name, kind, fallback, defaultText, t, description, reader, check);
  }

  /** A key of {@code kind} whose text is read by {@code reader} and whose value (read or set in code) {@code check} accepts. */
  static <T> ConfigKey<T> of(String name, Kind kind, T fallback, String defaultText, String description, Reader<T> reader,
      Check<T> check) {
    return new ConfigKey<>(name, kind, fallback, defaultText, Traits.PLAIN, description, reader, check);
  }

  /** Free text, trimmed. */
  static ConfigKey<String> text(String name, String fallback, String description) {
    return of(name, Kind.TEXT, fallback, fallback, description, (k, t) -> t, (k, v) -> v);
  }

  /** One of {@code choices}, as written. */
  static ConfigKey<String> choice(String name, String fallback, List<String> choices, String description) {
    return of(name, Kind.TEXT, fallback, fallback, description, (k, t) -> t, (k, v) -> ConfigText.choice(k, v, choices))
        .withChoices(choices);
  }

  /** A URL TokenGuard may fetch from (https, or http on loopback). */
  static ConfigKey<String> url(String name, String description) {
    return of(name, Kind.TEXT, null, null, description, (k, t) -> t, ConfigText::url);
  }

  /** A comma-separated list (items trimmed, empty items dropped). */
  static ConfigKey<List<String>> list(String name, List<String> fallback, String description) {
    return of(name, Kind.LIST, fallback, fallback == null || fallback.isEmpty() ? null : String.join(",", fallback), description,
        (k, t) -> Lists.splitComma(t), (k, v) -> List.copyOf(v));
  }

  /** {@code true} or {@code false} in any case; {@code fallback} may be {@code null} when the default depends on other keys. */
  static ConfigKey<Boolean> flag(String name, Boolean fallback, String description) {
    return of(name, Kind.FLAG, fallback, fallback == null ? null : fallback.toString(), description, ConfigText::flag,
        (k, v) -> Objects.requireNonNull(v, k));
  }

  /** A whole number between {@code min} and {@code max} that fits an {@code int}. */
  static ConfigKey<Integer> integer(String name, int fallback, int min, int max, String description) {
    return of(name, Kind.INTEGER, fallback, Integer.toString(fallback), description,
        (k, t) -> (int) ConfigText.whole(k, t, min, max), (k, v) -> (int) ConfigText.range(k, v, min, max));
  }

  /** A whole number between {@code min} and {@code max}. */
  static ConfigKey<Long> whole(String name, long fallback, long min, long max, String description) {
    return of(name, Kind.LONG, fallback, Long.toString(fallback), description,
        (k, t) -> ConfigText.whole(k, t, min, max), (k, v) -> ConfigText.range(k, v, min, max));
  }

  /** A duration between {@code min} and {@code max} ({@code null}: no upper bound). */
  static ConfigKey<Duration> duration(String name, Duration fallback, Duration min, Duration max, String description) {
    return of(name, Kind.DURATION, fallback, fallback == null ? null : Durations.format(fallback), description,
        Durations::parse, (k, v) -> ConfigText.within(k, v, min, max));
  }

  /** This key masked wherever configuration is printed. */
  ConfigKey<T> asSecret() {
    return with(new Traits(traits.derived, true, traits.perIssuer, traits.inherited, traits.choices));
  }

  /** This key offering {@code values} to IDE completion (its check still decides what is accepted). */
  ConfigKey<T> withChoices(List<String> values) {
    return with(new Traits(traits.derived, traits.secret, traits.perIssuer, traits.inherited, List.copyOf(values)));
  }

  /**
   * This key with a default that depends on other keys (computed when the configuration is built); {@code usual}
   * is the default as documented.
   */
  ConfigKey<T> derivedDefault(String usual) {
    return new ConfigKey<>(name, kind, null, usual, new Traits(true, traits.secret, traits.perIssuer, traits.inherited,
        traits.choices), description, reader, check);
  }

  /** This key settable per issuer, in an {@code issuers.<name>.*} block ({@link TokenGuardConfig#ISSUER_BLOCKS}). */
  ConfigKey<T> perIssuer() {
    return with(new Traits(traits.derived, traits.secret, true, traits.inherited, traits.choices));
  }

  /**
   * This key settable per issuer but never taken from the top level by a block: secrets and credentials (one
   * issuer's HMAC secret must not verify another's tokens; one provider's credentials must not be sent to another)
   * and the user lookup (a user API knows one issuer's subjects).
   */
  ConfigKey<T> ownPerIssuer() {
    return with(new Traits(traits.derived, traits.secret, true, false, traits.choices));
  }

  /**
   * This key as a member of the family {@code prefix<key>} ({@code issuers.<name>.audience}): no default of its
   * own (an unset member takes the top-level key's value), for documentation and host bindings.
   */
  ConfigKey<T> inFamily(String prefix, String description) {
    return new ConfigKey<>(prefix + name, kind, null, null, new Traits(false, traits.secret, false, true, traits.choices),
        description, reader, check);
  }

  /** The key as spelled in a properties file ({@code jwks.cache-ttl}). */
  public String name() { return name; }

  /** The kind of value a host binds the key as. */
  public Kind kind() { return kind; }

  /** The default as it would be written in a properties file, or {@code null} when none. */
  public String defaultValue() { return defaultText; }

  /**
   * Whether the default depends on other keys ({@code jwks.refresh-ahead} follows {@code jwks.cache-ttl}), so a host
   * must leave the key unset rather than pass {@link #defaultValue()} on.
   */
  public boolean derived() { return traits.derived; }

  /** Whether an {@code issuers.<name>.*} block may set this key for its issuer. */
  public boolean isPerIssuer() { return traits.perIssuer; }

  /** Whether a block that does not set this per-issuer key takes the top-level value ({@code false} for secrets). */
  public boolean isInherited() { return traits.inherited; }

  /** Whether the value is masked wherever configuration is printed. */
  public boolean secret() { return traits.secret; }

  /** The values IDEs offer for this key ({@code fail-closed}, {@code fail-open}), or none when it is free. */
  public List<String> choices() { return traits.choices; }

  /** One sentence for documentation and IDE completion. */
  public String description() { return description; }

  /** The value when the key is not set, or {@code null} (none, or computed from other keys). */
  T fallback() { return fallback; }

  /** Whether {@code value} is what the key's documented default reads as (a host may pass every default on). */
  boolean isDefault(Object value) {
    return defaultText != null && Objects.equals(value, read(defaultText));
  }

  /** The value of {@code text} (trimmed, not blank), checked. */
  T read(String text) {
    return read(name, text);
  }

  /** As {@link #read(String)}, naming the key {@code as} in errors ({@code issuers.kc.audience}). */
  T read(String as, String text) {
    T v = reader.read(as, text.trim());
    return v == null ? null : check.check(as, v);
  }

  /** {@code value}, checked (and normalised) as if it had been read. */
  T check(T value) {
    return check(name, value);
  }

  /** As {@link #check(Object)}, naming the key {@code as} in errors. */
  T check(String as, T value) {
    return check.check(as, Objects.requireNonNull(value, as));
  }

  @Override
  public String toString() {
    return name;
  }
}
