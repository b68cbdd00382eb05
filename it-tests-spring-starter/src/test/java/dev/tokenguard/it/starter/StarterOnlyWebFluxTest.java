package dev.tokenguard.it.starter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.it.starter.reactive.ReactiveOrdersApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;

/** {@link StarterOnlyTest} on WebFlux (Netty): the same starter, properties and results, a handler returning {@code Mono}. */
class StarterOnlyWebFluxTest extends StarterOnlyTest {
  @Override
  SpringApplication application() {
    SpringApplication application = new SpringApplication(ReactiveOrdersApplication.class);
    application.setWebApplicationType(WebApplicationType.REACTIVE);
    return application;
  }

  @Test
  void itIsAReactiveApplication() {
    assertThat(app.getClass().getName()).contains("Reactive");
  }
}
