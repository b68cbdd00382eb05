package dev.tokenguard.http;

import dev.tokenguard.InvalidRequestException;
import dev.tokenguard.internal.Echo;
import java.util.Collection;
import java.util.List;

/**
 * The request a proxy asks about in forward authentication (nginx {@code auth_request}, Caddy {@code forward_auth},
 * Traefik ForwardAuth): the proxy sends a request of its own that carries the original request's headers
 * ({@code Authorization} among them) and names the original method and URI in headers of one of two conventions:
 * <ul>
 *   <li>{@code X-Original-Method} and {@code X-Original-URI} (nginx: the configuration sets them from
 *       {@code $request_method} and {@code $request_uri});</li>
 *   <li>{@code X-Forwarded-Method} and {@code X-Forwarded-Uri} (Caddy and Traefik set them themselves).</li>
 * </ul>
 * The proxy overwrites the headers of its own convention, so a client cannot choose them; a client that adds the
 * other convention's headers makes the request ambiguous, and it is refused (400), as is a request that names no
 * original request, names it twice, with a method that is not an HTTP token or a URI that is not a path. The path is
 * then judged by {@link RequestPaths} exactly as a direct request's. A request that carries a header the gateway
 * sets ({@link IdentityHeaders#reserved}, in any spelling) is refused too: in forward authentication the proxy, not
 * TokenGuard, forwards the client's headers, and cannot be relied on to remove them.
 */
public final class ForwardedRequest implements HttpRequestView {
  /** The header pairs (method, URI) of the conventions. */
  static final List<List<String>> CONVENTIONS = List.of(List.of("X-Original-Method", "X-Original-URI"),
      List.of("X-Forwarded-Method", "X-Forwarded-Uri"));
  private static final int MAX_METHOD = 32;

  private final HttpRequestView proxyRequest;
  private final String method;
  private final String path;
  private final String query;

  private ForwardedRequest(HttpRequestView proxyRequest, String method, String path, String query) {
    this.proxyRequest = proxyRequest;
    this.method = method;
    this.path = path;
    this.query = query;
  }

  /**
   * The original request {@code proxyRequest} asks about.
   *
   * @param headerNames the names of every header of {@code proxyRequest}, as received
   * @param identity the identity headers the gateway sets: a request carrying one of them is refused
   * @throws InvalidRequestException when the proxy's headers do not name exactly one original request, or the
   *     request carries a header only the gateway may set
   */
  public static ForwardedRequest of(HttpRequestView proxyRequest, Collection<String> headerNames, IdentityHeaders identity) {
    for (String name : headerNames) {
      if (identity.reserved(name)) {
        throw new InvalidRequestException("the request carries the header " + Echo.printable(name)
            + ", which only the gateway sets");
      }
    }
    List<String> convention = null;
    for (List<String> c : CONVENTIONS) {
      if (!proxyRequest.headers(c.get(0)).isEmpty() || !proxyRequest.headers(c.get(1)).isEmpty()) {
        if (convention != null) {
          throw new InvalidRequestException("the request names the original request twice (" + convention.get(1)
              + " and " + c.get(1) + ")");
        }
        convention = c;
      }
    }
    if (convention == null) {
      throw new InvalidRequestException("the proxy did not name the original request (X-Original-Method and"
          + " X-Original-URI, or X-Forwarded-Method and X-Forwarded-Uri)");
    }
    String method = one(proxyRequest, convention.get(0));
    if (method.isEmpty() || method.length() > MAX_METHOD || !method.chars().allMatch(ForwardedRequest::tokenChar)) {
      throw new InvalidRequestException("the original method (" + convention.get(0) + ") is not an HTTP method");
    }
    String uri = one(proxyRequest, convention.get(1));
    if (!uri.startsWith("/") || uri.indexOf('#') >= 0) {
      throw new InvalidRequestException("the original URI (" + convention.get(1) + ") is not a path");
    }
    int q = uri.indexOf('?');
    return new ForwardedRequest(proxyRequest, method, q < 0 ? uri : uri.substring(0, q), q < 0 ? null : uri.substring(q + 1));
  }

  private static String one(HttpRequestView request, String name) {
    List<String> values = request.headers(name);
    if (values.size() != 1) {
      throw new InvalidRequestException("expected one " + name + " header, but found " + values.size());
    }
    return values.get(0);
  }

  /** RFC 9110 token characters: a method is a token. */
  private static boolean tokenChar(int c) {
    return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String rawPath() {
    return path;
  }

  /** The original request's headers are the proxy request's: it carries them. */
  @Override
  public List<String> headers(String name) {
    return proxyRequest.headers(name);
  }

  /**
   * The origin of the original request, from the proxy's {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} (Caddy
   * and Traefik send them; nginx when configured to), each exactly once; else {@code null}, and a proof's {@code htu}
   * can then only name one of {@code dpop.origins}.
   */
  @Override
  public String origin() {
    List<String> proto = proxyRequest.headers("X-Forwarded-Proto");
    List<String> host = proxyRequest.headers("X-Forwarded-Host");
    if (proto.size() != 1 || host.size() != 1) {
      return null;
    }
    return dev.tokenguard.BindingSettings.origin(proto.get(0).strip(), host.get(0).strip());
  }

  /** None: the TLS connection is the proxy's; a proxy passes the client's certificate in a header. */
  @Override
  public java.security.cert.X509Certificate clientCertificate() {
    return null;
  }

  /** The proxy's address. */
  @Override
  public String remoteAddress() {
    return proxyRequest.remoteAddress();
  }

  @Override
  public List<String> queryParameters(String name) {
    return QueryStrings.values(query, name);
  }
}
