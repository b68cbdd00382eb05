package dev.tokenguard.it.oracle;

import java.util.Locale;
import java.util.Set;

/**
 * The handlers of the route-oracle application, what each needs, and where a host routes a request among them.
 * Every host builds the same application with its own routing (servlet url-patterns, Spring MVC mappings, JAX-RS
 * paths, an upstream's router) and every handler answers 200 with the header {@code X-Route: <name>}:
 *
 * <ul>
 *   <li>{@code /api/admin} and below: {@link #ADMIN};</li>
 *   <li>{@code /api/orders/{id}}, exactly one segment below: {@link #ORDER}, or {@link #CANCEL} when the segment
 *       ends with {@code :cancel};</li>
 *   <li>{@code /api/users/@me} and below: {@link #ME};</li>
 *   <li>{@code /api/reports} and below: {@link #REPORTS} for GET and HEAD, {@link #REPORTS_WRITE} otherwise;</li>
 *   <li>{@code /public} and below: {@link #PUBLIC};</li>
 *   <li>anything else: {@link #OTHER}.</li>
 * </ul>
 */
public enum Route {
  ADMIN("/api/admin/stats", "GET", Set.of("admin")),
  ORDER("/api/orders/42", "GET", Set.of("orders:read")),
  CANCEL("/api/orders/42:cancel", "POST", Set.of("orders:read", "orders:cancel")),
  ME("/api/users/@me/settings", "GET", Set.of("profile")),
  REPORTS("/api/reports/daily", "GET", Set.of("reports:read")),
  REPORTS_WRITE("/api/reports/daily", "POST", Set.of()),
  PUBLIC("/public/info", "GET", null),
  OTHER("/api/other", "GET", Set.of());

  /** The response header naming the handler that served a request. */
  public static final String HEADER = "X-Route";
  /** Every permission some rule needs. */
  public static final Set<String> ALL_PERMISSIONS = Set.of("admin", "orders:read", "orders:cancel", "profile", "reports:read");

  /** A canonical path of this handler, within the application. */
  public final String canonicalPath;
  /** A method this handler serves. */
  public final String method;
  /** The permissions its rules need; {@code null} when no token is needed (public). */
  public final Set<String> needs;

  Route(String canonicalPath, String method, Set<String> needs) {
    this.canonicalPath = canonicalPath;
    this.method = method;
    this.needs = needs;
  }

  /** The value of {@link #HEADER}. */
  public String headerValue() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The route of a header value, or {@code null}. */
  public static Route of(String headerValue) {
    for (Route r : values()) {
      if (r.headerValue().equals(headerValue)) {
        return r;
      }
    }
    return null;
  }

  /**
   * For servlet hosts: the route within a servlet mapped to a group ({@code admin}, {@code orders}, {@code me},
   * {@code reports}, {@code public}, {@code other}), from the method and the container's decoded path info.
   */
  public static Route within(String group, String method, String pathInfo) {
    switch (group) {
      case "admin": return ADMIN;
      case "me": return ME;
      case "public": return PUBLIC;
      case "reports": return method.equals("GET") || method.equals("HEAD") ? REPORTS : REPORTS_WRITE;
      case "orders": {
        String rest = pathInfo == null ? "" : pathInfo.endsWith("/") ? pathInfo.substring(0, pathInfo.length() - 1) : pathInfo;
        if (rest.length() < 2 || rest.indexOf('/', 1) >= 0) {
          return OTHER;
        }
        return rest.endsWith(":cancel") ? CANCEL : ORDER;
      }
      default: return OTHER;
    }
  }
}
