package dev.tokenguard.servlet;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenGuardConfigException;
import dev.tokenguard.TokenPrincipal;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Protects a servlet application with bearer tokens. Configured entirely by init-params in web.xml, with the
 * same keys as every TokenGuard adapter ({@code issuer}, {@code audience}, {@code public-paths},
 * {@code rule.<name>.paths}, ...; values may be {@code ${env:NAME}}):
 *
 * <pre>{@code
 * <filter>
 *   <filter-name>tokenguard</filter-name>
 *   <filter-class>dev.tokenguard.servlet.TokenGuardFilter</filter-class>
 *   <init-param><param-name>issuer</param-name><param-value>https://idp.example.com/</param-value></init-param>
 *   <init-param><param-name>audience</param-name><param-value>https://api.example.com</param-value></init-param>
 * </filter>
 * <filter-mapping>
 *   <filter-name>tokenguard</filter-name>
 *   <url-pattern>/*</url-pattern>
 *   <dispatcher>REQUEST</dispatcher>
 *   <dispatcher>ASYNC</dispatcher>
 *   <dispatcher>ERROR</dispatcher>
 * </filter-mapping>
 * }</pre>
 *
 * Or programmatically: {@code new TokenGuardFilter(config)} or {@code new TokenGuardFilter(guard)}.
 *
 * <p>On a {@code REQUEST} dispatch the filter asks core for a decision and either writes the outcome (401, 400,
 * 403 or 503 with {@code WWW-Authenticate} or {@code Retry-After} and a small JSON body) or continues with a
 * request whose {@code getUserPrincipal()} is the {@link TokenPrincipal}; the principal is also stored as the
 * request attribute {@link #PRINCIPAL_ATTRIBUTE}. Later {@code ASYNC}, {@code FORWARD}, {@code INCLUDE} and
 * {@code ERROR} dispatches of the same request reuse that principal without validating again, and pass through
 * untouched when the request had none (a public path). The filter never creates an HTTP session. A
 * configuration mistake fails {@link #init} (and so the deployment) with a message naming the key.
 */
public class TokenGuardFilter implements Filter {
  /** The request attribute holding the {@link TokenPrincipal} of an accepted request. */
  public static final String PRINCIPAL_ATTRIBUTE = TokenPrincipal.ATTRIBUTE;
  /**
   * The request attribute holding the path an accepted request was judged on (decoded, within the application):
   * what a gateway forwards, so that the upstream serves exactly the path that was authorized.
   */
  public static final String PATH_ATTRIBUTE = "dev.tokenguard.path";
  /** What {@code getAuthType()} answers for an accepted request. */
  public static final String AUTH_TYPE = "BEARER";

  private TokenGuard guard;
  private boolean ownsGuard;
  private final TokenGuardConfig presetConfig;

  /** For web.xml: configured from init-params in {@link #init}. */
  public TokenGuardFilter() {
    this.presetConfig = null;
  }

  /** Configured programmatically; the filter creates and closes its own {@link TokenGuard}. */
  public TokenGuardFilter(TokenGuardConfig config) {
    this.presetConfig = config;
  }

  /** Sharing an existing {@link TokenGuard}, which the filter does not close. */
  public TokenGuardFilter(TokenGuard guard) {
    this.presetConfig = null;
    this.guard = guard;
  }

  @Override
  public void init(FilterConfig filterConfig) throws ServletException {
    if (guard != null) {
      return;
    }
    try {
      TokenGuardConfig config = presetConfig != null ? presetConfig : TokenGuardConfig.fromProperties(initParameters(filterConfig));
      guard = TokenGuard.create(config);
      ownsGuard = true;
    } catch (TokenGuardConfigException e) {
      throw new ServletException("TokenGuard filter '" + filterConfig.getFilterName() + "': " + e.getMessage(), e);
    }
  }

  private static Map<String, String> initParameters(FilterConfig filterConfig) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String name : Collections.list(filterConfig.getInitParameterNames())) {
      params.put(name, filterConfig.getInitParameter(name));
    }
    return params;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    if (request.getDispatcherType() != DispatcherType.REQUEST) {
      Object decided = request.getAttribute(PRINCIPAL_ATTRIBUTE);
      chain.doFilter(decided instanceof TokenPrincipal p ? new TokenPrincipalRequest(request, p, guard) : request, response);
      return;
    }
    java.util.Optional<ServletGate.Admitted> admitted = ServletGate.admit(guard, request, response);
    if (admitted.isPresent()) {
      chain.doFilter(admitted.get().request(), response);
    }
  }

  /** The {@link TokenGuard} in use, for applications that want to reuse it (health checks, lookups). */
  public TokenGuard tokenGuard() {
    return guard;
  }

  @Override
  public void destroy() {
    if (ownsGuard && guard != null) {
      guard.close();
    }
  }
}
