package dev.tokenguard.quarkus;

import dev.tokenguard.TokenGuard;
import dev.tokenguard.http.Decision;
import dev.tokenguard.http.Outcome;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.runtime.LaunchMode;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import java.util.Map;
import java.util.Set;

/**
 * TokenGuard as Quarkus' HTTP authentication mechanism. On the event loop it runs core's non-blocking
 * {@link TokenGuard#preflight preflight} (path normalisation, public paths, token resolution); a request with a
 * token goes to {@link TokenGuardIdentityProvider} on a worker. Every denial (401, 400, 403 from path rules, 503)
 * is written exactly as core's outcome, with its {@code WWW-Authenticate} or {@code Retry-After} and JSON body;
 * anonymous callers on public paths continue without an identity.
 */
@ApplicationScoped
public class TokenGuardAuthenticationMechanism implements HttpAuthenticationMechanism {
  private static final String OUTCOME = TokenGuardIdentityProvider.OUTCOME;

  @Inject
  TokenGuard guard;

  /** In dev mode, the Dev UI's path (its pages and JSON-RPC socket), which TokenGuard leaves alone; else null. */
  private String devUi;

  @PostConstruct
  void devUi() {
    if (LaunchMode.current() == LaunchMode.DEVELOPMENT) {
      Config config = ConfigProvider.getConfig();
      devUi = devUiPath(config.getOptionalValue("quarkus.http.root-path", String.class).orElse("/"),
          config.getOptionalValue("quarkus.http.non-application-root-path", String.class).orElse("q"));
    }
  }

  /** Where Quarkus serves the Dev UI: {@code dev-ui} under the non-application root (absolute, or under the root path). */
  static String devUiPath(String rootPath, String nonApplicationRoot) {
    String base = nonApplicationRoot.startsWith("/") ? nonApplicationRoot
        : (rootPath.endsWith("/") ? rootPath : rootPath + "/") + nonApplicationRoot;
    return (base.endsWith("/") ? base : base + "/") + "dev-ui";
  }

  @Override
  public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
    if (devUi != null && (context.normalizedPath().equals(devUi) || context.normalizedPath().startsWith(devUi + "/"))) {
      return Uni.createFrom().nullItem(); // dev mode only: the Dev UI stays usable (never in prod or test mode)
    }
    TokenGuard.Preflight pre = guard.preflight(new VertxRequestView(context.request()));
    if (pre.decided() instanceof Decision.Allow) {
      return Uni.createFrom().nullItem(); // public path: anonymous
    }
    if (pre.decided() instanceof Decision.Deny deny) {
      context.put(OUTCOME, deny.response());
      return Uni.createFrom().failure(new AuthenticationFailedException(deny.response().body(), Map.of(OUTCOME, deny.response())));
    }
    return identityProviderManager.authenticate(new TokenGuardAuthenticationRequest(pre))
        .onFailure(AuthenticationFailedException.class).invoke(failure -> {
          Object outcome = ((AuthenticationFailedException) failure).getAttribute(OUTCOME);
          if (outcome != null) {
            context.put(OUTCOME, outcome);
          }
        });
  }

  /**
   * Above every mechanism Quarkus brings, its mutual-TLS one included ({@code quarkus.http.ssl.client-auth}, priority up
   * to 3000): at an equal priority the order is not defined, and when the TLS mechanism ran first a client certificate
   * alone authenticated the request and TokenGuard never saw it (found by {@code QuarkusMutualTlsTest}, which failed
   * once in four runs). TokenGuard runs first and fails a request without a token, so no later mechanism is asked.
   */
  @Override
  public int getPriority() {
    return io.quarkus.vertx.http.runtime.security.MtlsAuthenticationMechanism.INCLUSIVE_AUTHENTICATION_PRIORITY + 1;
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    Outcome o = outcome(context);
    return Uni.createFrom().item(new ChallengeData(o.status(), "WWW-Authenticate", o.challenge()));
  }

  /** Writes core's outcome for this request: its status, every header, the JSON body. */
  @Override
  public Uni<Boolean> sendChallenge(RoutingContext context) {
    Outcome o = outcome(context);
    HttpServerResponse response = context.response();
    if (response.ended()) {
      return Uni.createFrom().item(true);
    }
    response.setStatusCode(o.status());
    o.headers().forEach(response.headers()::set);
    response.headers().set("Content-Type", Outcome.CONTENT_TYPE);
    return Uni.createFrom().completionStage(response.end(o.body()).toCompletionStage()).replaceWith(true);
  }

  private Outcome outcome(RoutingContext context) {
    Object o = context.get(OUTCOME);
    return o instanceof Outcome outcome ? outcome : guard.missingTokenOutcome();
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of(TokenGuardAuthenticationRequest.class);
  }
}
