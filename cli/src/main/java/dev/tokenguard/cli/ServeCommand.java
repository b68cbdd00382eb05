package dev.tokenguard.cli;

import dev.tokenguard.devissuer.DevIssuer;
import dev.tokenguard.InvalidRequestException;
import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenGuardConfigException;
import dev.tokenguard.http.RequestPaths;
import dev.tokenguard.observe.TokenGuardMetrics;
import dev.tokenguard.servlet.ForwardAuthServlet;
import dev.tokenguard.servlet.TokenGuardFilter;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.io.PrintStream;
import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tokenguard serve}: embedded Jetty with TokenGuard's servlet filter in front of the built-in sample API
 * or, with {@code --upstream}, of another application (identity headers added, spoofed ones removed, exactly the
 * judged path forwarded). Without an {@code issuer} (on a loopback address, without {@code --upstream}) or with
 * {@code --dev}, an embedded development issuer mints tokens so the whole flow can be tried at once. {@code /metrics} (Prometheus) and {@code /health} are the gateway's own, public, and never
 * proxied. With {@code --upstream}, {@code paths.case-insensitive} defaults to true: rules then also hold for an
 * upstream that routes {@code /API/Admin} like {@code /api/admin}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run TokenGuard as a gateway (--upstream) or in front of its sample API.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Mixin
  ConfigOptions configuration;

  @Option(names = "--upstream", paramLabel = "URL", description = "Proxy accepted requests to this application.")
  String upstream;

  @Option(names = "--forward-auth", arity = "0..1", fallbackValue = GatewayServlet.FORWARD_AUTH, paramLabel = "PATH",
      description = "Answer forward-authentication requests of nginx auth_request, Caddy forward_auth or Traefik"
          + " ForwardAuth at PATH (default: " + GatewayServlet.FORWARD_AUTH + "); with or without --upstream.")
  String forwardAuth;

  @Option(names = "--admin-port", paramLabel = "PORT", description = "Serve /metrics and /health (with details) on this"
      + " port of --admin-host only; the traffic port then proxies those paths like any other. Without it they are on the"
      + " traffic port and /health tells anonymous callers the status alone.")
  Integer adminPort;

  @Option(names = "--admin-host", defaultValue = "127.0.0.1", description = "Address of --admin-port (default: ${DEFAULT-VALUE}).")
  String adminHost;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "Listen with TLS (HTTP/2 and HTTP/1.1): the certificate"
      + " chain in PEM, leaf first; read again when it changes.")
  java.nio.file.Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "The certificate's private key, PKCS#8 PEM (BEGIN PRIVATE KEY).")
  java.nio.file.Path tlsKey;

  @Option(names = "--tls-client-ca", paramLabel = "FILE", description = "Ask TLS clients for a certificate issued by one of"
      + " these CAs (PEM); clients without one are let in, but a token bound to a certificate (cnf.x5t#S256) needs it.")
  java.nio.file.Path tlsClientCa;

  @Option(names = "--dev", description = "Run the development issuer, which mints tokens for anyone who asks (implied"
      + " when no issuer is configured, without --upstream, on a loopback address).")
  boolean dev;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    Server server = new Server();
    TlsListener tls;
    try {
      tls = TlsListener.of(tlsCert, tlsKey, tlsClientCa);
    } catch (TokenGuardConfigException e) {
      System.err.println("tokenguard: configuration error: " + e.getMessage());
      return TokenGuardCli.EXIT_CONFIG;
    }
    ServerConnector connector = tls == null ? new ServerConnector(server) : tls.connector(server);
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    ServerConnector admin = null;
    if (adminPort != null) {
      admin = new ServerConnector(server);
      admin.setName("admin");
      admin.setHost(adminHost);
      admin.setPort(adminPort);
      server.addConnector(admin);
      connector.setName("traffic");
    }
    Gateway gateway;
    try {
      Map<String, String> props = configuration.load();
      boolean devIssuer = Gateway.devIssuer(props, host, upstream != null || forwardAuth != null, dev); // before listening anywhere
      if (devIssuer && tls != null) {
        throw new TokenGuardConfigException("--tls-cert", "cannot be used with the development issuer, which fetches its own"
            + " keys from the gateway without TLS; configure an issuer, or try the development issuer without TLS");
      }
      connector.open();
      if (admin != null) {
        admin.open();
      }
      gateway = Gateway.configure(props, tls == null ? "http" : "https", host, connector.getLocalPort(), upstream, forwardAuth,
          admin != null, devIssuer);
    } catch (TokenGuardConfigException e) {
      System.err.println("tokenguard: configuration error: " + e.getMessage());
      connector.close();
      return TokenGuardCli.EXIT_CONFIG;
    } catch (java.io.IOException e) {
      System.err.println("tokenguard: cannot listen on " + host + ":" + port + (admin == null ? "" : " and " + adminHost + ":"
          + adminPort) + ": " + e.getMessage());
      connector.close();
      return TokenGuardCli.EXIT_CONFIG;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    TokenGuard guard = TokenGuard.builder(gateway.config()).listener(new TokenGuardMetrics(registry)).build();
    ServletContextHandler context = new ServletContextHandler("/");
    context.addFilter(new FilterHolder(new TokenGuardFilter(guard)), "/*", EnumSet.of(DispatcherType.REQUEST));
    GatewaySettings settings = gateway.settings();
    HttpServlet target = upstream != null ? new IdentityProxyServlet(settings.identity(), settings.forwardAuthorization())
        : forwardAuth != null ? new NotFoundServlet() : new SampleApiServlet();
    AdminEndpoints endpoints = new AdminEndpoints(guard, registry, admin != null);
    ServletHolder front = new ServletHolder(new GatewayServlet(admin == null ? endpoints : null, gateway.devIssuer(),
        forwardAuth == null ? null : new ForwardAuthServlet(guard, settings.identity()), forwardAuth, target));
    if (upstream != null) {
      front.setInitParameter("proxyTo", upstream);
      front.setInitParameter("prefix", "/");
    }
    context.addServlet(front, "/*");
    if (admin == null) {
      server.setHandler(context);
    } else { // each port its own context: nothing of the admin port is reachable on the traffic port, nor the other way
      context.setVirtualHosts(List.of("@traffic"));
      ServletContextHandler adminContext = new ServletContextHandler("/");
      adminContext.setVirtualHosts(List.of("@admin"));
      adminContext.addServlet(new ServletHolder(new AdminServlet(endpoints)), "/*");
      server.setHandler(new org.eclipse.jetty.server.Handler.Sequence(context, adminContext));
    }
    server.start();
    if (tls != null) {
      tls.watch();
    }
    out.println("TokenGuard gateway listening on " + gateway.baseUrl() + (upstream != null ? " -> " + upstream
        : forwardAuth != null ? "" : " (sample API)") + (forwardAuth == null ? "" : ", forward authentication at "
        + gateway.baseUrl() + forwardAuth) + (admin == null ? "" : ", metrics and health on http://"
        + (adminHost.contains(":") ? "[" + adminHost + "]" : adminHost) + ":" + admin.getLocalPort()));
    if (gateway.devIssuer() != null) {
      if (upstream != null || forwardAuth != null || !Gateway.isLoopback(host)) {
        System.err.println("tokenguard: WARNING: the development issuer mints tokens for anyone who can reach "
            + gateway.baseUrl() + "/dev/token" + (upstream != null ? ", and " + upstream + " accepts them"
            : forwardAuth != null ? ", and the proxy asking " + forwardAuth + " accepts them" : ""));
      }
      gateway.printDevWalkthrough(out);
    }
    out.flush();
    server.join();
    return 0;
  }

  /** The configuration of one gateway: TokenGuard keys plus the gateway's own defaults. */
  record Gateway(TokenGuardConfig config, GatewaySettings settings, DevIssuer devIssuer, String baseUrl) {

    /**
     * Whether the development issuer runs: with {@code --dev}, or when no issuer is configured at all (neither
     * {@code issuer} nor an {@code issuers.<name>} block), the gateway protects no application ({@code --upstream},
     * {@code --forward-auth}) and listens on a loopback address. A blank issuer (an unset variable) is a
     * mistake, never a request for the development issuer.
     *
     * @throws TokenGuardConfigException when the combination cannot start safely
     */
    static boolean devIssuer(Map<String, String> props, String host, boolean protectsAnApplication, boolean dev) {
      if (props.containsKey("issuer") && props.get("issuer").isBlank()) {
        throw new TokenGuardConfigException("issuer", "is set but blank (an unset environment variable?): set the"
            + " trusted issuer URL(s), or leave the key out to try TokenGuard with its development issuer");
      }
      boolean issuerGiven = props.containsKey("issuer")
          || props.keySet().stream().anyMatch(k -> k.startsWith(TokenGuardConfig.ISSUER_BLOCKS));
      if (issuerGiven) {
        if (dev) {
          throw new TokenGuardConfigException("--dev", "runs the development issuer, which a configured issuer excludes;"
              + " remove --dev or the issuer");
        }
        return false;
      }
      if (!dev && protectsAnApplication) {
        throw new TokenGuardConfigException("issuer", "is required with --upstream or --forward-auth: the development issuer would let"
            + " anyone mint tokens that the application accepts; set the issuer, or pass --dev to try the gateway with it");
      }
      if (!dev && !isLoopback(host)) {
        throw new TokenGuardConfigException("issuer", "is required on " + host + ": the development issuer mints tokens"
            + " for anyone who can reach it; set the issuer, or pass --dev to run it there anyway");
      }
      return true;
    }

    /** Whether {@code host} is a loopback address, as the connector will resolve it to listen there. */
    static boolean isLoopback(String host) {
      try {
        return java.net.InetAddress.getByName(host).isLoopbackAddress();
      } catch (java.net.UnknownHostException e) {
        return true; // nothing can listen there: the connector's own error names the host
      }
    }

    static Gateway configure(Map<String, String> props, String scheme, String host, int port, String upstream,
        String forwardAuth, boolean adminPort, boolean devIssuer) {
      if (forwardAuth != null) {
        try {
          if (!forwardAuth.startsWith("/") || !forwardAuth.equals(RequestPaths.decode(forwardAuth))
              || forwardAuth.contains("*")) {
            throw new TokenGuardConfigException("--forward-auth", "expected a plain path such as " + GatewayServlet.FORWARD_AUTH
                + ", but was '" + forwardAuth + "'");
          }
        } catch (InvalidRequestException e) {
          throw new TokenGuardConfigException("--forward-auth", "expected a plain path such as " + GatewayServlet.FORWARD_AUTH
              + ", but was '" + forwardAuth + "' (" + e.getMessage() + ")");
        }
      }
      GatewaySettings settings = GatewaySettings.take(props);
      if (upstream != null) {
        URI u;
        try {
          u = URI.create(upstream);
        } catch (IllegalArgumentException e) {
          throw new TokenGuardConfigException("--upstream", "expected an http(s) URL, but was '" + upstream + "'");
        }
        if (u.getHost() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
          throw new TokenGuardConfigException("--upstream", "expected an http(s) URL, but was '" + upstream + "'");
        }
      }
      String urlHost = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host;
      String baseUrl = scheme + "://" + urlHost + ":" + port;
      DevIssuer dev = null;
      if (devIssuer) {
        dev = new DevIssuer(baseUrl + "/dev");
        props.put("issuer", dev.issuer());
        props.put("jwks-uri", "http://127.0.0.1:" + port + "/dev/jwks");
        props.putIfAbsent("audience", DevIssuer.AUDIENCE);
        if (props.keySet().stream().noneMatch(k -> k.startsWith("rule."))) {
          props.put("rule.admin.paths", "/api/admin/**");
          props.put("rule.admin.permissions", "admin");
        }
      }
      if (upstream != null || forwardAuth != null) {
        props.putIfAbsent("paths.case-insensitive", "true"); // the application's router is unknown: see README
      }
      String publicPaths = props.getOrDefault("public-paths", "/public/**")
          + (adminPort ? "" : "," + GatewayServlet.METRICS + "," + GatewayServlet.HEALTH) // else on the admin port only
          + (forwardAuth == null ? "" : "," + forwardAuth); // the endpoint judges the request it is asked about
      props.put("public-paths", dev == null ? publicPaths : publicPaths + "," + GatewayServlet.DEV + "/**");
      return new Gateway(TokenGuardConfig.fromProperties(props), settings, dev, baseUrl);
    }

    void printDevWalkthrough(PrintStream out) {
      String reader = devIssuer.mint(Map.of("sub", "alice", "scope", "api:read", "permissions", List.of("api:read")));
      String admin = devIssuer.mint(Map.of("sub", "root", "scope", "api:read", "permissions", List.of("api:read", "admin")));
      out.println("Dev issuer " + devIssuer.issuer() + " (active because no issuer is configured; audience "
          + DevIssuer.AUDIENCE + ", tokens valid " + DevIssuer.LIFETIME_SECONDS / 60 + " minutes)");
      out.println("READER_TOKEN=" + reader);
      out.println("ADMIN_TOKEN=" + admin);
      out.println("Try:");
      out.println("  curl -i " + baseUrl + "/public/health                                   # 200 without a token");
      out.println("  curl -i " + baseUrl + "/api/me                                          # 401");
      out.println("  curl -i -H \"Authorization: Bearer " + reader + "\" " + baseUrl + "/api/me   # 200");
      out.println("  curl -i -H \"Authorization: Bearer " + reader + "\" " + baseUrl + "/api/admin/stats   # 403: needs permission admin");
      out.println("  curl -i -H \"Authorization: Bearer " + admin + "\" " + baseUrl + "/api/admin/stats   # 200");
      out.println("  curl -s " + baseUrl + "/metrics | grep tokenguard_validations        # what was decided, by reason");
      out.println("  curl -s -X POST -d '{\"sub\":\"bob\",\"permissions\":[\"admin\"]}' " + baseUrl + "/dev/token   # mint another");
    }
  }
}
