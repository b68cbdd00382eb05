package dev.tokenguard.introspect;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.tokenguard.HealthReport;
import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.IssuerSettings;
import dev.tokenguard.RejectionReason;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenGuardException;
import dev.tokenguard.TokenServiceException;
import dev.tokenguard.internal.JsonObjects;
import dev.tokenguard.internal.Sha256;
import dev.tokenguard.internal.Caches;
import dev.tokenguard.net.DocumentFetcher;
import dev.tokenguard.net.IssuerDiscovery;
import dev.tokenguard.net.LimitedHttp;
import dev.tokenguard.net.RetryAfter;
import dev.tokenguard.observe.Listeners;
import dev.tokenguard.shared.SharedTier;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Asks an issuer's introspection endpoint (RFC 7662) whether an opaque token is active and what it stands for.
 * The answer's members are the token's claims: the validator checks them as it checks a JWT's. One call per
 * distinct token at a time (callers of the same token wait for it); an active answer is kept until the token's
 * {@code exp} but at most {@code introspection.cache-ttl}, an inactive one for {@code introspection.negative-ttl};
 * a failed call is not kept, and becomes a 503 with {@code Retry-After}, never a 401; after it, tokens not in the cache
 * get that 503 at once until the endpoint's {@code Retry-After} (one second without one, at most a minute) has passed. Tokens are kept under their
 * SHA-256, never as they are. The cache holds up to {@code token-cache.max-size} answers (at least 1,000) and admits by frequency (Caffeine's W-TinyLFU), so a flood of
 * made-up tokens cannot push out the answers of tokens in use. With the shared tier, answers (active and inactive)
 * are shared under {@code introspection:<hash of issuer and token hash>} until they expire, and one node of the fleet
 * asks about a token at a time ({@link SharedTier#once}): a fleet introspects a token once. An entry read from the
 * tier is trusted as this node's own answer would be: whoever can write to the store can vouch for tokens (as for
 * profiles), so the store belongs inside the application's trust boundary.
 */
public final class Introspector {
  /** Largest answer read; an introspection answer is a small JSON object. */
  static final int MAX_ANSWER_BYTES = 64 * 1024;
  /** The longest a failed endpoint is left alone, whatever its Retry-After says. */
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
  /** The format version of an answer in the shared tier; an entry of another version is a miss. */
  static final int SHARED_VERSION = 1;

  private final IssuerSettings issuer;
  private final Listeners listeners;
  private final SignedAnswers signedAnswers;
  private final Clock clock;
  private final Duration timeout;
  private final Duration cap;
  private final Duration negative;
  private final HttpClient http;
  private final IssuerDiscovery discovery;
  private final AsyncCache<String, Answer> answers;
  /** The fleet's shared tier, or {@code null}. */
  private final SharedTier tier;
  private final Duration lockTtl;
  /** {@code introspection.protocol}: rfc7662, pangea or userinfo. */
  private final String protocol;
  private volatile URI endpoint;
  private volatile Instant lastCallAt;
  private volatile String lastFailure;
  /** After a failed call, new tokens get a 503 without a call until then (the endpoint's Retry-After, at most a minute). */
  private volatile Instant failingUntil;

  /**
   * What the endpoint said: the claims of an active token (or {@code null} for an inactive one) and until when the
   * answer may be reused (the token's {@code exp}, at most {@code introspection.cache-ttl} after it was given).
   */
  public record Answer(Map<String, Object> claims, Instant expiresAt) {}

  /**
   * Checks a signed answer (RFC 9701) with the issuer's keys: its signature, {@code typ}
   * {@code token-introspection+jwt}, {@code iss} the issuer and {@code aud} the client, and returns its
   * {@code token_introspection} member.
   */
  public interface SignedAnswers {
    /** @throws RuntimeException naming what failed when the answer cannot be trusted */
    Map<String, Object> verify(String jwt);
  }

  /** The media type of a signed answer. */
  public static final String JWT_ANSWER = "application/token-introspection+jwt";

  /**
   * @param issuer the issuer whose introspection endpoint is asked (its {@code introspection.*} keys)
   * @param signedAnswers checks answers the endpoint signs
   * @param config the whole configuration: its clock and {@code token-cache.max-size}
   * @param listeners told of cache lookups and calls
   * @param tier the shared tier ({@code cache.redis.uri}): a fleet asks about a token once; {@code null}: none
   */
  public Introspector(IssuerSettings issuer, TokenGuardConfig config, SignedAnswers signedAnswers, Listeners listeners,
      SharedTier tier) {
    Clock clock = config.clock();
    this.tier = tier;
    this.protocol = issuer.get(TokenGuardConfig.INTROSPECTION_PROTOCOL);
    this.issuer = issuer;
    this.signedAnswers = signedAnswers;
    this.listeners = listeners;
    this.clock = clock;
    this.timeout = issuer.get(TokenGuardConfig.INTROSPECTION_TIMEOUT);
    this.cap = issuer.get(TokenGuardConfig.INTROSPECTION_CACHE_TTL);
    this.negative = issuer.get(TokenGuardConfig.INTROSPECTION_NEGATIVE_TTL);
    this.lockTtl = timeout.plus(Duration.ofSeconds(1)); // outlives the call it guards, not much more if its holder dies
    this.http = LimitedHttp.client(timeout);
    this.discovery = new IssuerDiscovery(new DocumentFetcher(timeout));
    String configured = issuer.get(TokenGuardConfig.INTROSPECTION_ENDPOINT);
    this.endpoint = configured == null ? null : URI.create(configured);
    this.answers = Caches.builder(clock).maximumSize(Math.max(1_000, config.tokenCacheMaxSize())).expireAfter(new Expiry<String, Answer>() {
      @Override
      public long expireAfterCreate(String key, Answer a, long now) {
        return Math.max(0, Duration.between(clock.instant(), a.expiresAt()).toNanos());
      }

      @Override
      public long expireAfterUpdate(String key, Answer a, long now, long current) {
        return expireAfterCreate(key, a, now);
      }

      @Override
      public long expireAfterRead(String key, Answer a, long now, long current) {
        return current;
      }
    }).buildAsync();
  }

  /**
   * Whether the last call got an answer (active or inactive): UP before the first call, DOWN while the endpoint fails.
   * Never calls the endpoint itself (it would need a token).
   */
  public HealthReport.Check health() {
    Map<String, Object> details = new java.util.LinkedHashMap<>();
    HealthReport.putIfSet(details, "issuer", issuer.url());
    HealthReport.putIfSet(details, "endpoint", endpoint);
    HealthReport.putIfSet(details, "lastCall", lastCallAt);
    HealthReport.putIfSet(details, "lastFailure", lastFailure);
    return new HealthReport.Check("introspection " + issuer.url(), lastFailure == null, details);
  }

  /** The issuer this introspector asks about. */
  public IssuerSettings issuer() {
    return issuer;
  }

  /**
   * The issuer's answer about {@code token} when it says the token is active: its claims, and until when that answer
   * holds (so no cache above this one keeps it longer).
   *
   * @throws InvalidTokenException ({@link RejectionReason#INACTIVE}) when it is not, or when the answer is about
   *     another kind of token (a refresh token: {@code token_use}, {@code typ})
   * @throws TokenServiceException when the endpoint cannot be asked or answers with an error (503)
   */
  public Answer introspect(String token) {
    String key = Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256.of(token));
    CompletableFuture<Answer> existing = answers.getIfPresent(key);
    CompletableFuture<Answer> mine = null;
    if (existing == null) {
      Instant now = clock.instant();
      Instant until = failingUntil;
      if (until != null && now.isBefore(until)) { // the endpoint just failed: no request waits for it to fail again
        listeners.introspectionLookup(issuer.url(), false);
        throw new TokenServiceException("the issuer's token check is unavailable", "the introspection endpoint failed "
            + "moments ago (" + lastFailure + "); not asked again before " + until, Duration.between(now, until), null);
      }
      mine = new CompletableFuture<>();
      existing = answers.asMap().putIfAbsent(key, mine);
    }
    listeners.introspectionLookup(issuer.url(), existing != null);
    if (existing == null) {
      try {
        String sharedKey = tier == null ? null : "introspection:" + SharedTier.hashed(issuer.url(), key);
        mine.complete(tier == null ? called(token)
            : tier.once(sharedKey, lockTtl, () -> decode(tier.get(sharedKey), clock.instant()), () -> share(sharedKey, called(token))));
      } catch (RuntimeException | Error e) { // whatever happens, the callers waiting for this call are released
        mine.completeExceptionally(e); // Caffeine drops a failed future: the next caller asks again
        if (e instanceof Error error) {
          throw error;
        }
      }
      existing = mine;
    }
    Answer answer;
    try {
      answer = existing.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted while waiting for the introspection answer", e);
    } catch (ExecutionException | CompletionException e) {
      if (e.getCause() instanceof TokenGuardException t) {
        throw t;
      }
      throw unavailable("introspection failed: " + e.getCause(), e.getCause());
    }
    if (answer.claims() == null) {
      throw new InvalidTokenException(RejectionReason.INACTIVE, "the issuer reports the token inactive (unknown, expired or revoked)");
    }
    Object use = answer.claims().get("token_use"); // Ory Hydra, Amazon Cognito
    Object typ = answer.claims().get("typ"); // Keycloak: Bearer, Refresh, Offline
    Object type = answer.claims().get("token_type");
    if (use != null && !"access_token".equals(use) && !"access".equals(use)
        || typ instanceof String t && (t.equalsIgnoreCase("Refresh") || t.equalsIgnoreCase("Offline"))
        || "refresh_token".equals(type)) {
      throw new InvalidTokenException(RejectionReason.INACTIVE, "the issuer describes a token that is not an access token");
    }
    return answer;
  }

  /** One call to the endpoint, told to the listeners and remembered for health. */
  private Answer called(String token) {
    long started = System.nanoTime();
    String result = "error";
    try {
      Answer a = call(token);
      result = a.claims() == null ? "inactive" : "active";
      lastFailure = null;
      failingUntil = null;
      return a;
    } catch (RuntimeException e) {
      lastFailure = e.getMessage();
      if (e instanceof TokenServiceException t) { // the endpoint failed, not this token: back off (the token is not cached)
        Duration wait = t.retryAfter() == null ? Duration.ofSeconds(1) : t.retryAfter();
        failingUntil = clock.instant().plus(wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait);
      }
      throw e;
    } finally {
      lastCallAt = clock.instant();
      listeners.introspectionCall(issuer.url(), result, Duration.ofNanos(System.nanoTime() - started));
    }
  }

  /** Shares {@code answer} with the fleet under {@code sharedKey} until it expires. */
  private Answer share(String sharedKey, Answer answer) {
    Duration ttl = Duration.between(clock.instant(), answer.expiresAt());
    if (ttl.toMillis() > 0) {
      tier.put(sharedKey, encode(answer), ttl);
    }
    return answer;
  }

  /** {@code {"v":1,"until":<ms>,"claims":{...}|null}} (null: inactive). */
  static String encode(Answer a) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("v", SHARED_VERSION);
    m.put("until", a.expiresAt().toEpochMilli());
    m.put("claims", a.claims());
    return com.nimbusds.jose.util.JSONObjectUtils.toJSONString(m);
  }

  /** The answer in {@code json} while it holds at {@code now}; {@code null} when absent, unreadable, of another version or expired. */
  @SuppressWarnings("unchecked")
  static Answer decode(String json, Instant now) {
    if (json == null) {
      return null;
    }
    try {
      Map<String, Object> m = JsonObjects.parse(json);
      if (!(m.get("v") instanceof Long v) || v != SHARED_VERSION || !(m.get("until") instanceof Long until)
          || !now.isBefore(Instant.ofEpochMilli(until))) {
        return null;
      }
      Object claims = m.get("claims");
      if (claims != null && !(claims instanceof Map)) {
        return null;
      }
      return new Answer(claims == null ? null : java.util.Collections.unmodifiableMap((Map<String, Object>) claims),
          Instant.ofEpochMilli(until));
    } catch (ParseException | RuntimeException e) {
      return null; // another writer's format: as if absent
    }
  }

  private Answer call(String token) {
    URI url = endpoint();
    HttpResponse<byte[]> response;
    try {
      response = LimitedHttp.send(http, request(url, token), MAX_ANSWER_BYTES, timeout);
    } catch (IOException e) {
      throw unavailable("the introspection endpoint " + url + " could not be asked: " + e.getMessage(), e);
    }
    int status = response.statusCode();
    if (status == 429 || status == 503) {
      Duration said = RetryAfter.of(response.headers(), clock.instant());
      throw refused(url, status, said == null || said.isZero() ? Duration.ofSeconds(1) : said);
    }
    Map<String, Object> claims = switch (protocol) {
      case "pangea" -> pangeaAnswer(url, response);
      case "userinfo" -> userinfoAnswer(url, response);
      default -> rfc7662Answer(url, response);
    };
    Instant now = clock.instant();
    if (claims == null) {
      return new Answer(null, now.plus(negative));
    }
    Instant until = now.plus(cap);
    if (claims.get("exp") instanceof Number exp && Instant.ofEpochSecond(exp.longValue()).isBefore(until)) {
      until = Instant.ofEpochSecond(exp.longValue());
    }
    return new Answer(java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(claims)), until); // JSON nulls kept
  }

  /** The call {@code introspection.protocol} makes about {@code token}. */
  private HttpRequest request(URI url, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout);
    if (protocol.equals("userinfo")) { // the token speaks for itself (its syntax was checked before: no header injection)
      return request.header("Authorization", "Bearer " + token).header("Accept", "application/json").GET().build();
    }
    String secret = issuer.get(TokenGuardConfig.INTROSPECTION_CLIENT_SECRET);
    if (protocol.equals("pangea")) {
      return request.header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
          .header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(Map.of("token", token))))
          .build();
    }
    String form = "token=" + enc(token) + "&token_type_hint=access_token";
    request.header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", issuer.get(TokenGuardConfig.INTROSPECTION_JWT_ANSWER) ? JWT_ANSWER : "application/json");
    String clientId = issuer.get(TokenGuardConfig.INTROSPECTION_CLIENT_ID);
    String method = issuer.get(TokenGuardConfig.INTROSPECTION_AUTH_METHOD);
    if ("private_key_jwt".equals(method)) {
      form += "&client_id=" + enc(clientId) + "&client_assertion_type=" + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
          + "&client_assertion=" + enc(ClientAssertion.sign(clientId, issuer.url(), issuer.get(TokenGuardConfig.INTROSPECTION_PRIVATE_KEY),
          issuer.get(TokenGuardConfig.INTROSPECTION_KEY_ID), clock.instant()));
    } else if ("client_secret_post".equals(method)) {
      form += "&client_id=" + enc(clientId) + "&client_secret=" + enc(secret);
    } else { // RFC 6749 §2.3.1: each part form-encoded before Basic
      request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
          (enc(clientId) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8)));
    }
    return request.POST(HttpRequest.BodyPublishers.ofString(form)).build();
  }

  /** RFC 7662 (and RFC 9701): the answer's members, or {@code null} when {@code active} is false. */
  private Map<String, Object> rfc7662Answer(URI url, HttpResponse<byte[]> response) {
    if (response.statusCode() != 200) {
      throw refused(url, response.statusCode(), Duration.ofSeconds(1));
    }
    boolean jwtOnly = issuer.get(TokenGuardConfig.INTROSPECTION_JWT_ANSWER);
    boolean signed = contentType(response).startsWith(JWT_ANSWER);
    Map<String, Object> claims;
    if (signed) {
      try {
        claims = signedAnswers.verify(new String(response.body(), StandardCharsets.UTF_8).trim());
      } catch (TokenGuardException | IllegalArgumentException e) {
        throw unavailable("the signed introspection answer of " + url + " cannot be trusted: " + e.getMessage(), e);
      }
    } else {
      claims = json(url, response, jwtOnly ? JWT_ANSWER : "application/json");
    }
    if (!(claims.get("active") instanceof Boolean active)) {
      throw unavailable("the introspection answer of " + url + " has no boolean 'active'", null);
    }
    return active ? claims : null;
  }

  /**
   * Pangea AuthN's token check: {@code status} {@code Success} with the token's {@code result}, whose members are kept
   * and also given their JWT names ({@code identity} as {@code sub}, {@code expire} as {@code exp}, {@code created_at}
   * as {@code iat}, {@code scopes} as {@code scope}, {@code audience} as {@code aud}); {@code NotFound} or
   * {@code ValidationError} (not a token Pangea knows) or a disabled token: {@code null}; any other status (a bad
   * service token, {@code TooManyRequests}, {@code NoCredit}...) is the check being unavailable.
   */
  private Map<String, Object> pangeaAnswer(URI url, HttpResponse<byte[]> response) {
    Map<String, Object> envelope = json(url, response, "application/json");
    Object status = envelope.get("status");
    if ("NotFound".equals(status) || "ValidationError".equals(status)) {
      return null;
    }
    if (response.statusCode() != 200 || !"Success".equals(status) || !(envelope.get("result") instanceof Map<?, ?> result)) {
      throw new TokenServiceException("the issuer's token check is unavailable (HTTP " + response.statusCode() + ")",
          "the Pangea token check " + url + " answered HTTP " + response.statusCode() + " with status '"
          + dev.tokenguard.internal.Echo.of(status) + "'", Duration.ofSeconds(1), null);
    }
    Map<String, Object> claims = new java.util.LinkedHashMap<>();
    result.forEach((k, v) -> claims.put(String.valueOf(k), v));
    if (Boolean.FALSE.equals(claims.get("enabled"))) {
      return null;
    }
    claims.putIfAbsent("sub", claims.get("identity"));
    claims.put("exp", epochSeconds(url, claims.get("expire")));
    if (claims.get("created_at") != null) {
      claims.putIfAbsent("iat", epochSeconds(url, claims.get("created_at")));
    }
    if (claims.get("scopes") instanceof java.util.List<?> scopes) {
      claims.putIfAbsent("scope", String.join(" ", scopes.stream().map(String::valueOf).toList()));
    }
    if (claims.get("audience") != null) {
      claims.putIfAbsent("aud", claims.get("audience"));
    }
    return claims;
  }

  /**
   * The OIDC userinfo endpoint called with the token: 200 with the user's claims ({@code sub} required), 401 or 403
   * ({@code invalid_token}, {@code insufficient_scope}): {@code null}. The answer has no {@code exp}: it is kept for
   * {@code introspection.cache-ttl}.
   */
  private Map<String, Object> userinfoAnswer(URI url, HttpResponse<byte[]> response) {
    int status = response.statusCode();
    if (status == 401 || status == 403) {
      return null;
    }
    if (status != 200) {
      throw refused(url, status, Duration.ofSeconds(1));
    }
    Map<String, Object> claims = json(url, response, "application/json");
    if (!(claims.get("sub") instanceof String)) {
      throw unavailable("the userinfo answer of " + url + " has no string 'sub'", null);
    }
    return claims;
  }

  /** The body of {@code response} as a JSON object, which its content type must announce as {@code expected}. */
  private static Map<String, Object> json(URI url, HttpResponse<byte[]> response, String expected) {
    String type = contentType(response);
    if (!type.startsWith("application/json") || !expected.equals("application/json")) {
      throw unavailable("the introspection endpoint " + url + " answered " + (type.isEmpty() ? "no content type" : type)
          + ", not " + expected, null);
    }
    try {
      return JsonObjects.parse(new String(response.body(), StandardCharsets.UTF_8));
    } catch (ParseException e) {
      throw unavailable("the introspection endpoint " + url + " answered malformed JSON", e);
    }
  }

  private static String contentType(HttpResponse<byte[]> response) {
    return response.headers().firstValue("Content-Type").orElse("").toLowerCase(java.util.Locale.ROOT);
  }

  private static long epochSeconds(URI url, Object isoTime) {
    try {
      return Instant.parse(String.valueOf(isoTime)).getEpochSecond();
    } catch (java.time.format.DateTimeParseException e) {
      throw unavailable("the token check of " + url + " answered a time that is not ISO-8601: '"
          + dev.tokenguard.internal.Echo.of(isoTime) + "'", e);
    }
  }

  private static TokenServiceException refused(URI url, int status, Duration retry) {
    return new TokenServiceException("the issuer's token check is unavailable (HTTP " + status + ")",
        "the introspection endpoint " + url + " answered HTTP " + status, retry, null);
  }

  private URI endpoint() {
    URI e = endpoint;
    if (e == null) {
      try {
        e = discovery.endpoint(issuer.url(), protocol.equals("userinfo") ? "userinfo_endpoint" : "introspection_endpoint");
      } catch (IOException x) {
        throw unavailable("the introspection endpoint of " + issuer.url() + " could not be discovered: " + x.getMessage(), x);
      }
      endpoint = e;
    }
    return e;
  }

  private static TokenServiceException unavailable(String detail, Throwable cause) {
    return new TokenServiceException("the issuer's token check is unavailable", detail, Duration.ofSeconds(1), cause);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
