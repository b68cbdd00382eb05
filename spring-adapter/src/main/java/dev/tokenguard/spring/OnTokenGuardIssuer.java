package dev.tokenguard.spring;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * TokenGuard is configured when an issuer is: {@code tokenguard.issuer} (the shorthand) or any
 * {@code tokenguard.issuers.<name>.*} block, in any property source and spelling Spring binds.
 */
final class OnTokenGuardIssuer extends SpringBootCondition {
  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
    String why = configured(Binder.get(context.getEnvironment()));
    return why != null ? ConditionOutcome.match(why)
        : ConditionOutcome.noMatch("neither tokenguard.issuer nor tokenguard.issuers.<name>.* is set");
  }

  /**
   * Why TokenGuard is configured, or {@code null} when it is not: {@code tokenguard.issuer} as one value, a comma
   * list or a YAML list ({@code issuer[0]}), or any issuer block.
   */
  static String configured(Binder binder) {
    if (binder.bind("tokenguard.issuer", Bindable.listOf(String.class)).map(l -> l.stream().anyMatch(i -> !i.isBlank()))
        .orElse(false)) {
      return "tokenguard.issuer is set";
    }
    boolean blocks = binder.bind("tokenguard.issuers", Bindable.mapOf(String.class, TokenGuardProperties.Issuers.class))
        .map(Map::size).orElse(0) > 0;
    return blocks ? "tokenguard.issuers.* is set" : null;
  }
}
