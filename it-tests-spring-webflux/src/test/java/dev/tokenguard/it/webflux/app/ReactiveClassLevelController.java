package dev.tokenguard.it.webflux.app;

import dev.tokenguard.spring.RequiresPermission;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** {@link RequiresPermission} on the class: every method needs it. */
@RestController
@RequiresPermission("reports:read")
public class ReactiveClassLevelController {

  @GetMapping(path = "/api/reports", produces = MediaType.APPLICATION_JSON_VALUE)
  public Mono<String> reports(ServerWebExchange exchange) {
    return ReactiveEchoController.render(exchange, "REQUEST");
  }
}
