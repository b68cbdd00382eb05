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
import org.springframework.security.core.context.SecurityContextHolder;

/** Enforces {@link RequiresPermission} before the method runs; the decision itself is core's. */
final class RequiresPermissionInterceptor implements MethodInterceptor {
  private final ObjectProvider<TokenGuard> guard;
  private final Map<MethodClassKey, Optional<RequiresPermission>> found = new ConcurrentHashMap<>();

  RequiresPermissionInterceptor(ObjectProvider<TokenGuard> guard) {
    this.guard = guard;
  }

  @Override
  public Object invoke(MethodInvocation invocation) throws Throwable {
    RequiresPermission required = find(invocation);
    if (required != null) {
      Authentication authentication = SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication();
      if (!(authentication instanceof TokenGuardAuthentication tg)) {
        throw new AuthenticationCredentialsNotFoundException("a bearer token is required");
      }
      try {
        guard.getObject().requirePermissions(tg.getPrincipal(), List.of(required.value()), required.match());
      } catch (InsufficientPermissionException e) {
        throw new PermissionDeniedException(e.getMessage(), e.required());
      }
    }
    return invocation.proceed();
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
