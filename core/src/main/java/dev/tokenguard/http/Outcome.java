package dev.tokenguard.http;

import dev.tokenguard.InsufficientPermissionException;
import dev.tokenguard.InvalidTokenException;
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

  /**
   * The schemes a server offers in its challenges: {@code Bearer} (RFC 6750) and, when some issuer accepts DPoP
   * (RFC 9449 §7.1), {@code DPoP} with the proof algorithms it accepts.
   *
   * @param realm the {@code realm}, or {@code null}
   * @param bearer whether the {@code Bearer} scheme is offered
   * @param dpopAlgorithms the {@code algs} of the {@code DPoP} challenge (space-separated), or {@code null} when DPoP is
   *     not offered
   */
  public record Challenges(String realm, boolean bearer, String dpopAlgorithms) {
    /** Bearer alone. */
    public static Challenges bearer(String realm) {
      return new Challenges(realm, true, null);
    }

    /** The challenge of {@code scheme}, with {@code params} (already formatted, may be empty). */
    private String challenge(String scheme, String params) {
      StringBuilder c = new StringBuilder(scheme);
      String sep = " ";
      if (realm != null) {
        c.append(sep).append("realm=\"").append(realm).append('"');
        sep = ", ";
      }
      if (!params.isEmpty()) {
        c.append(sep).append(params);
        sep = ", ";
      }
      if (scheme.equals(DPOP)) {
        c.append(sep).append("algs=\"").append(dpopAlgorithms).append('"');
      }
      return c.toString();
    }

    /** Every offered challenge; the one of {@code errorScheme} carries {@code params}. */
    String header(String errorScheme, String params) {
      StringBuilder h = new StringBuilder();
      if (bearer || dpopAlgorithms == null) {
        h.append(challenge(BEARER, errorScheme.equals(BEARER) || dpopAlgorithms == null ? params : ""));
      }
      if (dpopAlgorithms != null) {
        h.append(h.length() == 0 ? "" : ", ").append(challenge(DPOP, errorScheme.equals(DPOP) || !bearer ? params : ""));
      }
      return h.toString();
    }
  }

  private static final String BEARER = "Bearer";
  private static final String DPOP = "DPoP";

  /** 401 for a protected path requested without a token: every offered challenge, bare, no error code (RFC 6750 §3.1). */
  public static Outcome missingToken(Challenges challenges) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("WWW-Authenticate", challenges.header(BEARER, ""));
    h.put("Cache-Control", "no-store");
    return new Outcome(401, h, json("unauthorized", "a bearer token is required"));
  }

  /** The outcome for a typed failure. */
  public static Outcome of(TokenGuardException failure, String realm) {
    return of(failure, Challenges.bearer(realm), false, null);
  }

  /**
   * The outcome for a typed failure of a request that came with the {@code DPoP} scheme or not ({@code dpopScheme}): the
   * error is in that scheme's challenge, or in the {@code DPoP} one when it is about the proof (RFC 9449 §7.1).
   *
   * @param nonce the {@code DPoP-Nonce} to send along, or {@code null}
   */
  public static Outcome of(TokenGuardException failure, Challenges challenges, boolean dpopScheme, String nonce) {
    String description = sanitise(failure.description());
    Map<String, String> h = new LinkedHashMap<>();
    if (failure instanceof TokenServiceException unavailable) {
      long seconds = Math.max(1, (unavailable.retryAfter().toMillis() + 999) / 1000);
      h.put("Retry-After", Long.toString(seconds));
    } else {
      StringBuilder params = new StringBuilder();
      params.append("error=\"").append(failure.errorCode()).append("\", error_description=\"").append(description).append('"');
      if (failure instanceof InsufficientPermissionException denied && !denied.required().isEmpty()) {
        params.append(", scope=\"").append(sanitise(String.join(" ", denied.required()))).append('"');
      }
      boolean aboutProof = failure instanceof InvalidTokenException invalid && invalid.aboutProof();
      h.put("WWW-Authenticate", challenges.header(dpopScheme || aboutProof ? DPOP : BEARER, params.toString()));
      if (nonce != null && challenges.dpopAlgorithms() != null) {
        h.put("DPoP-Nonce", nonce);
      }
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
