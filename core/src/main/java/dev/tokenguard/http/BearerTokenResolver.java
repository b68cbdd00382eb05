package dev.tokenguard.http;

import dev.tokenguard.InvalidRequestException;
import dev.tokenguard.internal.TokenSyntax;
import java.util.List;

/**
 * Finds the access token of a request (RFC 6750 §2; RFC 9449 §7.1 for the {@code DPoP} scheme) and nothing else.
 *
 * <ul>
 *   <li>{@code Authorization: Bearer <token>}, and {@code Authorization: DPoP <token>} when DPoP is accepted; the
 *       scheme is case-insensitive and separated by one or more spaces; the token must match RFC 6750's
 *       {@code b64token} syntax.</li>
 *   <li>No Authorization header, an empty one, or another scheme ({@code Basic ...}): no token.</li>
 *   <li>Several Authorization headers, {@code Bearer} without a token, a tab or other separator, several
 *       tokens, or a token both in the header and in the query: {@link InvalidRequestException} (400).</li>
 *   <li>The {@code access_token} query parameter is read only when {@code allow-query-token} is on.</li>
 * </ul>
 */
public final class BearerTokenResolver {
  /** Name of the query parameter of RFC 6750 §2.3. */
  public static final String QUERY_PARAMETER = "access_token";

  private final boolean allowQueryToken;
  private final boolean acceptDpop;

  /** A resolver of Bearer tokens only; @param allowQueryToken whether the {@code access_token} query parameter is read */
  public BearerTokenResolver(boolean allowQueryToken) {
    this(allowQueryToken, false);
  }

  /**
   * @param allowQueryToken whether the {@code access_token} query parameter is read
   * @param acceptDpop whether the {@code DPoP} scheme is read too (else it is another scheme: no token)
   */
  public BearerTokenResolver(boolean allowQueryToken, boolean acceptDpop) {
    this.allowQueryToken = allowQueryToken;
    this.acceptDpop = acceptDpop;
  }

  /**
   * An access token and the scheme it came with.
   *
   * @param token the token
   * @param dpop whether it came as {@code Authorization: DPoP}, so a DPoP proof must vouch for the sender
   */
  public record Credentials(String token, boolean dpop) {
    /** Never shows the token. */
    @Override
    public String toString() {
      return "Credentials[" + (dpop ? DPOP : BEARER) + "]";
    }
  }

  /**
   * Returns the token, or {@code null} when the request carries none.
   *
   * @throws InvalidRequestException when the request carries credentials in a malformed way
   */
  public String resolve(HttpRequestView request) {
    Credentials c = credentials(request);
    return c == null ? null : c.token();
  }

  /**
   * Returns the token with its scheme, or {@code null} when the request carries none.
   *
   * @throws InvalidRequestException when the request carries credentials in a malformed way
   */
  public Credentials credentials(HttpRequestView request) {
    Credentials c = credentialsBeforeSyntaxCheck(request);
    if (c != null) {
      checkSyntax(c.token());
    }
    return c;
  }

  /**
   * As {@link #credentials}, without the {@code b64token} check of the token itself ({@link #checkSyntax}): the header
   * and query are judged, the token is not. For a caller that answers a token its verified-token cache holds (which
   * keeps none outside the syntax) and runs {@link #checkSyntax} before anything else is done with the token.
   *
   * @throws InvalidRequestException when the request carries credentials in a malformed way
   */
  public Credentials credentialsBeforeSyntaxCheck(HttpRequestView request) {
    Credentials fromHeader = fromHeaders(request.headers("Authorization"));
    if (!allowQueryToken) {
      return fromHeader;
    }
    List<String> query = request.queryParameters(QUERY_PARAMETER);
    if (query.isEmpty()) {
      return fromHeader;
    }
    if (fromHeader != null) {
      throw new InvalidRequestException("the token was sent both in the Authorization header and in the query; use one");
    }
    if (query.size() > 1) {
      throw new InvalidRequestException("the access_token query parameter appears " + query.size() + " times; expected once");
    }
    return new Credentials(query.get(0), false);
  }

  private static final String BEARER = "Bearer";
  private static final String DPOP = "DPoP";

  /**
   * Whether an {@code Authorization} value claims the Bearer scheme (whatever follows): what a host's CSRF protection
   * may skip, since such a request is authenticated by its token or refused, never by a cookie.
   */
  public static boolean isBearer(String authorization) {
    return authorization != null && authorization.regionMatches(true, 0, BEARER + " ", 0, BEARER.length() + 1);
  }

  /**
   * A token as a person pastes it (into {@code tokenguard check} or a diagnostics page): surrounding blanks and a leading
   * {@code Bearer } scheme, in any case, removed. Not for requests: {@link #resolve} judges those.
   */
  public static String pasted(String text) {
    String value = text == null ? "" : text.strip();
    return isBearer(value) ? value.substring(BEARER.length() + 1).strip() : value;
  }

  private Credentials fromHeaders(List<String> values) {
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw new InvalidRequestException("the request has " + values.size() + " Authorization headers; expected one");
    }
    String value = values.get(0);
    if (value == null || value.isBlank()) {
      return null;
    }
    int end = 0;
    while (end < value.length() && isTokenChar(value.charAt(end)) && value.charAt(end) != '=') {
      end++;
    }
    String scheme = end == BEARER.length() && value.regionMatches(true, 0, BEARER, 0, end) ? BEARER
        : acceptDpop && end == DPOP.length() && value.regionMatches(true, 0, DPOP, 0, end) ? DPOP : null;
    if (scheme == null) {
      return null; // another scheme: not ours to judge
    }
    int start = end; // indices, not substrings: the token is copied once
    while (start < value.length() && value.charAt(start) == ' ') {
      start++;
    }
    if (start == value.length()) {
      throw new InvalidRequestException("the " + scheme + " credentials are empty; expected '" + scheme + " <token>'");
    }
    if (start == end) {
      throw new InvalidRequestException("expected a space after the " + scheme + " scheme");
    }
    return new Credentials(value.substring(start), scheme == DPOP);
  }

  /**
   * Refuses a token outside RFC 6750's {@code b64token} syntax ({@link TokenSyntax}), naming the first character that
   * breaks it.
   *
   * @throws InvalidRequestException when it is empty, holds a character the syntax does not allow, or is several tokens
   */
  public static void checkSyntax(String token) {
    if (token.isEmpty()) {
      throw new InvalidRequestException("the bearer token is empty");
    }
    int i = TokenSyntax.firstRefused(token);
    if (i >= 0) {
      char c = token.charAt(i);
      if (c == ' ' || c == ',') {
        throw new InvalidRequestException("the request carries several bearer tokens; expected exactly one");
      }
      throw new InvalidRequestException("the bearer token contains a character not allowed by RFC 6750 ("
          + (c >= 0x21 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c)) + ")");
    }
  }

  private static boolean isTokenChar(char c) {
    return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={} ".indexOf(c) < 0;
  }
}
