package dev.tokenguard.it.starter.reactive;

import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.spring.RequiresPermission;
import java.util.List;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The README's Spring quick start on WebFlux: the starter, two properties and {@code @RequiresPermission} on a {@code Mono}. */
@SpringBootApplication
public class ReactiveOrdersApplication {

  @RestController
  static class OrdersController {
    @GetMapping("/api/orders")
    @RequiresPermission("orders:read")
    Mono<List<String>> orders(@AuthenticationPrincipal TokenPrincipal caller) {
      return Mono.just(List.of("order-1 for " + caller.getName()));
    }
  }
}
