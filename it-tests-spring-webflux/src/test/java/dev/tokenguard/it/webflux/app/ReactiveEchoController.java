package dev.tokenguard.it.webflux.app;

import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.it.EchoResponse;
import dev.tokenguard.rules.PathRule;
import dev.tokenguard.spring.RequiresPermission;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Echoes the caller as a WebFlux application sees it (reactive security context, exchange), with the annotations under test. */
@RestController
public class ReactiveEchoController {

  @RequestMapping(path = {"/api/**", "/public/**"}, produces = MediaType.APPLICATION_JSON_VALUE)
  public Mono<String> echo(ServerWebExchange exchange) {
    return render(exchange, "REQUEST");
  }

  /** Produced on another thread: the subscriber's context still carries the caller. */
  @GetMapping(path = "/api/async", produces = MediaType.APPLICATION_JSON_VALUE)
  public Mono<String> async(ServerWebExchange exchange) {
    return Mono.delay(java.time.Duration.ofMillis(5), Schedulers.parallel()).then(render(exchange, "ASYNC"));
  }

  @GetMapping(path = "/api/fail")
  public Mono<String> fail() {
    return Mono.error(new IllegalStateException("the application failed"));
  }

  /** The WebFlux counterpart of a servlet error page: the error response still sees the caller. */
  @ExceptionHandler(IllegalStateException.class)
  public Mono<ResponseEntity<String>> failed(ServerWebExchange exchange) {
    return render(exchange, "ERROR").map(body -> ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
        .contentType(MediaType.APPLICATION_JSON).body(body));
  }

  @GetMapping(path = "/api/annotated/requires", produces = MediaType.APPLICATION_JSON_VALUE)
  @RequiresPermission("orders:write")
  public Mono<String> requires(ServerWebExchange exchange) {
    return render(exchange, "REQUEST");
  }

  @GetMapping(path = "/api/annotated/any", produces = MediaType.APPLICATION_JSON_VALUE)
  @RequiresPermission(value = {"orders:write", "orders:admin"}, match = PathRule.Match.ANY)
  public Mono<String> any(ServerWebExchange exchange) {
    return render(exchange, "REQUEST");
  }

  @GetMapping(path = "/api/annotated/stream", produces = MediaType.APPLICATION_NDJSON_VALUE)
  @RequiresPermission("orders:write")
  public Flux<String> stream() {
    return Flux.just("a", "b");
  }

  @GetMapping(path = "/api/annotated/preauthorize", produces = MediaType.APPLICATION_JSON_VALUE)
  @PreAuthorize("hasAuthority('orders:write')")
  public Mono<String> preAuthorize(ServerWebExchange exchange) {
    return render(exchange, "REQUEST");
  }

  /** The caller as a handler argument, plain and as a {@code Mono}. */
  @GetMapping(path = "/api/principal", produces = MediaType.TEXT_PLAIN_VALUE)
  public Mono<String> principal(@AuthenticationPrincipal TokenPrincipal caller,
      @AuthenticationPrincipal Mono<TokenPrincipal> later) {
    return later.map(p -> caller.getName() + " " + p.subject());
  }

  static Mono<String> render(ServerWebExchange exchange, String dispatch) {
    Mono<java.util.Optional<Authentication>> auth = ReactiveSecurityContextHolder.getContext()
        .map(c -> java.util.Optional.ofNullable(c.getAuthentication())).defaultIfEmpty(java.util.Optional.empty());
    Mono<Boolean> session = exchange.getSession().map(s -> s.isStarted());
    return Mono.zip(auth, session).map(t -> {
      Authentication a = t.getT1().orElse(null);
      Object principal = a == null ? null : a.getPrincipal();
      Set<String> authorities = a == null ? Set.of()
          : a.getAuthorities().stream().map(GrantedAuthority::getAuthority).collect(Collectors.toSet());
      return EchoResponse.render(exchange.getRequest().getPath().value(), dispatch,
          principal instanceof TokenPrincipal p ? p : null, a == null ? null : a.getName(),
          a == null ? null : "BEARER", role -> authorities.contains("ROLE_" + role),
          exchange.getAttribute(TokenPrincipal.ATTRIBUTE), t.getT2());
    });
  }
}
