package dev.tokenguard.http;

import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.UserProfile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The identity a gateway passes to the application behind it: {@code X-Auth-Subject}, {@code X-Auth-Permissions}
 * and {@code X-Auth-Roles} (space-separated, sorted), and {@code X-Auth-Email} (empty unless a profile has one). A gateway
 * must remove every one of {@link #NAMES} from the client's request first, so a client cannot pretend to be
 * someone.
 */
public final class IdentityHeaders {
  /** Every identity header name. */
  public static final List<String> NAMES = List.of("X-Auth-Subject", "X-Auth-Permissions", "X-Auth-Roles", "X-Auth-Email");
  /**
   * Method-override headers, which some frameworks honour ({@code X-HTTP-Method-Override: DELETE} on a {@code POST}
   * would run a handler that a method rule did not judge): a gateway removes or refuses them as it does identity headers.
   */
  public static final List<String> METHOD_OVERRIDES = List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");

  private IdentityHeaders() {}

  /**
   * Whether a header named {@code name} reaches an application as the header {@code reserved}: names compare
   * case-insensitively and with {@code _} read as {@code -}, since CGI, WSGI, Rack and PHP hand both spellings to the
   * application as one ({@code HTTP_X_AUTH_SUBJECT}). A gateway removes every client header that is the same as one
   * it sets.
   */
  public static boolean sameHeader(String name, String reserved) {
    if (name.length() != reserved.length()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char a = name.charAt(i);
      char b = reserved.charAt(i);
      if (a != b && fold(a) != fold(b)) {
        return false;
      }
    }
    return true;
  }

  /** Whether a client header named {@code name} is one a gateway sets or strips ({@link #NAMES}, {@link #METHOD_OVERRIDES}), in any spelling. */
  public static boolean reserved(String name) {
    return NAMES.stream().anyMatch(n -> sameHeader(name, n)) || METHOD_OVERRIDES.stream().anyMatch(n -> sameHeader(name, n));
  }

  private static char fold(char c) {
    return c == '_' ? '-' : c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  /**
   * The headers for {@code principal}, every one of {@link #NAMES} set (empty when there is no value, or no caller:
   * {@code null}, a public path), so that an application never reads a value it did not get from the gateway;
   * values are stripped of control characters.
   */
  public static Map<String, String> of(TokenPrincipal principal) {
    Map<String, String> h = new LinkedHashMap<>();
    if (principal == null) {
      NAMES.forEach(n -> h.put(n, ""));
      return h;
    }
    h.put("X-Auth-Subject", clean(principal.subject() != null ? principal.subject() : principal.getName()));
    h.put("X-Auth-Permissions", clean(String.join(" ", principal.permissions().stream().sorted().toList())));
    h.put("X-Auth-Roles", clean(String.join(" ", principal.roles().stream().sorted().toList())));
    h.put("X-Auth-Email", clean(principal.profile().map(UserProfile::email).orElse("")));
    return h;
  }

  private static String clean(String value) {
    StringBuilder sb = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c != 0x7f) {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
