package dev.tokenguard.it.webflux.app;

import dev.tokenguard.observe.TokenGuardListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.TokenCheck;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The Spring Boot WebFlux application (Netty) the scenario catalogue runs against: TokenGuard from
 * {@code tokenguard.*} only, handlers using {@code @AuthenticationPrincipal}, reactive {@code @RequiresPermission}
 * and {@code @PreAuthorize}.
 */
@SpringBootApplication
public class WebFluxCatalogueApplication {

  /** The thread on which each verified-token cache hit was read, for {@code EventLoopNeverBlocksTest}. */
  public static final List<String> CACHE_HIT_THREADS = new CopyOnWriteArrayList<>();

  @Bean
  TokenGuardListener cacheHitThreads() {
    return new TokenGuardListener() {
      @Override
      public void tokenCacheLookup(boolean hit) {
        if (hit) {
          CACHE_HIT_THREADS.add(Thread.currentThread().getName());
        }
      }
    };
  }

  /** The application's own check, added to the built-in ones: tokens of one tenant are refused. */
  @Bean
  TokenCheck tenantCheck() {
    return principal -> {
      if ("blocked-tenant".equals(principal.claims().get("tenant"))) {
        throw new InvalidTokenException("the tenant 'blocked-tenant' may not call this API");
      }
    };
  }
}
