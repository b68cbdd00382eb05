package dev.tokenguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.builder.Version;
import io.quarkus.maven.dependency.Dependency;
import io.quarkus.test.QuarkusUnitTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With {@code quarkus-smallrye-jwt} in the application too, the build says that two mechanisms take bearer tokens. */
class QuarkusAnotherBearerMechanismTest {
  @RegisterExtension
  static final QuarkusUnitTest QUARKUS = TestApp.echoApp("https://idp.example.com")
      .setForcedDependencies(List.of(Dependency.of("io.quarkus", "quarkus-smallrye-jwt", Version.getVersion())))
      .setLogRecordPredicate(r -> r.getLoggerName().startsWith("dev.tokenguard"))
      .assertLogRecords(records -> assertThat(records).anySatisfy(r -> {
        assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.WARNING);
        assertThat(r.getMessage()).startsWith("TokenGuard and %s both authenticate bearer tokens");
        assertThat(r.getParameters()).containsExactly("quarkus-smallrye-jwt");
      }));

  @Test
  void theBuildWarns() {
    // the assertion is in assertLogRecords
  }
}
