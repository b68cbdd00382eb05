package dev.tokenguard.quarkus.deployment;

import dev.tokenguard.quarkus.ForbiddenOutcomeMapper;
import dev.tokenguard.quarkus.TokenGuardAuthenticationMechanism;
import dev.tokenguard.quarkus.TokenGuardBuildTimeConfig;
import dev.tokenguard.quarkus.TokenGuardDecidesEveryRequest;
import dev.tokenguard.quarkus.TokenGuardHealthCheck;
import dev.tokenguard.quarkus.TokenGuardMetricsProducer;
import dev.tokenguard.quarkus.TokenGuardIdentityProvider;
import dev.tokenguard.quarkus.TokenGuardProducer;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import io.quarkus.bootstrap.classloading.QuarkusClassLoader;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.AdditionalIndexedClassesBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.smallrye.health.deployment.spi.HealthBuildItem;
import io.quarkus.vertx.http.runtime.VertxHttpBuildTimeConfig;

/** Wires TokenGuard's runtime beans; all logic lives in the runtime module and in TokenGuard's core. */
class TokenGuardProcessor {
  static final String FEATURE = "tokenguard";
  private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(TokenGuardProcessor.class);

  /**
   * Another extension that authenticates bearer tokens ({@code quarkus-oidc}, {@code quarkus-smallrye-jwt}) beside
   * TokenGuard: both mechanisms would answer the same requests, so which one decides is not obvious. Said at build.
   */
  private static void warnOfAnotherBearerMechanism(Capabilities capabilities) {
    List<String> others = new ArrayList<>();
    if (capabilities.isPresent(Capability.OIDC)) {
      others.add("quarkus-oidc");
    }
    if (capabilities.isPresent(Capability.JWT)) {
      others.add("quarkus-smallrye-jwt");
    }
    if (!others.isEmpty()) {
      LOG.warnf("TokenGuard and %s both authenticate bearer tokens in this application: remove one, or choose per "
          + "path with quarkus.http.auth.permission.<name>.auth-mechanism", String.join(" and ", others));
    }
  }

  /**
   * The feature; the build also says here (a step every build runs) when TokenGuard is turned off, or when another
   * bearer mechanism is present.
   */
  @BuildStep
  FeatureBuildItem feature(Capabilities capabilities, TokenGuardBuildTimeConfig config) {
    if (!config.enabled()) {
      LOG.warn("quarkus.tokenguard.enabled=false: TokenGuard checks nothing in this application");
    } else {
      warnOfAnotherBearerMechanism(capabilities);
    }
    return new FeatureBuildItem(FEATURE);
  }

  /** Whether TokenGuard is in the application ({@code quarkus.tokenguard.enabled}). */
  static final class Enabled implements BooleanSupplier {
    private final TokenGuardBuildTimeConfig config;

    Enabled(TokenGuardBuildTimeConfig config) {
      this.config = config;
    }

    @Override
    public boolean getAsBoolean() {
      return config.enabled();
    }
  }

  @BuildStep(onlyIf = Enabled.class)
  AdditionalBeanBuildItem beans() {
    return AdditionalBeanBuildItem.builder()
        .addBeanClasses(TokenGuardProducer.class, TokenGuardAuthenticationMechanism.class, TokenGuardIdentityProvider.class)
        .setUnremovable()
        .build();
  }

  /** {@link TokenGuardDecidesEveryRequest} when authentication is lazy ({@code quarkus.http.auth.proactive=false}). */
  @BuildStep(onlyIf = Enabled.class)
  void lazyAuthentication(VertxHttpBuildTimeConfig http, BuildProducer<AdditionalBeanBuildItem> beans) {
    if (!http.auth().proactive()) {
      beans.produce(AdditionalBeanBuildItem.unremovableOf(TokenGuardDecidesEveryRequest.class));
    }
  }

  @BuildStep(onlyIf = Enabled.class)
  void restIntegration(Capabilities capabilities, BuildProducer<AdditionalIndexedClassesBuildItem> indexed) {
    if (capabilities.isPresent(Capability.REST)) {
      indexed.produce(new AdditionalIndexedClassesBuildItem(ForbiddenOutcomeMapper.class.getName()));
    }
  }

  /**
   * For a native image: Caffeine builds its caches from generated classes found by name and created through method
   * handles ({@code com.github.benmanes.caffeine.cache.SSMSA} and the like; their fields through var handles), so each
   * is registered for reflection (constructors and fields). Nothing else of TokenGuard needs reflection: JSON is
   * parsed to maps (Nimbus' and TokenGuard's own parsers), HTTP is the JDK client, no class is found by name.
   * Untested until a native build runs (README).
   */
  @BuildStep(onlyIf = Enabled.class)
  ReflectiveClassBuildItem caffeineGeneratedClasses() throws IOException, URISyntaxException {
    List<String> generated = new ArrayList<>();
    Path jar = Path.of(com.github.benmanes.caffeine.cache.Caffeine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (FileSystem zip = FileSystems.newFileSystem(jar); Stream<Path> files = Files.list(zip.getPath("com/github/benmanes/caffeine/cache"))) {
      files.map(f -> f.getFileName().toString()).filter(n -> n.matches("[A-Z]+\\.class"))
          .forEach(n -> generated.add("com.github.benmanes.caffeine.cache." + n.substring(0, n.length() - ".class".length())));
    }
    return ReflectiveClassBuildItem.builder(generated.toArray(String[]::new)).constructors().fields().build();
  }

  /** Meters with {@code quarkus-micrometer}, the readiness check with {@code quarkus-smallrye-health}. */
  @BuildStep(onlyIf = Enabled.class)
  void observability(Capabilities capabilities, BuildProducer<AdditionalBeanBuildItem> beans, BuildProducer<HealthBuildItem> health) {
    // io.quarkus.metrics is provided by quarkus-micrometer (Quarkus 3 has no other metrics extension); the class
    // check keeps a hypothetical other provider from loading a producer that needs Micrometer
    if (capabilities.isPresent(Capability.METRICS)
        && QuarkusClassLoader.isClassPresentAtRuntime("io.micrometer.core.instrument.MeterRegistry")) {
      beans.produce(AdditionalBeanBuildItem.unremovableOf(TokenGuardMetricsProducer.class));
    }
    if (capabilities.isPresent(Capability.SMALLRYE_HEALTH)) {
      // registered the way Quarkus' own extensions do it, so quarkus.smallrye-health.extensions.enabled=false
      // (for example to keep a JWKS outage out of readiness) turns it off
      health.produce(new HealthBuildItem(TokenGuardHealthCheck.class.getName(), true));
    }
  }
}
