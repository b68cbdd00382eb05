package dev.tokenguard.it.starter.mvc;

import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.spring.RequiresPermission;
import java.util.List;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The README's Spring quick start: the starter, two properties and {@code @RequiresPermission}. */
@SpringBootApplication
public class OrdersApplication {

  @RestController
  static class OrdersController {
    @GetMapping("/api/orders")
    @RequiresPermission("orders:read")
    List<String> orders(@AuthenticationPrincipal TokenPrincipal caller) {
      return List.of("order-1 for " + caller.getName());
    }
  }
}
