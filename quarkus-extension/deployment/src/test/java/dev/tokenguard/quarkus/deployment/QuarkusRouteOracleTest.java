package dev.tokenguard.quarkus.deployment;

import dev.tokenguard.it.TestIdentityProviders;
import dev.tokenguard.it.oracle.RouteOracle;
import io.quarkus.test.QuarkusUnitTest;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The route oracle against a Quarkus application whose JAX-RS resources route with Quarkus REST's own matching,
 * TokenGuard configured by {@code quarkus.tokenguard.*} only. The servers' ports are reserved before Quarkus starts,
 * as in {@link QuarkusCatalogueTest} ({@link TestApp#ports()}).
 */
class QuarkusRouteOracleTest extends RouteOracle {

  @RegisterExtension
  static final QuarkusUnitTest QUARKUS = configure(new QuarkusUnitTest()
      .withApplicationRoot(jar -> jar.addClasses(RouteResource.class, TestApp.class)));

  static QuarkusUnitTest configure(QuarkusUnitTest test) {
    test.overrideConfigKey("quarkus.http.test-port", "0");
    oracleProperties(TestIdentityProviders.appProperties(TestApp.ports(), TestApp.oidcHost()))
        .forEach((k, v) -> test.overrideConfigKey("quarkus.tokenguard." + k, v));
    return test;
  }

  @Override
  protected TestIdentityProviders identityProviders() {
    return new TestIdentityProviders(TestApp.ports());
  }

  @Override
  protected String startApp(Map<String, String> tokenGuardProperties) {
    return "http://127.0.0.1:" + ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
  }

  @Override
  protected void stopApp() {
    // QuarkusUnitTest stops the application
  }
}
