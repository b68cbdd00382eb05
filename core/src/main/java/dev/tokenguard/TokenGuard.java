package dev.tokenguard;

import dev.tokenguard.http.AccessPolicy;
import dev.tokenguard.http.BearerTokenResolver;
import dev.tokenguard.http.Decision;
import dev.tokenguard.http.ForwardedRequest;
import dev.tokenguard.http.HttpRequestView;
import dev.tokenguard.http.IdentityHeaders;
import dev.tokenguard.http.Outcome;
import dev.tokenguard.http.RequestPaths;
import dev.tokenguard.internal.Echo;
import dev.tokenguard.internal.TokenSyntax;
import dev.tokenguard.jwks.Ed25519Engines;
import dev.tokenguard.jwks.JwksCache;
import dev.tokenguard.jwks.SignatureEngines;
import dev.tokenguard.jwt.CachingTokenValidator;
import dev.tokenguard.jwt.JwtValidator;
import dev.tokenguard.jwt.SenderBinding;
import dev.tokenguard.lookup.UserLookups;
import dev.tokenguard.observe.GuardStatus;
import dev.tokenguard.observe.Listeners;
import dev.tokenguard.observe.TokenGuardListener;
import dev.tokenguard.shared.Revocations;
import dev.tokenguard.shared.SharedTier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TokenGuard's entry point: one instance per application, built from a {@link TokenGuardConfig}, shared by
 * every request thread. {@link #check(HttpRequestView)} runs the whole request path in one pass:
 * {@code judge path -> public? -> resolve token -> validate -> look up user -> authorize} and returns a {@link Decision}
 * that an adapter only has to apply.
 *
 * <pre>{@code
 * TokenGuard guard = TokenGuard.create(TokenGuardConfig.fromProperties(Map.of(
 *     "issuer", "https://issuer.example.com/",
 *     "audience", "https://api.example.com")));
 * Decision d = guard.check(request);
 * }</pre>
 *
 * Nothing is fetched when it is created: keys are fetched on first use, so an application starts while its
 * identity provider is down. {@link #close()} stops the background refresh thread.
 */
public final class TokenGuard implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(TokenGuard.class.getName());

  private final TokenGuardConfig config;
  private final JwksCache jwks;
  private final JwtValidator jwt;
  private final TokenValidator validator;
  /** The verified-token cache, which {@link #validator} reads first; {@code null} when {@code token-cache} is off. */
  private final CachingTokenValidator cache;
  private final BearerTokenResolver resolver;
  private final AccessPolicy policy;
  /** The user lookup of each issuer that has one: a user API answers for one issuer's subjects. */
  private final Map<String, IssuerLookup> lookups;
  private final ExecutorService ownExecutor;
  private final Listeners listeners;
  private final SharedTier sharedTier;
  private final Revocations revocations;
  private final SenderBinding binding;
  private final Outcome.Challenges challenges;

  private TokenGuard(TokenGuardConfig config, Executor executor, List<TokenCheck> extraChecks, UserLookup lookup,
      List<TokenGuardListener> listeners) {
    this.config = Objects.requireNonNull(config, "config");
    this.listeners = Listeners.of(listeners);
    this.ownExecutor = executor == null ? Executors.newCachedThreadPool(daemonThreads()) : null;
    Executor refresh = executor == null ? ownExecutor : executor;
    KeyRemovalListener keysRemoved = new KeyRemovalListener();
    this.jwks = new JwksCache(config, refresh, keysRemoved, this.listeners);
    this.sharedTier = config.sharedCache().map(SharedTier::redis).orElse(null);
    this.jwt = new JwtValidator(config, jwks, extraChecks, this.listeners, sharedTier);
    if (config.tokenCacheEnabled() && config.tokenCacheMaxSize() > 0) {
      CachingTokenValidator cached = new CachingTokenValidator(jwt, config, this.listeners);
      keysRemoved.target = cached;
      this.validator = cached;
      this.cache = cached;
    } else {
      this.validator = jwt;
      this.cache = null;
    }
    this.lookups = lookups(config, lookup, refresh, sharedTier);
    this.revocations = new Revocations(config.clock(),
        config.get(SharedCacheSettings.REVOCATION_TTL),
        sharedTier, this::forget);
    this.binding = new SenderBinding(config, sharedTier, this.listeners);
    this.challenges = new Outcome.Challenges(config.realm(), binding.acceptsBearer(), binding.proofAlgorithms());
    this.resolver = new BearerTokenResolver(config.allowQueryToken(), binding.acceptsDpop());
    this.policy = new AccessPolicy(config.publicPaths(), config.rules(), config.pathsCaseInsensitive());
    List<String> anyAudience = config.issuers().stream().filter(i -> config.issuer(i).audiences().isEmpty()).toList();
    if (!anyAudience.isEmpty()) {
      LOG.log(System.Logger.Level.WARNING, "audience is not configured: tokens issued for any API of issuer(s) {0} are accepted",
          anyAudience);
    }
    LOG.log(System.Logger.Level.INFO, "TokenGuard started with {0}", config); // secrets are masked by toString
    if (config.jdkSignatureEnginesOnly()) {
      LOG.log(System.Logger.Level.INFO, "signatures are verified by the JVM's installed providers only (signature-engines=jdk)");
    } else {
      if (config.issuers().stream().anyMatch(i -> config.issuer(i).algorithms().stream().anyMatch(com.nimbusds.jose.JWSAlgorithm.Family.ED::contains))) {
        LOG.log(System.Logger.Level.INFO, "Ed25519 signatures are verified by {0}{1}", Ed25519Engines.name(),
            Ed25519Engines.name().equals("BouncyCastle") ? "" : " (org.bouncycastle:bcprov-jdk18on on the class path verifies them faster)");
      }
      if (config.issuers().stream().anyMatch(i -> config.issuer(i).algorithms().stream().anyMatch(a -> a.getName().startsWith("RS")
          || a.getName().startsWith("ES")))) {
        LOG.log(System.Logger.Level.INFO, "signatures: {0}", SignatureEngines.describe());
      }
    }
    this.listeners.started(status());
  }

  /** An issuer's user lookup, and whether the profile's roles and permissions join the token's. */
  private record IssuerLookup(UserLookup lookup, boolean mergeAuthorities) {}

  /**
   * Each issuer's configured lookup; {@code custom} (the builder's) takes the place of the top-level one
   * ({@code user-lookup.*}), or, when none is configured, serves every issuer without a block lookup of its own.
   */
  private Map<String, IssuerLookup> lookups(TokenGuardConfig config, UserLookup custom, Executor refresh, SharedTier tier) {
    Map<String, IssuerLookup> out = new LinkedHashMap<>();
    UserLookupSettings top = config.userLookup().orElse(null);
    Map<UserLookupSettings, UserLookup> made = new IdentityHashMap<>();
    for (String issuer : config.issuers()) {
      UserLookupSettings s = config.issuer(issuer).userLookup().orElse(null);
      if (custom != null && (s == top)) {
        out.put(issuer, new IssuerLookup(custom, top != null && top.mergeAuthorities()));
      } else if (s != null) {
        UserLookup l = made.computeIfAbsent(s, x -> UserLookups.create(config, x, refresh,
            dev.tokenguard.lookup.Sleeper.THREAD_SLEEP, this.listeners, tier));
        out.put(issuer, new IssuerLookup(l, s.mergeAuthorities()));
      }
    }
    return out;
  }

  /** The distinct lookups, each once. */
  private Collection<UserLookup> distinctLookups() {
    Set<UserLookup> out = Collections.newSetFromMap(new IdentityHashMap<>());
    lookups.values().forEach(l -> out.add(l.lookup()));
    return out;
  }

  /** What listeners may read of this TokenGuard; every answer is read when asked, nothing is fetched. */
  private GuardStatus status() {
    return new GuardStatus() {
      @Override
      public List<String> issuers() {
        return jwks.issuers();
      }

      @Override
      public KeySet keySet(String issuer) {
        JwksCache.Status s = jwks.status(issuer);
        return new KeySet(s.keyCount(), s.fetchedAt(), s.freshUntil());
      }

      @Override
      public Instant now() {
        return config.clock().instant();
      }

      @Override
      public boolean sharedTierConfigured() {
        return sharedTier != null;
      }

      @Override
      public boolean sharedTierAvailable() {
        return sharedTier != null && sharedTier.available();
      }
    };
  }

  /** A TokenGuard whose background JWKS refreshes run on its own daemon thread. */
  public static TokenGuard create(TokenGuardConfig config) {
    return builder(config).build();
  }

  /** A TokenGuard whose background JWKS refreshes run on {@code executor} (tests pass {@code Runnable::run}). */
  public static TokenGuard create(TokenGuardConfig config, Executor executor) {
    return builder(config).refreshExecutor(executor).build();
  }

  /** A builder for the rarer options: a refresh executor, the application's own checks. */
  public static Builder builder(TokenGuardConfig config) {
    return new Builder(config);
  }

  /** Builds a {@link TokenGuard}. */
  public static final class Builder {
    private final TokenGuardConfig config;
    private Executor executor;
    private final List<TokenCheck> checks = new ArrayList<>();
    private UserLookup userLookup;
    private final List<TokenGuardListener> listeners = new ArrayList<>();

    private Builder(TokenGuardConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** Runs background JWKS refreshes on {@code executor} instead of TokenGuard's own daemon thread. */
    public Builder refreshExecutor(Executor value) {
      executor = Objects.requireNonNull(value, "executor");
      return this;
    }

    /** Adds a check run after every built-in one; built-in checks cannot be removed. */
    public Builder addCheck(TokenCheck check) {
      checks.add(Objects.requireNonNull(check, "check"));
      return this;
    }

    /** Uses {@code lookup} instead of the one {@code user-lookup.*} describes. */
    public Builder userLookup(UserLookup lookup) {
      userLookup = Objects.requireNonNull(lookup, "lookup");
      return this;
    }

    /**
     * Tells {@code listener} what TokenGuard does (decisions, JWKS fetches, cache hits, user API calls); for
     * Micrometer use {@link dev.tokenguard.observe.TokenGuardMetrics}.
     */
    public Builder listener(TokenGuardListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** The TokenGuard; nothing is fetched yet. */
    public TokenGuard build() {
      return new TokenGuard(config, executor, checks, userLookup, listeners);
    }
  }

  /** The configuration. */
  public TokenGuardConfig config() {
    return config;
  }

  /** The token validator (cached when {@code token-cache.enabled}). */
  public TokenValidator validator() {
    return validator;
  }

  /**
   * Whether TokenGuard can check tokens now: per issuer whose keys it uses, keys cached and the last JWKS fetch succeeded (a due or
   * failed fetch is retried first, within {@code jwks.min-refetch-interval}); with a user lookup, whether the
   * last call to the user API got an answer. What the adapters' health checks report. May block for up to
   * {@code jwks.timeout} per issuer.
   */
  public HealthReport health() {
    List<HealthReport.Check> checks = new ArrayList<>();
    for (String issuer : jwks.issuers()) {
      if (config.issuer(issuer).usesKeys()) { // an issuer of reference tokens only publishes no keys to check
        checks.add(jwks.probe(issuer).check());
      }
    }
    checks.addAll(jwt.introspectionHealth());
    for (UserLookup l : distinctLookups()) {
      HealthReport.Check api = l.health();
      if (api != null) {
        checks.add(api);
      }
    }
    return HealthReport.of(checks);
  }

  /**
   * Decides one request. Never throws: every failure is a {@link Decision.Deny} with its {@link Outcome}.
   * Equivalent to {@link #complete(Preflight) complete}({@link #preflight(HttpRequestView) preflight}(request)).
   */
  public Decision check(HttpRequestView request) {
    Preflight pre = preflight(request);
    return pre.decided() != null ? pre.decided() : complete(pre);
  }

  /**
   * Decides the request a proxy asks about in forward authentication ({@link ForwardedRequest}: nginx
   * {@code auth_request}, Caddy {@code forward_auth}, Traefik ForwardAuth): the original method and URI from the
   * proxy's headers, the token from the original request's headers, which the proxy request carries. A proxy request
   * that does not name exactly one original request, or carries a header only the gateway sets, is a 400. Never throws.
   *
   * @param proxyRequest the request the proxy sent
   * @param headerNames the names of all its headers, as received
   * @param identity the identity headers the gateway answers with (a request carrying one of them is refused)
   */
  public Decision checkForwarded(HttpRequestView proxyRequest, java.util.Collection<String> headerNames,
      IdentityHeaders identity) {
    ForwardedRequest original;
    try {
      original = ForwardedRequest.of(proxyRequest, headerNames, identity);
    } catch (TokenGuardException e) {
      return reported(proxyRequest.method(), proxyRequest.rawPath(), null, deny(e, false));
    }
    return check(original);
  }

  /**
   * Reports a decided request to the listeners and, when rejected, writes one DEBUG line: method, path, status
   * and reason; of the token only its fingerprint.
   */
  private Decision reported(String method, String path, String token, Decision decision) {
    if (listeners.active()) {
      if (decision instanceof Decision.Deny deny) {
        TokenGuardException cause = deny.cause();
        listeners.requestDecided(cause == null ? null : cause.issuer(), cause == null ? RejectionReason.MISSING_TOKEN : cause.reason());
      } else if (decision instanceof Decision.Allow allow && allow.caller() != null) {
        listeners.requestDecided(allow.caller().issuer(), null);
      }
    }
    if (decision instanceof Decision.Deny deny && LOG.isLoggable(System.Logger.Level.DEBUG)) {
      LOG.log(System.Logger.Level.DEBUG, "rejected {0} {1}: {2} {3}{4}", Echo.printable(method), Echo.printable(path),
          deny.response().status(), deny.cause() == null ? "no bearer token" : Echo.printable(deny.cause().getMessage()),
          token == null ? "" : " (token " + Echo.fingerprint(token) + ")");
    }
    return decision;
  }

  /**
   * The part of a decision that needs no I/O and never blocks: the path firewall, public paths, finding the token (its
   * own RFC 6750 syntax is left to {@link #complete}, which skips it for a token the verified-token cache holds). Adapters
   * on an event loop (Quarkus) call this on the loop and {@link #complete} on a worker.
   */
  public Preflight preflight(HttpRequestView request) {
    return preflight(request, Mode.DECIDE);
  }

  /**
   * Who decides about a request TokenGuard does not refuse. In both modes the path firewall answers 400, a token
   * that fails is 401 (or 503), and {@code rule.*} are enforced (a rule only ever refuses).
   */
  public enum Mode {
    /** TokenGuard: deny by default, {@code public-paths} need no token, a request without one elsewhere is 401. */
    DECIDE,
    /**
     * The host's own authorization (Spring's {@code authorizeHttpRequests}): a request without a token passes as
     * anonymous, unless a {@code rule.*} applies to it (401); {@code public-paths} are not consulted.
     */
    AUTHENTICATE
  }

  /** {@link #preflight(HttpRequestView)} in {@code mode}. */
  public Preflight preflight(HttpRequestView request, Mode mode) {
    try {
      String path = RequestPaths.judge(request.rawPath(), request.contextPath(), request.routedPath());
      if ((mode == Mode.DECIDE && policy.isPublic(path)) || corsPreflight(request)) {
        return new Preflight(request.method(), path, null, Possession.NONE, new Decision.Allow(null));
      }
      // the token's own syntax is checked in decide, unless the verified-token cache holds it (it keeps no other)
      BearerTokenResolver.Credentials credentials = resolver.credentialsBeforeSyntaxCheck(request);
      if (credentials == null && mode == Mode.AUTHENTICATE && !policy.isRuled(request.method(), path)) {
        return new Preflight(request.method(), path, null, Possession.NONE, new Decision.Allow(null)); // anonymous: the host decides
      }
      if (credentials == null) {
        return new Preflight(request.method(), path, null, Possession.NONE,
            reported(request.method(), path, null, new Decision.Deny(missingTokenOutcome(), null)));
      }
      return new Preflight(request.method(), path, credentials.token(), possession(request, credentials.dpop()), null);
    } catch (TokenGuardException e) {
      return new Preflight(request.method(), request.rawPath(), null, Possession.NONE,
          reported(request.method(), request.rawPath(), null, deny(e, false)));
    } catch (RuntimeException e) {
      return new Preflight(request.method(), request.rawPath(), null, Possession.NONE,
          reported(request.method(), request.rawPath(), null, unexpected(e)));
    }
  }

  /**
   * What {@code request} offers as proof of possession: its DPoP proofs and origin when it came with the DPoP scheme, its
   * TLS client certificate, and the certificate header of {@code mtls.client-certificate-header} when, and only when,
   * the request came from one of {@code mtls.trusted-proxies}.
   */
  private Possession possession(HttpRequestView request, boolean dpop) {
    BindingSettings b = config.binding();
    String forwarded = null;
    if (b.certificateHeader() != null) {
      List<String> values = request.headers(b.certificateHeader());
      if (values.size() == 1 && b.trustedProxy(request.remoteAddress())) {
        forwarded = values.get(0);
      }
    }
    return new Possession(dpop, dpop ? request.headers("DPoP") : List.of(), request.method(), dpop ? request.origin() : null,
        request.rawPath(), request.clientCertificate(), forwarded);
  }

  /** 401 for a request without a token: every challenge this TokenGuard offers ({@code Bearer}, {@code DPoP}), bare. */
  public Outcome missingTokenOutcome() {
    return Outcome.missingToken(challenges);
  }

  /**
   * Whether {@code request} is a CORS preflight that {@code cors-preflight=pass} lets through: {@code OPTIONS} with
   * {@code Origin} and {@code Access-Control-Request-Method} (Fetch standard, CORS protocol). Browsers send no
   * credentials with it, so it cannot carry a token; the application (or its CORS handler) answers it.
   */
  private boolean corsPreflight(HttpRequestView request) {
    return config.corsPreflightPasses() && "OPTIONS".equals(request.method())
        && !request.headers("Access-Control-Request-Method").isEmpty() && !request.headers("Origin").isEmpty();
  }

  /**
   * The path firewall alone ({@link RequestPaths#judge}): the 400 decision for a request path that hosts could read
   * in different ways, or {@code null} when the path is acceptable. {@link #check} and {@link #preflight} run it
   * first anyway; this is for adapters whose host parses the path before TokenGuard's own filter runs (Spring's
   * {@code ServletRequestPathFilter} answers 500 to {@code //app/...} under a context path), so the firewall can
   * answer first.
   */
  public Decision.Deny refuseAmbiguousPath(HttpRequestView request) {
    try {
      RequestPaths.judge(request.rawPath(), request.contextPath(), request.routedPath());
      return null;
    } catch (InvalidRequestException e) {
      return (Decision.Deny) reported(request.method(), request.rawPath(), null, deny(e, false));
    }
  }

  /**
   * The rest of a decision for a request that carries a token: validation, user lookup, path rules. May block
   * (JWKS fetch, user API); never throws.
   */
  public Decision complete(Preflight pre) {
    return pre.decided() != null ? pre.decided() : decide(pre, null);
  }

  /**
   * {@link #complete} when that needs no I/O, else {@code null}: call {@link #complete} on a worker then. Decided here
   * are requests {@link #preflight} decided and tokens the verified-token cache holds, sent as Bearer (a DPoP proof's
   * replay check may ask the shared cache), of an issuer without a user lookup. For adapters on an event loop, so that
   * a repeated token is answered without leaving it.
   */
  public Decision completeWithoutBlocking(Preflight pre) {
    if (pre.decided() != null) {
      return pre.decided();
    }
    TokenPrincipal cached = pre.possession().dpop() ? null : cachedWithoutLookup(pre.token());
    if (cached == null) {
      // a malformed token is refused here (400, no I/O: the syntax is checked before anything else); others need a worker
      return TokenSyntax.isB64Token(pre.token()) ? null : decide(pre, null);
    }
    return decide(pre, cached);
  }

  /** The decision for a request with a token; {@code cached}: the token's principal from the cache, else validated here. */
  private Decision decide(Preflight pre, TokenPrincipal cached) {
    TokenPrincipal validated = cached;
    try {
      if (validated == null) {
        validated = validateRequestToken(pre.token());
      }
      TokenPrincipal principal = accepted(validated, pre.token(), pre.possession());
      policy.authorize(pre.method(), pre.path(), principal);
      return reported(pre.method(), pre.path(), pre.token(), new Decision.Allow(principal));
    } catch (TokenGuardException e) {
      if (validated != null) {
        e.attributeTo(validated.issuer());
      }
      return reported(pre.method(), pre.path(), pre.token(), deny(e, pre.possession().dpop()));
    } catch (RuntimeException e) {
      return reported(pre.method(), pre.path(), pre.token(), unexpected(e));
    }
  }

  /**
   * Validates a token that {@link #preflight} took from a request without checking its RFC 6750 syntax: a token the
   * verified-token cache holds passed that check when it was cached (the cache keeps no other), any other is checked
   * before it is verified (400 when it fails). Skipping the check on a hit saves a pass over the token on every repeated
   * request.
   */
  private TokenPrincipal validateRequestToken(String token) {
    if (cache != null) {
      return cache.validate(token, BearerTokenResolver::checkSyntax);
    }
    BearerTokenResolver.checkSyntax(token);
    return validator.validate(token);
  }

  /**
   * A request after {@link #preflight}: either already decided, or carrying the token still to be checked.
   *
   * @param method the HTTP method
   * @param path the path the request is judged on ({@link RequestPaths#judge}); the raw path when refused
   * @param token the access token, or {@code null} when decided; its RFC 6750 syntax is not checked yet ({@link #complete}
   *     checks it unless the verified-token cache holds the token)
   * @param possession what the request offers to prove it holds the key or certificate the token may be bound to
   * @param decided the decision when no token check is needed, else {@code null}
   */
  public record Preflight(String method, String path, String token, Possession possession, Decision decided) {
    /** Never shows the token. */
    @Override
    public String toString() {
      return "Preflight[" + method + " " + path + (decided == null ? ", token pending" : ", decided") + "]";
    }
  }

  private Decision unexpected(RuntimeException e) {
    LOG.log(System.Logger.Level.ERROR, "unexpected failure while checking a request", e);
    return deny(new TokenServiceException("the request could not be checked", Duration.ofSeconds(1), e), false);
  }

  /**
   * Validates {@code token} and, when configured, looks the user up: what {@link #check} does once it has the
   * token, for adapters whose framework resolves the token itself.
   *
   * @throws TokenGuardException the typed failure
   */
  public TokenPrincipal authenticate(String token) {
    return accepted(validator.validate(token), token, Possession.NONE); // no request: a bound token cannot pass
  }

  /**
   * {@link #authenticate} when that needs no I/O (a token the verified-token cache holds, of an issuer without a user
   * lookup), else {@code null}: call {@link #authenticate} on a worker then.
   *
   * @throws TokenGuardException the typed failure (a bound or revoked token)
   */
  public TokenPrincipal authenticateWithoutBlocking(String token) {
    TokenPrincipal cached = cachedWithoutLookup(token);
    return cached == null ? null : accepted(cached, token, Possession.NONE);
  }

  /** A validated token's caller after the checks that follow validation: key or certificate binding, revocation, user lookup. */
  private TokenPrincipal accepted(TokenPrincipal validated, String token, Possession possession) {
    binding.check(validated, token, possession);
    revocations.check(validated);
    return lookUp(validated, token);
  }

  /** The cached principal of {@code token} when no user lookup will be asked about it, else {@code null}. */
  private TokenPrincipal cachedWithoutLookup(String token) {
    TokenPrincipal hit = cache == null ? null : cache.cached(token);
    if (hit == null || lookups.containsKey(hit.issuer())) {
      return null;
    }
    listeners.tokenCacheLookup(true);
    return hit;
  }

  /**
   * Refuses every token of {@code subject} issued by {@code issuer} from now on (401, reason {@code revoked}) and
   * drops what is cached about the user, on this node and, with {@code cache.redis.uri}, on every node within
   * about a second; enforced for {@code cache.redis.revocation-ttl} (1 day by default), which should be at least
   * the longest token lifetime. For "block this user now", before the identity provider's own block reaches
   * every cache.
   *
   * @return {@code true} when every node was told through the shared tier; {@code false} when only this node
   *     enforces it (no {@code cache.redis.uri}, or Redis is unavailable)
   */
  public boolean revokeSubject(String issuer, String subject) {
    return revocations.revokeSubject(Objects.requireNonNull(issuer, "issuer"), Objects.requireNonNull(subject, "subject"));
  }

  /** Refuses the token whose {@code jti} claim is {@code tokenId}, everywhere as {@link #revokeSubject} does. */
  public boolean revokeTokenId(String tokenId) {
    return revocations.revokeTokenId(Objects.requireNonNull(tokenId, "tokenId"));
  }

  private void forget(String issuer, String subject) {
    if (cache != null) {
      cache.forgetSubject(issuer, subject);
    }
    for (UserLookup l : distinctLookups()) {
      l.forget(issuer, subject);
    }
  }

  /**
   * Explains why {@code token} passes or fails: every validation step with the values it saw, then the user
   * lookup. Uses the same code as {@link #check} but bypasses the verified-token cache. Never throws.
   */
  public Explanation explain(String token) {
    Explanation validation = jwt.explain(token);
    if (!validation.valid()) {
      return validation;
    }
    List<Explanation.Step> steps = new ArrayList<>(validation.steps());
    Explanation.Step bound = binding.explain(validation.principal());
    steps.add(bound);
    if (!bound.passed()) {
      return new Explanation(steps, null, new InvalidTokenException(RejectionReason.WRONG_BINDING, bound.detail()));
    }
    try {
      revocations.check(validation.principal());
    } catch (InvalidTokenException e) {
      steps.add(new Explanation.Step("revocation", false, e.getMessage()));
      return new Explanation(steps, null, e);
    }
    if (lookups.isEmpty()) {
      return new Explanation(steps, validation.principal(), null);
    }
    if (!lookups.containsKey(validation.principal().issuer())) {
      steps.add(new Explanation.Step("user lookup", true, "not asked: no user lookup answers for tokens of "
          + validation.principal().issuer() + " (user-lookup.issuer, or the issuer's own issuers.<name>.user-lookup)"));
      return new Explanation(steps, validation.principal(), null);
    }
    try {
      TokenPrincipal principal = lookUp(validation.principal(), token);
      steps.add(new Explanation.Step("user lookup", true, principal.profile()
          .map(p -> "profile of '" + p.id() + "' from " + p.provider() + (p.email() == null ? "" : ", email " + p.email())
              + ", roles " + p.roles() + ", blocked " + p.blocked())
          .orElse("no profile (the user API failed and on-failure is fail-open)")));
      return new Explanation(steps, principal, null);
    } catch (TokenGuardException e) {
      steps.add(new Explanation.Step("user lookup", false, e.getMessage()));
      return new Explanation(steps, null, e);
    } catch (RuntimeException e) {
      steps.add(new Explanation.Step("user lookup", false, "failed unexpectedly"));
      return new Explanation(steps, null, new TokenServiceException("the user lookup failed unexpectedly", Duration.ofSeconds(1), e));
    }
  }

  private TokenPrincipal lookUp(TokenPrincipal principal, String token) {
    IssuerLookup l = lookups.get(principal.issuer());
    if (l == null) {
      return principal;
    }
    UserProfile profile = l.lookup().lookUp(principal, token);
    return profile == null ? principal : principal.withProfile(profile, l.mergeAuthorities());
  }

  /**
   * Whether {@code principal} is in {@code role}: one of its roles, or, with {@code permissions-as-roles}, one
   * of its permissions. What every adapter's role check ({@code isUserInRole}, {@code @RolesAllowed}) asks.
   */
  public boolean isInRole(TokenPrincipal principal, String role) {
    return principal.hasRole(role) || config.permissionsAsRoles() && principal.hasPermission(role);
  }

  /**
   * Every role {@link #isInRole} answers yes for: the principal's roles and, with {@code permissions-as-roles}, its
   * permissions; for frameworks that take the roles as a set (Spring authorities, a Quarkus identity's roles).
   */
  public Set<String> roles(TokenPrincipal principal) {
    if (!config.permissionsAsRoles() || principal.permissions().isEmpty()) {
      return principal.roles();
    }
    Set<String> all = new LinkedHashSet<>(principal.roles());
    all.addAll(principal.permissions());
    return Collections.unmodifiableSet(all);
  }

  /**
   * Checks that {@code principal} holds {@code required} permissions (all of them, or one with {@code ANY}): what
   * the adapters' permission annotations ask ({@code @RequiresPermission}).
   *
   * @throws InsufficientPermissionException naming what is required and what the principal holds
   */
  public void requirePermissions(TokenPrincipal principal, java.util.List<String> required, dev.tokenguard.rules.PathRule.Match match) {
    if (!match.test(principal.permissions(), required)) {
      throw new InsufficientPermissionException((match == dev.tokenguard.rules.PathRule.Match.ALL ? "requires all of " : "requires one of ")
          + required + ", but the token grants " + principal.permissions(), required);
    }
  }

  /**
   * 403 {@code insufficient_scope} for a request the application's own authorization (a framework's role or
   * permission annotations, its security configuration) denies, when it does not say which permission is missing.
   */
  public Outcome applicationDenied() {
    return outcomeOf(new InsufficientPermissionException("the application's authorization rules deny this request", List.of()));
  }

  /** The outcome for a failure raised outside {@link #check} (for example by a framework's own annotations). */
  public Outcome outcomeOf(TokenGuardException failure) {
    return outcome(failure, false);
  }

  /** The outcome of {@code failure} for a request that came with the DPoP scheme or not. */
  private Outcome outcome(TokenGuardException failure, boolean dpopScheme) {
    return Outcome.of(failure, challenges, dpopScheme, failure.reason() == RejectionReason.NONCE_REQUIRED ? binding.currentNonce() : null);
  }

  private Decision deny(TokenGuardException e, boolean dpopScheme) {
    return new Decision.Deny(outcome(e, dpopScheme), e);
  }

  /** Stops the background refresh thread, if TokenGuard owns it, and closes the shared tier's connections. */
  @Override
  public void close() {
    if (ownExecutor != null) {
      ownExecutor.shutdownNow();
    }
    if (sharedTier != null) {
      sharedTier.close();
    }
  }

  /** Forwards "keys left the JWKS" to the token cache, which is built after the JWKS cache. */
  private static final class KeyRemovalListener implements java.util.function.Consumer<Set<String>> {
    volatile CachingTokenValidator target;

    @Override
    public void accept(Set<String> thumbprints) {
      CachingTokenValidator t = target;
      if (t != null) {
        t.keysRemoved(thumbprints);
      }
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "tokenguard-refresh-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
