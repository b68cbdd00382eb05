package dev.tokenguard.it.spring.routes;

import dev.tokenguard.it.oracle.Route;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The route-oracle application: TokenGuard from {@code tokenguard.*} only, routing by Spring's own mappings (the same on Spring MVC and WebFlux). */
@SpringBootApplication
public class RouteApplication {

  /** One handler per {@link Route}; HEAD follows the GET mappings, as Spring MVC and WebFlux do by themselves. */
  @RestController
  static class Routes {
    @RequestMapping("/api/admin/**")
    ResponseEntity<String> admin() {
      return served(Route.ADMIN);
    }

    @RequestMapping("/api/orders/{id}")
    ResponseEntity<String> order(@PathVariable("id") String id) {
      return served(Route.ORDER);
    }

    @RequestMapping("/api/orders/{id}:cancel")
    ResponseEntity<String> cancel(@PathVariable("id") String id) {
      return served(Route.CANCEL);
    }

    @RequestMapping("/api/users/@me/**")
    ResponseEntity<String> me() {
      return served(Route.ME);
    }

    @GetMapping("/api/reports/**")
    ResponseEntity<String> reports() {
      return served(Route.REPORTS);
    }

    @RequestMapping("/api/reports/**")
    ResponseEntity<String> reportsWrite() {
      return served(Route.REPORTS_WRITE);
    }

    @RequestMapping("/public/**")
    ResponseEntity<String> open() {
      return served(Route.PUBLIC);
    }

    @RequestMapping("/**")
    ResponseEntity<String> other() {
      return served(Route.OTHER);
    }

    private static ResponseEntity<String> served(Route route) {
      return ResponseEntity.ok().header(Route.HEADER, route.headerValue()).body(route.headerValue());
    }
  }
}
