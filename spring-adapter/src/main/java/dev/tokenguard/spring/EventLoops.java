package dev.tokenguard.spring;

import java.util.concurrent.Executor;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.ClassUtils;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Brings work done off the event loop back onto the Reactor Netty event loop that serves the exchange, so the
 * response is written and the exchange completes on that loop, as if nothing had left it. Completing an exchange from
 * another thread lets the client read the whole response and send its next keep-alive request before Reactor Netty
 * has terminated the exchange; Reactor Netty (1.3.6 and 1.3.7, reactor/reactor-netty#4361) then buffers that
 * request, and if it is answered synchronously on the loop it never reads from the connection again.
 * On other servers (or without Reactor Netty) the work is returned unchanged.
 */
final class EventLoops {
  private static final boolean REACTOR_NETTY =
      ClassUtils.isPresent("reactor.netty.Connection", EventLoops.class.getClassLoader());

  private EventLoops() {}

  /** {@code offLoop}, delivering its signals on the event loop of {@code request}'s connection when there is one. */
  static <T> Mono<T> backOnto(ServerHttpRequest request, Mono<T> offLoop) {
    Executor loop = REACTOR_NETTY ? ReactorNetty.loopOf(request) : null;
    return loop == null ? offLoop : offLoop.publishOn(Schedulers.fromExecutor(loop));
  }

  /** Touches Reactor Netty's classes only when they are present. */
  private static final class ReactorNetty {
    static Executor loopOf(ServerHttpRequest request) {
      Object nativeRequest;
      try {
        nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
      } catch (IllegalArgumentException notAServerRequest) {
        return null;
      }
      return nativeRequest instanceof reactor.netty.Connection connection ? connection.channel().eventLoop() : null;
    }
  }
}
