package dev.tokenguard.quarkus;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What is decided when the application is built: whether TokenGuard is in it at all, and its Dev Services. The keys
 * TokenGuard's core reads are {@link TokenGuardRuntimeConfig}'s.
 */
@ConfigMapping(prefix = "quarkus.tokenguard")
@ConfigRoot(phase = ConfigPhase.BUILD_TIME)
public interface TokenGuardBuildTimeConfig {

  /**
   * Whether TokenGuard protects the application. {@code false} leaves out its authentication mechanism and beans (the
   * build warns): nothing is then checked by TokenGuard, and {@code issuer} is not needed.
   */
  @WithDefault("true")
  boolean enabled();

  /** {@code quarkus.tokenguard.devservices.*}. */
  DevServices devservices();

  /** Dev Services: an embedded dev issuer in dev and test mode. */
  interface DevServices {
    /**
     * In dev and test mode, when neither {@code quarkus.tokenguard.issuer} nor an issuer block is configured, start an
     * embedded dev issuer on 127.0.0.1 and configure TokenGuard against it ({@code issuer}, and {@code audience}
     * {@code tokenguard-dev} unless set). Never in prod mode.
     */
    @WithDefault("true")
    boolean enabled();

    /** The dev issuer's port; 0 takes a free one. */
    @WithDefault("0")
    int port();
  }
}
