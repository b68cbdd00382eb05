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
    Binder binder = Binder.get(context.getEnvironment());
    if (binder.bind("tokenguard.issuer", String.class).isBound()) {
      return ConditionOutcome.match("tokenguard.issuer is set");
    }
    boolean blocks = binder.bind("tokenguard.issuers", Bindable.mapOf(String.class, TokenGuardProperties.Issuers.class))
        .map(Map::size).orElse(0) > 0;
    return blocks ? ConditionOutcome.match("tokenguard.issuers.* is set")
        : ConditionOutcome.noMatch("neither tokenguard.issuer nor tokenguard.issuers.<name>.* is set");
  }
}
