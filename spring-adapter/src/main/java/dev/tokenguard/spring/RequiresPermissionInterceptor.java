package dev.tokenguard.spring;

import dev.tokenguard.InsufficientPermissionException;
import dev.tokenguard.TokenGuard;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Enforces {@link RequiresPermission} before the method runs; the decision itself is core's. In a servlet
 * application the caller is the thread's security context; in a reactive one it is the subscriber's
 * (Reactor context), so the method must return a {@code Mono} or {@code Flux} whose subscription waits for the check.
 */
final class RequiresPermissionInterceptor implements MethodInterceptor {
  private final ObjectProvider<TokenGuard> guard;
  private final ObjectProvider<SecurityContextHolderStrategy> holder;
  private final boolean reactive;
  private final Map<MethodClassKey, Optional<RequiresPermission>> found = new ConcurrentHashMap<>();

  /**
   * @param guard decides
   * @param holder the application's context holder strategy, when it defines one (Spring Security's filters use it)
   * @param reactive whether the application is a WebFlux one
   */
  RequiresPermissionInterceptor(ObjectProvider<TokenGuard> guard, ObjectProvider<SecurityContextHolderStrategy> holder,
      boolean reactive) {
    this.guard = guard;
    this.holder = holder;
    this.reactive = reactive;
  }

  @Override
  public Object invoke(MethodInvocation invocation) throws Throwable {
    RequiresPermission required = find(invocation);
    if (required == null) {
      return invocation.proceed();
    }
    if (reactive) {
      return Reactive.checkThenProceed(this, required, invocation);
    }
    check(required, holder.getIfUnique(SecurityContextHolder::getContextHolderStrategy).getContext().getAuthentication());
    return invocation.proceed();
  }

  /** Throws when {@code authentication} is not a TokenGuard caller holding {@code required}'s permissions. */
  void check(RequiresPermission required, Authentication authentication) {
    if (!(authentication instanceof TokenGuardAuthentication tg)) {
      throw new AuthenticationCredentialsNotFoundException("a bearer token is required");
    }
    try {
      guard.getObject().requirePermissions(tg.getPrincipal(), List.of(required.value()), required.match());
    } catch (InsufficientPermissionException e) {
      throw new PermissionDeniedException(e.getMessage(), e.required());
    }
  }

  /** The reactive path, in its own class so that servlet applications never load Reactor. */
  private static final class Reactive {
    static Object checkThenProceed(RequiresPermissionInterceptor interceptor, RequiresPermission required,
        MethodInvocation invocation) {
      Class<?> type = invocation.getMethod().getReturnType();
      Mono<Void> checked = ReactiveSecurityContextHolder.getContext()
          .map(c -> Optional.ofNullable(c.getAuthentication()))
          .defaultIfEmpty(Optional.empty())
          .doOnNext(a -> interceptor.check(required, a.orElse(null)))
          .then();
      Mono<Object> body = Mono.defer(() -> {
        try {
          return Mono.justOrEmpty(invocation.proceed());
        } catch (Throwable t) {
          return Mono.error(t);
        }
      });
      if (Mono.class.isAssignableFrom(type)) {
        return checked.then(body.flatMap(m -> (Mono<?>) m));
      }
      if (Flux.class.isAssignableFrom(type) || org.reactivestreams.Publisher.class.isAssignableFrom(type)) {
        return checked.thenMany(body.flatMapMany(p -> Flux.from((org.reactivestreams.Publisher<?>) p)));
      }
      throw new IllegalStateException("@RequiresPermission in a WebFlux application needs a method returning Mono or"
          + " Flux (the caller is known only to the subscriber): " + invocation.getMethod());
    }
  }

  /** The annotation in force for an invocation, looked up once per method and target class. */
  RequiresPermission find(MethodInvocation invocation) {
    Method method = invocation.getMethod();
    Class<?> target = invocation.getThis() == null ? method.getDeclaringClass() : AopUtils.getTargetClass(invocation.getThis());
    return found.computeIfAbsent(new MethodClassKey(method, target), k -> lookUp(method, target)).orElse(null);
  }

  static Optional<RequiresPermission> lookUp(Method method, Class<?> target) {
    Method specific = AopUtils.getMostSpecificMethod(method, target);
    RequiresPermission onMethod = AnnotatedElementUtils.findMergedAnnotation(specific, RequiresPermission.class);
    return Optional.ofNullable(onMethod != null ? onMethod : AnnotatedElementUtils.findMergedAnnotation(target, RequiresPermission.class));
  }
}
