package dev.tokenguard.spring;

import dev.tokenguard.TokenCheck;
import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenGuardConfigException;
import dev.tokenguard.http.Decision;
import dev.tokenguard.observe.TokenGuardListener;
import dev.tokenguard.observe.TokenGuardMetrics;
import dev.tokenguard.servlet.OutcomeWriter;
import dev.tokenguard.servlet.ServletRequestView;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.ReactiveAuthenticationManagerResolver;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Active when {@code tokenguard.issuer} is set: a {@link TokenGuard} bean from {@code tokenguard.*}, a default
 * stateless {@link SecurityFilterChain} (servlet) or {@link SecurityWebFilterChain} (WebFlux) with TokenGuard in it
 * (only when the application defines no chain of its own; see {@link TokenGuardConfigurer} and
 * {@link TokenGuardWebFlux} to put TokenGuard into yours, and the start-up report of those chains), method security
 * with {@link RequiresPermission} enforcement. Runs before Spring Boot's security auto-configuration, which then
 * backs off. A bad property stops start-up with a message naming it.
 */
@AutoConfiguration(beforeName = {
    "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
    "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
    "org.springframework.boot.autoconfigure.security.reactive.ReactiveSecurityAutoConfiguration",
    "org.springframework.boot.autoconfigure.security.reactive.ReactiveUserDetailsServiceAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.security.reactive.ReactiveManagementWebSecurityAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration"})
@org.springframework.context.annotation.Conditional(OnTokenGuardIssuer.class)
@EnableConfigurationProperties(TokenGuardProperties.class)
public class TokenGuardAutoConfiguration {

  /**
   * TokenGuard from {@code tokenguard.*}, with every {@link TokenCheck} bean added to the built-in checks (in
   * their order) and every {@link TokenGuardListener} bean told what it does (with Micrometer present,
   * {@link TokenGuardMetrics} is one); closed with the context.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public TokenGuard tokenGuard(TokenGuardProperties properties, ObjectProvider<TokenCheck> checks,
      ObjectProvider<TokenGuardListener> listeners) {
    try {
      TokenGuard.Builder builder = TokenGuard.builder(TokenGuardConfig.fromProperties(properties.toProperties()));
      checks.orderedStream().forEach(builder::addCheck);
      listeners.orderedStream().forEach(builder::listener);
      return builder.build();
    } catch (TokenGuardConfigException e) {
      // the message names Spring's property; TokenGuardFailureAnalyzer reports the cause the same way
      throw new IllegalStateException(TokenGuardFailureAnalyzer.property(e) + ": " + e.problem(), e);
    }
  }

  /**
   * TokenGuard's meters: a {@code MeterBinder} bean, which Spring Boot's metrics auto-configuration binds to the
   * application's registry (Actuator's {@code /actuator/metrics}, {@code /actuator/prometheus}).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
  static class MetricsWiring {
    @Bean
    @ConditionalOnMissingBean
    TokenGuardMetrics tokenGuardMetrics() {
      return new TokenGuardMetrics();
    }
  }

  /** The {@code tokenguard} health component (Spring Boot 4's health API); off with {@code management.health.tokenguard.enabled=false}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  @ConditionalOnProperty(prefix = "management.health.tokenguard", name = "enabled", matchIfMissing = true)
  static class HealthWiring {
    @Bean
    @ConditionalOnMissingBean(name = "tokenguardHealthIndicator")
    TokenGuardHealthIndicator tokenguardHealthIndicator(TokenGuard guard) {
      return new TokenGuardHealthIndicator(guard);
    }
  }

  /** The same component on Spring Boot 3.5 (its health API is in {@code org.springframework.boot.actuate.health}). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  @ConditionalOnMissingClass("org.springframework.boot.health.contributor.HealthIndicator")
  @ConditionalOnProperty(prefix = "management.health.tokenguard", name = "enabled", matchIfMissing = true)
  static class Boot3HealthWiring {
    @Bean
    @ConditionalOnMissingBean(name = "tokenguardHealthIndicator")
    TokenGuardBoot3HealthIndicator tokenguardHealthIndicator(TokenGuard guard) {
      return new TokenGuardBoot3HealthIndicator(guard);
    }
  }

  /** Spring Security wiring for servlet applications. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(SecurityFilterChain.class)
  @EnableWebSecurity
  @EnableMethodSecurity
  static class SecurityWiring {

    /** The default chain: stateless, TokenGuard decides, method security refines. */
    @Bean
    @ConditionalOnMissingBean(SecurityFilterChain.class)
    SecurityFilterChain tokenGuardSecurityFilterChain(HttpSecurity http) throws Exception {
      // CSRF off after the configurer, which only ignores it for bearer requests (for chains that also log users
      // in with cookies); before it, the configurer turned it back on and an anonymous POST got 403, not 401
      http.authorizeHttpRequests(a -> a.anyRequest().permitAll())
          .with(TokenGuardConfigurer.decidingAlone(), Customizer.withDefaults())
          .csrf(c -> c.disable());
      return http.build();
    }

    /**
     * TokenGuard's path firewall ahead of every other filter: Spring's own {@code ServletRequestPathFilter} runs
     * before Spring Security's chain and fails with 500 on some paths the firewall refuses ({@code //app/...}
     * on Tomcat, {@code /%61pp/...} on Jetty, under the context path {@code /app}); this answers them 400
     * {@code invalid_request} first, as TokenGuard's filter would.
     */
    @Bean
    FilterRegistrationBean<Filter> tokenGuardPathFirewall(TokenGuard guard) {
      Filter firewall = (req, res, chain) -> {
        Decision.Deny refused = req instanceof HttpServletRequest request && res instanceof HttpServletResponse
            ? guard.refuseAmbiguousPath(new ServletRequestView(request)) : null;
        if (refused != null) {
          OutcomeWriter.write(refused.response(), (HttpServletResponse) res);
        } else {
          chain.doFilter(req, res);
        }
      };
      FilterRegistrationBean<Filter> bean = new FilterRegistrationBean<>(firewall);
      bean.setOrder(Ordered.HIGHEST_PRECEDENCE);
      bean.setDispatcherTypes(DispatcherType.REQUEST);
      bean.setName("tokenGuardPathFirewall");
      return bean;
    }

    /**
     * TokenGuard's {@link TokenGuardAuthenticationManager} for chains using Spring's resource server
     * ({@code oauth2ResourceServer(o -> o.authenticationManagerResolver(...))}). Like Spring's own {@code JwtDecoder}
     * bean, it also makes Spring Boot's generated in-memory user (and its logged password) back off.
     */
    @Bean
    @ConditionalOnMissingBean(AuthenticationManagerResolver.class)
    AuthenticationManagerResolver<HttpServletRequest> tokenGuardAuthenticationManagerResolver(TokenGuard guard,
        ListableBeanFactory beans) {
      TokenGuardAuthenticationManager manager = new TokenGuardAuthenticationManager(guard, beans);
      return request -> manager;
    }

    /** Says at start-up which of the application's own chains run TokenGuard, when they replaced the default. */
    @Bean
    static SmartInitializingSingleton tokenGuardChainReport(ListableBeanFactory beans) {
      return () -> ChainReport.log(ChainReport.of(beans.getBeansOfType(SecurityFilterChain.class)));
    }

    /** Enforces {@link RequiresPermission} on methods and classes. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor tokenGuardRequiresPermissionAdvisor(ObjectProvider<TokenGuard> guard,
        ObjectProvider<SecurityContextHolderStrategy> holder) {
      return requiresPermissionAdvisor(guard, holder, false);
    }
  }

  /**
   * Spring Security wiring for WebFlux applications: the same decisions, validation and user lookup off the event
   * loop ({@link TokenGuardWebFilter}).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  @ConditionalOnClass(name = "org.springframework.security.web.server.SecurityWebFilterChain")
  @EnableWebFluxSecurity
  @EnableReactiveMethodSecurity
  static class ReactiveSecurityWiring {

    /** The default chain (only when the application defines none): stateless, TokenGuard decides. */
    @Bean
    @ConditionalOnMissingBean(SecurityWebFilterChain.class)
    SecurityWebFilterChain tokenGuardSecurityWebFilterChain(ServerHttpSecurity http, TokenGuard guard) {
      http.authorizeExchange(a -> a.anyExchange().permitAll());
      TokenGuardWebFlux.deciding(guard).customize(http);
      http.csrf(c -> c.disable()).httpBasic(b -> b.disable()).formLogin(f -> f.disable());
      return http.build();
    }

    /**
     * TokenGuard's path firewall around the whole application ({@code httpHandler}, the bean the server runs): with
     * {@code spring.webflux.base-path}, WebFlux's own context-path handler runs before any filter and fails with
     * 500 on some paths the firewall refuses ({@code /app;x=1/...}); this answers them 400 {@code invalid_request}
     * first, as the servlet {@code tokenGuardPathFirewall} does.
     */
    @Bean
    static BeanPostProcessor tokenGuardReactivePathFirewall(ObjectProvider<TokenGuard> guard, Environment environment) {
      String basePath = basePath(environment.getProperty("spring.webflux.base-path"));
      return new BeanPostProcessor() {
        @Override
        public Object postProcessAfterInitialization(Object bean, String name) {
          if (!(bean instanceof HttpHandler handler) || !"httpHandler".equals(name)) {
            return bean;
          }
          return (HttpHandler) (request, response) -> {
            if (outsideBasePath(request.getPath().value(), basePath)) {
              response.setStatusCode(HttpStatus.NOT_FOUND);
              return response.setComplete();
            }
            Decision.Deny refused = guard.getObject().refuseAmbiguousPath(new ServerRequestView(request));
            return refused != null ? TokenGuardWebFilter.write(refused.response(), response) : handler.handle(request, response);
          };
        }
      };
    }

    /** {@code spring.webflux.base-path} as Spring Boot applies it (leading slash, no trailing one), or {@code null}. */
    static String basePath(String property) {
      if (property == null || property.isBlank() || property.strip().equals("/")) {
        return null;
      }
      String p = property.strip().startsWith("/") ? property.strip() : "/" + property.strip();
      return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /**
     * A raw path that begins with the base path's characters but not with its whole segments ({@code /apple} under
     * {@code /app}): WebFlux's base-path handler matches it by prefix and then fails (500) setting the context path;
     * it belongs to no application, so 404.
     */
    static boolean outsideBasePath(String rawPath, String basePath) {
      return basePath != null && rawPath.startsWith(basePath) && rawPath.length() > basePath.length()
          && rawPath.charAt(basePath.length()) != '/';
    }

    /**
     * TokenGuard's {@link TokenGuardReactiveAuthenticationManager} for chains using Spring's reactive resource server;
     * it also makes Spring Boot's generated in-memory user back off, as the servlet one does.
     */
    @Bean
    @ConditionalOnMissingBean(ReactiveAuthenticationManagerResolver.class)
    ReactiveAuthenticationManagerResolver<ServerWebExchange> tokenGuardReactiveAuthenticationManagerResolver(
        TokenGuard guard, ListableBeanFactory beans) {
      Mono<ReactiveAuthenticationManager> manager = Mono.just(new TokenGuardReactiveAuthenticationManager(guard, beans));
      return exchange -> manager;
    }

    /** Says at start-up which of the application's own reactive chains run TokenGuard, when they replaced the default. */
    @Bean
    static SmartInitializingSingleton tokenGuardReactiveChainReport(ListableBeanFactory beans) {
      return () -> ChainReport.log(ChainReport.ofReactive(beans.getBeansOfType(SecurityWebFilterChain.class)));
    }

    /** Enforces {@link RequiresPermission} on methods returning {@code Mono} or {@code Flux}. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor tokenGuardReactiveRequiresPermissionAdvisor(ObjectProvider<TokenGuard> guard,
        ObjectProvider<SecurityContextHolderStrategy> holder) {
      return requiresPermissionAdvisor(guard, holder, true);
    }
  }

  static Advisor requiresPermissionAdvisor(ObjectProvider<TokenGuard> guard,
      ObjectProvider<SecurityContextHolderStrategy> holder, boolean reactive) {
    ComposablePointcut pointcut = new ComposablePointcut(new AnnotationMatchingPointcut(RequiresPermission.class, true))
        .union(new AnnotationMatchingPointcut(null, RequiresPermission.class, true));
    return new DefaultPointcutAdvisor(pointcut, new RequiresPermissionInterceptor(guard, holder, reactive));
  }
}
