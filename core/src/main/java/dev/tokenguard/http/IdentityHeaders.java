package dev.tokenguard.http;

import dev.tokenguard.TokenGuardConfigException;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.UserProfile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The identity a gateway passes on: which headers, filled from what. Two sets of names: those a reverse proxy adds to
 * the request it forwards to the application ({@link #upstream}), and those a forward-authentication answer carries
 * for the proxy to copy ({@link #answer}). Presets:
 * <ul>
 *   <li>{@code tokenguard} (the default): {@code X-Auth-Subject}, {@code X-Auth-Permissions}, {@code X-Auth-Roles}
 *       (space-separated, sorted) and {@code X-Auth-Email}, in both;</li>
 *   <li>{@code oauth2-proxy}: what oauth2-proxy sends, {@code X-Forwarded-User}, {@code -Email}, {@code -Groups}
 *       (the roles, comma-separated) and {@code -Preferred-Username} upstream, and {@code X-Auth-Request-User},
 *       {@code -Email}, {@code -Groups}, {@code -Preferred-Username} in a forward-authentication answer, so that an
 *       application and an nginx configuration written for oauth2-proxy work unchanged.</li>
 * </ul>
 * or a mapping of one's own ({@code Header=source}; sources {@code subject}, {@code name}, {@code permissions},
 * {@code roles}, {@code scopes}, {@code email}, {@code preferred-username}, {@code claim:<name>}). Every header of
 * the set is always set, empty when there is no value or no caller, so an application never reads a value it did not
 * get from the gateway. Values are safe in a header: control characters (CR and LF among them), {@code %} and every
 * non-ASCII character are percent-encoded as UTF-8 (RFC 3986), so {@code é} arrives as {@code %C3%A9}.
 *
 * <p>A gateway removes, or refuses, every client header that {@link #reserved reads as} one it sets, or as one of
 * either preset, or as a method-override header, comparing names as applications do ({@link #sameHeader}).
 */
public final class IdentityHeaders {
  /**
   * Method-override headers, which some frameworks honour ({@code X-HTTP-Method-Override: DELETE} on a {@code POST}
   * would run a handler that a method rule did not judge): a gateway removes or refuses them as it does identity headers.
   */
  public static final List<String> METHOD_OVERRIDES = List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");
  /** The sources a mapping may name, besides {@code claim:<name>}. */
  public static final List<String> SOURCES = List.of("subject", "name", "permissions", "roles", "scopes", "email",
      "preferred-username");

  private static final List<String> TOKENGUARD_NAMES = List.of("X-Auth-Subject=subject", "X-Auth-Permissions=permissions",
      "X-Auth-Roles=roles", "X-Auth-Email=email");
  private static final List<String> OAUTH2_PROXY_UPSTREAM = List.of("X-Forwarded-User=subject", "X-Forwarded-Email=email",
      "X-Forwarded-Groups=roles", "X-Forwarded-Preferred-Username=preferred-username");
  private static final List<String> OAUTH2_PROXY_ANSWER = List.of("X-Auth-Request-User=subject", "X-Auth-Request-Email=email",
      "X-Auth-Request-Groups=roles", "X-Auth-Request-Preferred-Username=preferred-username");
  /** The names of both presets: reserved whatever is configured, since an application may read either. */
  private static final List<String> PRESET_NAMES = Stream.of(TOKENGUARD_NAMES, OAUTH2_PROXY_UPSTREAM, OAUTH2_PROXY_ANSWER)
      .flatMap(List::stream).map(e -> e.substring(0, e.indexOf('='))).toList();
  private static final List<String> PRESETS = List.of("tokenguard", "oauth2-proxy");

  /** The default: {@code X-Auth-*}. */
  public static final IdentityHeaders TOKENGUARD = mapping(TOKENGUARD_NAMES, " ", "identity-headers.map");
  /** oauth2-proxy's names. */
  public static final IdentityHeaders OAUTH2_PROXY = new IdentityHeaders(parse(OAUTH2_PROXY_UPSTREAM, "identity-headers.map"),
      parse(OAUTH2_PROXY_ANSWER, "identity-headers.map"), ",");

  private final Map<String, String> upstream;
  private final Map<String, String> answer;
  private final String separator;
  /** Every name this set and both presets use, and the method overrides: what no client may send. */
  private final List<String> reserved;

  private IdentityHeaders(Map<String, String> upstream, Map<String, String> answer, String separator) {
    this.upstream = upstream;
    this.answer = answer;
    this.separator = separator;
    List<String> names = new ArrayList<>(upstream.keySet());
    names.addAll(answer.keySet());
    names.addAll(PRESET_NAMES);
    names.addAll(METHOD_OVERRIDES);
    this.reserved = names.stream().distinct().toList();
  }

  /**
   * The headers configured by {@code identity-headers} (a preset), or {@code identity-headers.map} (one's own, which
   * takes the preset's place) with lists joined by {@code identity-headers.separator} ({@code space} or
   * {@code comma}).
   *
   * @param preset {@code tokenguard}, {@code oauth2-proxy}, or {@code null} for the default
   * @param map {@code Header=source} entries, or empty
   * @param separator {@code space}, {@code comma}, or {@code null} for the preset's own
   * @throws TokenGuardConfigException naming the key of a mistake
   */
  public static IdentityHeaders configured(String preset, List<String> map, String separator) {
    if (preset != null && !PRESETS.contains(preset)) {
      throw new TokenGuardConfigException("identity-headers", "expected one of " + PRESETS + ", but was '" + preset + "'");
    }
    if (separator != null && !separator.equals("space") && !separator.equals("comma")) {
      throw new TokenGuardConfigException("identity-headers.separator", "expected space or comma, but was '" + separator + "'");
    }
    if (!map.isEmpty()) {
      if (preset != null) {
        throw new TokenGuardConfigException("identity-headers.map", "replaces a preset: set it or identity-headers, not both");
      }
      return mapping(map, "comma".equals(separator) ? "," : " ", "identity-headers.map");
    }
    IdentityHeaders chosen = "oauth2-proxy".equals(preset) ? OAUTH2_PROXY : TOKENGUARD;
    return separator == null ? chosen : new IdentityHeaders(chosen.upstream, chosen.answer, separator.equals("comma") ? "," : " ");
  }

  private static IdentityHeaders mapping(List<String> entries, String separator, String key) {
    Map<String, String> m = parse(entries, key);
    return new IdentityHeaders(m, m, separator);
  }

  private static Map<String, String> parse(List<String> entries, String key) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String entry : entries) {
      int eq = entry.indexOf('=');
      String name = eq < 0 ? "" : entry.substring(0, eq).trim();
      String source = eq < 0 ? "" : entry.substring(eq + 1).trim();
      if (name.isEmpty() || !name.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
        throw new TokenGuardConfigException(key, "expected Header=source entries with header names of letters, digits"
            + " and '-', but found '" + entry + "'");
      }
      if (!SOURCES.contains(source) && !(source.startsWith("claim:") && source.length() > "claim:".length())) {
        throw new TokenGuardConfigException(key, "unknown source '" + source + "' for " + name + "; expected one of "
            + SOURCES + " or claim:<name>");
      }
      if (out.keySet().stream().anyMatch(n -> sameHeader(n, name))) {
        throw new TokenGuardConfigException(key, "names the header " + name + " twice");
      }
      out.put(name, source);
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  /**
   * Whether a header named {@code name} reaches an application as the header {@code other}: names compare
   * case-insensitively and with {@code _} read as {@code -}, since CGI, WSGI, Rack and PHP hand both spellings to the
   * application as one ({@code HTTP_X_AUTH_SUBJECT}).
   */
  public static boolean sameHeader(String name, String other) {
    if (name.length() != other.length()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char a = name.charAt(i);
      char b = other.charAt(i);
      if (a != b && fold(a) != fold(b)) {
        return false;
      }
    }
    return true;
  }

  private static char fold(char c) {
    return c == '_' ? '-' : c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  /**
   * Whether a client header named {@code name} reads as one a gateway sets (this set's, either preset's) or as a
   * method override, in any spelling: a gateway removes it (reverse proxy) or refuses the request (forward
   * authentication).
   */
  public boolean reserved(String name) {
    for (String r : reserved) {
      if (sameHeader(name, r)) {
        return true;
      }
    }
    return false;
  }

  /** Every header name this set adds upstream and answers with. */
  public Set<String> names() {
    Set<String> out = new java.util.LinkedHashSet<>(upstream.keySet());
    out.addAll(answer.keySet());
    return out;
  }

  /** The headers a reverse proxy adds to the forwarded request for {@code caller} ({@code null}: none, a public path). */
  public Map<String, String> upstream(TokenPrincipal caller) {
    return fill(upstream, caller);
  }

  /** The headers a forward-authentication answer carries for {@code caller} ({@code null}: none, a public path). */
  public Map<String, String> answer(TokenPrincipal caller) {
    return fill(answer, caller);
  }

  private Map<String, String> fill(Map<String, String> names, TokenPrincipal caller) {
    Map<String, String> h = new LinkedHashMap<>();
    names.forEach((name, source) -> h.put(name, caller == null ? "" : encode(value(source, caller))));
    return h;
  }

  private String value(String source, TokenPrincipal p) {
    return switch (source) {
      case "subject" -> p.subject() != null ? p.subject() : p.getName();
      case "name" -> p.getName();
      case "permissions" -> joined(p.permissions());
      case "roles" -> joined(p.roles());
      case "scopes" -> joined(p.scopes());
      case "email" -> p.profile().map(UserProfile::email).orElseGet(() -> p.claims().get("email") instanceof String s ? s : "");
      case "preferred-username" -> p.claims().get("preferred_username") instanceof String s ? s : "";
      default -> claim(p.claims().get(source.substring("claim:".length())));
    };
  }

  private String claim(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Collection<?> c) {
      return String.join(separator, c.stream().map(String::valueOf).toList());
    }
    return v instanceof Map<?, ?> ? com.nimbusds.jose.util.JSONObjectUtils.toJSONString(castMap(v)) : String.valueOf(v);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ?> castMap(Object v) {
    return (Map<String, ?>) v;
  }

  private String joined(Collection<String> values) {
    return String.join(separator, values.stream().sorted().toList());
  }

  /** Percent-encodes control characters, {@code %} and non-ASCII as UTF-8: nothing else changes. */
  static String encode(String value) {
    boolean plain = true;
    for (int i = 0; i < value.length() && plain; i++) {
      char c = value.charAt(i);
      plain = c >= 0x20 && c < 0x7f && c != '%';
    }
    if (plain) {
      return value;
    }
    StringBuilder sb = new StringBuilder(value.length() + 16);
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '%') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "IdentityHeaders{upstream=" + upstream + ", answer=" + answer + ", separator='" + separator + "'}";
  }
}
