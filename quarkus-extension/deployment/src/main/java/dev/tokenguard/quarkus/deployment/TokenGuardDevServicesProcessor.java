package dev.tokenguard.quarkus.deployment;

import dev.tokenguard.devissuer.DevIssuer;
import dev.tokenguard.quarkus.TokenGuardBuildTimeConfig;
import io.quarkus.deployment.IsNormal;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.DevServicesResultBuildItem;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Dev Services for TokenGuard: in dev and test mode (never in prod: {@code IsNormal}), with no issuer configured, an
 * embedded dev issuer ({@link DevIssuer}, ES256 keys made at start, discovery, JWKS, {@code POST /token}) on 127.0.0.1,
 * and TokenGuard configured against it, the way Keycloak's Dev Services configure {@code quarkus-oidc}.
 */
class TokenGuardDevServicesProcessor {
  private static final Logger LOG = Logger.getLogger(TokenGuardDevServicesProcessor.class);
  static final String ISSUER = "quarkus.tokenguard.issuer";
  static final String AUDIENCE = "quarkus.tokenguard.audience";

  @BuildStep(onlyIfNot = IsNormal.class)
  DevServicesResultBuildItem devIssuer(TokenGuardBuildTimeConfig config) {
    Config current = ConfigProvider.getConfig();
    if (!config.enabled() || !config.devservices().enabled() || issuerConfigured(current)) {
      return null;
    }
    Map<String, Function<DevIssuerStartable, String>> provided = new LinkedHashMap<>();
    provided.put(ISSUER, DevIssuerStartable::getConnectionInfo);
    if (current.getOptionalValue(AUDIENCE, String.class).isEmpty()) {
      provided.put(AUDIENCE, issuer -> DevIssuer.AUDIENCE);
    }
    return DevServicesResultBuildItem.<DevIssuerStartable>owned()
        .feature(TokenGuardProcessor.FEATURE)
        .serviceName("tokenguard-dev-issuer")
        .serviceConfig(config.devservices().port())
        .startable(() -> new DevIssuerStartable(config.devservices().port()))
        .postStartHook(issuer -> LOG.infof("Dev Services for TokenGuard: a dev issuer at %s (tokens: POST %s/token with"
            + " a JSON object of claims, or DevIssuerClient.token in tests); never in prod mode",
            issuer.getConnectionInfo(), issuer.getConnectionInfo()))
        .configProvider(provided)
        .build();
  }

  /** Whether the application names an issuer: {@code issuer}, or an issuer block {@code issuers.<name>.url}. */
  static boolean issuerConfigured(Config config) {
    if (config.getOptionalValue(ISSUER, String.class).filter(v -> !v.isBlank()).isPresent()) {
      return true;
    }
    for (String name : config.getPropertyNames()) {
      if (name.startsWith("quarkus.tokenguard.issuers.") && name.endsWith(".url")) {
        return true;
      }
    }
    return false;
  }
}
