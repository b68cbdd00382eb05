package dev.tokenguard.spring;

import dev.tokenguard.rules.PathRule;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The caller must hold these permissions (from the token's {@code permissions-claims}, plus the user profile's
 * when {@code user-lookup.merge-authorities}): all of them by default, or one with {@code match = ANY}. On a class
 * it applies to every method; a method's own annotation replaces the class's. A caller without them gets 403
 * {@code insufficient_scope} with {@code scope="..."} naming them; an anonymous caller gets 401.
 *
 * <pre>{@code
 * @GetMapping("/users")
 * @RequiresPermission("read:users")
 * List<User> users() { ... }
 * }</pre>
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface RequiresPermission {

  /** The required permissions. */
  String[] value();

  /** Whether all permissions are required ({@code ALL}, the default) or one is enough ({@code ANY}). */
  PathRule.Match match() default PathRule.Match.ALL;
}
