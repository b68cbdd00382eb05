package dev.tokenguard.http;

import java.util.List;

/**
 * What TokenGuard needs to know about an HTTP request, implemented by each adapter over its own request type.
 * Headers and parameters are as received.
 *
 * <p>The path comes twice, so that TokenGuard judges what the host routes: {@link #rawPath()} as it arrived (for
 * the firewall of {@link RequestPaths}, which refuses every spelling hosts could read in
 * different ways) and, where the host cuts a prefix before routing, {@link #routedPath()} as the host routes
 * it. Rules and public paths are matched against the routed path, or against the decoded raw path when there is
 * none.
 */
public interface HttpRequestView {

  /** The HTTP method, such as {@code GET}. */
  String method();

  /**
   * The path of the request target exactly as received: not percent-decoded, not normalised, with the context or
   * root path, without the query string (for a servlet: {@code getRequestURI()}).
   */
  String rawPath();

  /**
   * The percent-decoded path within the application that the host routes on, when the host removes a prefix
   * (for a servlet: {@code getServletPath() + getPathInfo()}, the context path already removed by the
   * container); {@code null} (the default) when the host routes on the whole decoded raw path.
   */
  default String routedPath() {
    return null;
  }

  /**
   * The prefix the host cut from the raw path before routing, as the host reports it (for a servlet:
   * {@code getContextPath()}); {@code ""} (the default) when there is none. The raw path must start with it
   * literally: a context spelled another way ({@code /%61pp} for {@code /app}) is refused, since hosts and
   * frameworks disagree on it (Spring's own path parsing fails on Jetty).
   */
  default String contextPath() {
    return "";
  }

  /**
   * The origin the request was addressed to, {@code scheme://host[:port]}, as the host reports it (for a servlet:
   * {@code getScheme()}, {@code getServerName()}, {@code getServerPort()}, which the container's forwarded-header
   * handling may have set from a proxy's headers); what a DPoP proof's {@code htu} is compared with unless
   * {@code dpop.origins} are configured. {@code null} (the default) when the host cannot tell. Form it with
   * {@link dev.tokenguard.BindingSettings#origin}.
   */
  default String origin() {
    return null;
  }

  /**
   * The client certificate of the TLS connection the request came on (mutual TLS), or {@code null} (the default)
   * when there is none or the host terminates no TLS itself.
   */
  default java.security.cert.X509Certificate clientCertificate() {
    return null;
  }

  /**
   * The IP address of the peer that sent the request (a proxy, when there is one), as a literal; {@code null} (the
   * default) when unknown. Only {@code mtls.trusted-proxies} are believed about the client certificate.
   */
  default String remoteAddress() {
    return null;
  }

  /** Every value of the named header (case-insensitive name), in order; empty when absent. */
  List<String> headers(String name);

  /** Every value of the named query-string parameter, decoded; empty when absent. */
  List<String> queryParameters(String name);
}
