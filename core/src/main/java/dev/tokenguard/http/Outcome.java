package dev.tokenguard.http;

import dev.tokenguard.InsufficientPermissionException;
import dev.tokenguard.TokenGuardException;
import dev.tokenguard.TokenServiceException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP answer to a request TokenGuard does not let through: status, headers (the exact
 * {@code WWW-Authenticate} challenge of RFC 6750 §3, or {@code Retry-After}) and a small JSON body. Built by
 * core; adapters only write it.
 *
 * <table>
 *   <caption>Outcomes</caption>
 *   <tr><th>case</th><th>status</th><th>header</th></tr>
 *   <tr><td>no token on a protected path</td><td>401</td><td>{@code Bearer} or {@code Bearer realm="..."}</td></tr>
 *   <tr><td>bad token</td><td>401</td><td>{@code Bearer error="invalid_token", error_description="..."}</td></tr>
 *   <tr><td>malformed request</td><td>400</td><td>{@code Bearer error="invalid_request", error_description="..."}</td></tr>
 *   <tr><td>missing permission</td><td>403</td><td>{@code Bearer error="insufficient_scope", error_description="...", scope="..."}</td></tr>
 *   <tr><td>keys or user API unavailable</td><td>503</td><td>{@code Retry-After: <seconds>}</td></tr>
 * </table>
 * Every outcome also carries {@code Cache-Control: no-store}.
 *
 * @param status the HTTP status
 * @param headers header names and values, in order
 * @param body a JSON object with {@code error} and {@code error_description}
 */
public record Outcome(int status, Map<String, String> headers, String body) {
  /** Longest {@code error_description} sent. */
  public static final int MAX_DESCRIPTION = 300;

  public Outcome {
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** The body's media type. */
  public static final String CONTENT_TYPE = "application/json";

  /** 401 for a protected path requested without a token: a bare challenge, no error code (RFC 6750 §3.1). */
  public static Outcome missingToken(String realm) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("WWW-Authenticate", realm == null ? "Bearer" : "Bearer realm=\"" + realm + "\"");
    h.put("Cache-Control", "no-store");
    return new Outcome(401, h, json("unauthorized", "a bearer token is required"));
  }

  /** The outcome for a typed failure. */
  public static Outcome of(TokenGuardException failure, String realm) {
    String description = sanitise(failure.description());
    Map<String, String> h = new LinkedHashMap<>();
    if (failure instanceof TokenServiceException unavailable) {
      long seconds = Math.max(1, (unavailable.retryAfter().toMillis() + 999) / 1000);
      h.put("Retry-After", Long.toString(seconds));
    } else {
      StringBuilder challenge = new StringBuilder("Bearer ");
      if (realm != null) {
        challenge.append("realm=\"").append(realm).append("\", ");
      }
      challenge.append("error=\"").append(failure.errorCode()).append("\", error_description=\"").append(description).append('"');
      if (failure instanceof InsufficientPermissionException denied && !denied.required().isEmpty()) {
        challenge.append(", scope=\"").append(sanitise(String.join(" ", denied.required()))).append('"');
      }
      h.put("WWW-Authenticate", challenge.toString());
    }
    h.put("Cache-Control", "no-store");
    return new Outcome(failure.httpStatus(), h, json(failure.errorCode(), description));
  }

  /** The {@code WWW-Authenticate} value, or {@code null}. */
  public String challenge() {
    return headers.get("WWW-Authenticate");
  }

  /**
   * Restricts text to the characters RFC 6750 §3 allows in {@code error_description} (printable ASCII except
   * {@code "} and {@code \}), replacing others, and cuts it to {@value #MAX_DESCRIPTION} characters.
   */
  static String sanitise(String text) {
    String s = text == null ? "" : text;
    StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_DESCRIPTION));
    for (int i = 0; i < s.length() && sb.length() < MAX_DESCRIPTION; i++) {
      char c = s.charAt(i);
      if (c == '"') sb.append('\'');
      else if (c == '\\') sb.append('/');
      else if (c < 0x20 || c > 0x7e) sb.append('?');
      else sb.append(c);
    }
    return sb.toString();
  }

  private static String json(String error, String description) {
    // both values are already restricted to printable ASCII without quotes or backslashes
    return "{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}";
  }
}
