package dev.tokenguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.TokenGuardConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A bad {@code tokenguard.*} value stops start-up with Spring Boot's report naming the property: one Spring cannot
 * read as its type ({@code clock-skew=soon}) in Spring's own bind failure, one core refuses (out of range) here.
 */
class TokenGuardFailureAnalyzerTest {
  @Test
  void theReportNamesTheSpringPropertyAndTheProblem() {
    TokenGuardProperties properties = TokenGuardPropertiesParityTest.bind(Map.of("issuer", "https://idp.example.com", "clock-skew", "1h"));
    Throwable failure = catchBeanFailure(properties);

    FailureAnalysis analysis = new TokenGuardFailureAnalyzer().analyze(new IllegalStateException("bean creation", failure));

    assertThat(analysis.getDescription()).isEqualTo("The property tokenguard.clock-skew is invalid: must be at most 10m, but was 1h");
    assertThat(analysis.getAction()).contains("Fix tokenguard.clock-skew");
  }

  private static Throwable catchBeanFailure(TokenGuardProperties properties) {
    try {
      new TokenGuardAutoConfiguration().tokenGuard(properties, new EmptyProvider<>(), new EmptyProvider<>()).close();
    } catch (IllegalStateException e) {
      assertThat(e).hasMessageStartingWith("tokenguard.clock-skew: must be at most 10m")
          .hasCauseInstanceOf(TokenGuardConfigException.class);
      return e;
    }
    throw new AssertionError("a bad clock-skew was accepted");
  }

  @Test
  void otherFailuresAreNotAnalysed() {
    assertThat(new TokenGuardFailureAnalyzer().analyze(new IllegalStateException("something else"))).isNull();
  }

  /** An {@code ObjectProvider} with no beans. */
  private static final class EmptyProvider<T> implements org.springframework.beans.factory.ObjectProvider<T> {
    @Override
    public T getObject(Object... args) {
      throw new UnsupportedOperationException();
    }

    @Override
    public T getIfAvailable() {
      return null;
    }

    @Override
    public T getIfUnique() {
      return null;
    }

    @Override
    public T getObject() {
      throw new UnsupportedOperationException();
    }

    @Override
    public java.util.stream.Stream<T> orderedStream() {
      return java.util.stream.Stream.empty();
    }
  }
}
