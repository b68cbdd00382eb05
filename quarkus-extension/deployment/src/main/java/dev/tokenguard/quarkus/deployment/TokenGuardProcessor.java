package dev.tokenguard.quarkus.deployment;

import dev.tokenguard.quarkus.ForbiddenOutcomeMapper;
import dev.tokenguard.quarkus.TokenGuardAuthenticationMechanism;
import dev.tokenguard.quarkus.TokenGuardIdentityProvider;
import dev.tokenguard.quarkus.TokenGuardProducer;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.AdditionalIndexedClassesBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;

/** Wires TokenGuard's runtime beans; all logic lives in the runtime module and in TokenGuard's core. */
class TokenGuardProcessor {
  private static final String FEATURE = "tokenguard";

  @BuildStep
  FeatureBuildItem feature() {
    return new FeatureBuildItem(FEATURE);
  }

  @BuildStep
  AdditionalBeanBuildItem beans() {
    return AdditionalBeanBuildItem.builder()
        .addBeanClasses(TokenGuardProducer.class, TokenGuardAuthenticationMechanism.class, TokenGuardIdentityProvider.class)
        .setUnremovable()
        .build();
  }

  @BuildStep
  void restIntegration(Capabilities capabilities, BuildProducer<AdditionalIndexedClassesBuildItem> indexed) {
    if (capabilities.isPresent(Capability.REST)) {
      indexed.produce(new AdditionalIndexedClassesBuildItem(ForbiddenOutcomeMapper.class.getName()));
    }
  }
}
