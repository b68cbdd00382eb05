package dev.tokenguard.spring;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.http.Decision;
import dev.tokenguard.http.Outcome;
import java.nio.charset.StandardCharsets;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * TokenGuard in a WebFlux security chain: what needs no I/O (path firewall, public paths, token resolution, a token the
 * verified-token cache holds, {@link TokenGuard#completeWithoutBlocking}) is decided on the event loop; validation and
 * user lookup, which may fetch keys or call the user API, run on {@link Schedulers#boundedElastic()} so no event-loop
 * thread ever blocks, and the exchange then continues on its event loop again ({@link EventLoops}), where Reactor Netty
 * expects the response to be completed. A refusal is written as core's outcome; an accepted caller continues as a
 * {@link TokenGuardAuthentication} in the reactive security context (and as the exchange attribute {@link
 * TokenPrincipal#ATTRIBUTE}). Authorities go through the application context's {@code GrantedAuthoritiesMapper} and its
 * {@code AuthenticationEventPublisher} hears of successes and failures ({@link SpringCallers}), both looked up once, on
 * the first request.
 */
public final class TokenGuardWebFilter implements WebFilter {
  private static final MediaType JSON = MediaType.parseMediaType(Outcome.CONTENT_TYPE + ";charset=UTF-8");
  private final TokenGuard guard;
  private final TokenGuard.Mode mode;
  private final Scheduler blocking;
  private volatile SpringCallers callers;

  /**
   * @param guard decides
   * @param mode whether TokenGuard decides about requests without a token or the chain's {@code authorizeExchange} does
   */
  public TokenGuardWebFilter(TokenGuard guard, TokenGuard.Mode mode) {
    this(guard, mode, Schedulers.boundedElastic());
  }

  TokenGuardWebFilter(TokenGuard guard, TokenGuard.Mode mode, Scheduler blocking) {
    this.guard = guard;
    this.mode = mode;
    this.blocking = blocking;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    TokenGuard.Preflight pre = guard.preflight(new ServerRequestView(exchange.getRequest()), mode);
    Decision now = guard.completeWithoutBlocking(pre);
    Mono<Decision> decision = now != null ? Mono.just(now)
        : EventLoops.backOnto(exchange.getRequest(),
            Mono.fromCallable(() -> guard.complete(pre)).subscribeOn(blocking));
    return decision.flatMap(d -> {
      SpringCallers spring = callers(exchange);
      if (d instanceof Decision.Deny deny) {
        spring.refused(deny.cause(), exchange.getRequest().getRemoteAddress());
        return write(deny.response(), exchange.getResponse());
      }
      TokenPrincipal principal = d.principal().orElse(null);
      if (principal == null) {
        return chain.filter(exchange); // a public path, or anonymous for the chain to decide
      }
      exchange.getAttributes().put(TokenPrincipal.ATTRIBUTE, principal);
      return chain.filter(exchange).contextWrite(ReactiveSecurityContextHolder.withAuthentication(spring.accepted(principal)));
    }).onErrorResume(e -> (e instanceof AccessDeniedException || e instanceof AuthenticationException)
        && !exchange.getResponse().isCommitted(), e -> refusal(e, exchange));
  }

  /**
   * A security refusal from further down ({@link RequiresPermission} on a handler) that no exception translation
   * answered (a chain without {@code authorizeExchange} has none; Spring's translation only takes access denials):
   * core's outcome, 401 without a caller, 403 with one, rather than a 500.
   */
  private Mono<Void> refusal(Throwable e, ServerWebExchange exchange) {
    boolean anonymous = e instanceof AuthenticationException || exchange.getAttribute(TokenPrincipal.ATTRIBUTE) == null;
    return write(anonymous ? TokenGuardHandlers.missing(guard) : TokenGuardHandlers.denied(guard, e), exchange.getResponse());
  }

  /** Who decides about requests without a token. */
  TokenGuard.Mode mode() {
    return mode;
  }

  private SpringCallers callers(ServerWebExchange exchange) {
    SpringCallers known = callers;
    if (known == null) {
      ApplicationContext context = exchange.getApplicationContext();
      known = context == null ? new SpringCallers(guard, null, null) : SpringCallers.of(guard, context);
      callers = known;
    }
    return known;
  }

  /** Writes {@code outcome}: status, headers, JSON body. */
  static Mono<Void> write(Outcome outcome, ServerHttpResponse response) {
    response.setStatusCode(HttpStatusCode.valueOf(outcome.status()));
    outcome.headers().forEach(response.getHeaders()::set);
    byte[] body = outcome.body().getBytes(StandardCharsets.UTF_8);
    response.getHeaders().setContentType(JSON);
    response.getHeaders().setContentLength(body.length);
    DataBuffer buffer = response.bufferFactory().wrap(body);
    return response.writeWith(Mono.just(buffer));
  }
}
