package dev.tokenguard.bench;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.spring.TokenGuardWebFlux;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * LoadTest's WebFlux scenario: one Reactor Netty server, one tiny handler, reached three ways: {@code /open/}
 * without a security chain, {@code /tokenguard/} through a {@code SecurityWebFilterChain} with TokenGuard deciding
 * ({@link TokenGuardWebFlux#deciding}, validation off the event loop), {@code /spring/} through Spring Security's
 * reactive resource server ({@code oauth2ResourceServer().jwt()} with {@link NimbusReactiveJwtDecoder}, the same
 * checks as the servlet scenario, {@code anyExchange().authenticated()}). Both chains are built by
 * {@code ServerHttpSecurity} with its defaults, as an application gets them.
 */
final class WebFluxLoad {
  private WebFluxLoad() {}

  static void run(String jwksUri, TokenGuardConfig config, int warmup, int seconds, int rounds, int connections,
      String token) throws Exception {
    TokenGuard guard = TokenGuard.create(config);
    ServerHttpSecurity tg = ServerHttpSecurity.http()
        .securityMatcher(ServerWebExchangeMatchers.pathMatchers("/tokenguard/**"))
        .authorizeExchange(a -> a.anyExchange().permitAll())
        .csrf(c -> c.disable());
    TokenGuardWebFlux.deciding(guard).customize(tg);
    SecurityWebFilterChain tokenGuardChain = tg.build();

    NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(jwksUri).build();
    decoder.setJwtValidator(ValidationBenchmark.springValidator());
    SecurityWebFilterChain springChain = ServerHttpSecurity.http()
        .securityMatcher(ServerWebExchangeMatchers.pathMatchers("/spring/**"))
        .authorizeExchange(a -> a.anyExchange().authenticated())
        .oauth2ResourceServer(o -> o.jwt(j -> j.jwtDecoder(decoder)))
        .build();

    byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
    HttpHandler handler = WebHttpHandlerBuilder.webHandler(exchange -> {
      exchange.getResponse().getHeaders().setContentType(MediaType.TEXT_PLAIN);
      exchange.getResponse().getHeaders().setContentLength(hello.length);
      return exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(hello)));
    }).filter(new WebFilterChainProxy(tokenGuardChain, springChain)).build();
    DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
        .handle(new ReactorHttpHandlerAdapter(handler)).bindNow();
    try {
      Map<String, String> paths = new LinkedHashMap<>();
      paths.put("WebFlux, no authentication", "/open/hello");
      paths.put("WebFlux, TokenGuard", "/tokenguard/hello");
      paths.put("WebFlux, Spring resource server", "/spring/hello");
      Map<String, List<LoadTest.Stats>> byScenario = new LinkedHashMap<>();
      for (int r = 0; r < rounds; r++) {
        for (Map.Entry<String, String> p : paths.entrySet()) {
          byScenario.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add(LoadTest.run(server.port(), warmup, seconds,
              new LoadTest.Group(p.getValue(), () -> token, connections, 200)).get(0));
        }
      }
      System.out.printf(Locale.ROOT, "%nWebFlux on Reactor Netty (%d connections)%n", connections);
      double open = LoadTest.median(byScenario.get("WebFlux, no authentication")).rps();
      for (Map.Entry<String, List<LoadTest.Stats>> e : byScenario.entrySet()) {
        LoadTest.Stats m = LoadTest.median(e.getValue());
        System.out.printf(Locale.ROOT, "%-34s %10.0f %9d %9d %8d %8.3f%n", e.getKey(), m.rps(), m.p50Micros(),
            m.p99Micros(), m.errors(), m.rps() / open);
      }
      System.out.printf(Locale.ROOT, "TokenGuard / Spring resource server on WebFlux: %.3f%n",
          LoadTest.median(byScenario.get("WebFlux, TokenGuard")).rps()
              / LoadTest.median(byScenario.get("WebFlux, Spring resource server")).rps());
    } finally {
      server.disposeNow();
      guard.close();
    }
  }
}
