package dev.tokenguard.introspect;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
import dev.tokenguard.internal.Tickers;
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
 * a failed call is not kept, and becomes a 503 with {@code Retry-After}, never a 401. Tokens are kept under their
 * SHA-256, never as they are. The cache is bounded and admits by frequency (Caffeine's W-TinyLFU), so a flood of
 * made-up tokens cannot push out the answers of tokens in use. With the shared tier, answers (active and inactive)
 * are shared under {@code introspection:<hash of issuer and token hash>} until they expire, and one node of the fleet
 * asks about a token at a time ({@link SharedTier#once}): a fleet introspects a token once. An entry read from the
 * tier is trusted as this node's own answer would be: whoever can write to the store can vouch for tokens (as for
 * profiles), so the store belongs inside the application's trust boundary.
 */
public final class Introspector {
  /** Largest answer read; an introspection answer is a small JSON object. */
  static final int MAX_ANSWER_BYTES = 64 * 1024;
  private static final long MAX_ENTRIES = 100_000;
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
  private volatile URI endpoint;
  private volatile Instant lastCallAt;
  private volatile String lastFailure;

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
   * @param listeners told of cache lookups and calls
   * @param tier the shared tier ({@code cache.redis.uri}): a fleet asks about a token once; {@code null}: none
   */
  public Introspector(IssuerSettings issuer, Clock clock, SignedAnswers signedAnswers, Listeners listeners, SharedTier tier) {
    this.tier = tier;
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
    this.answers = Caffeine.newBuilder().ticker(Tickers.of(clock)).maximumSize(MAX_ENTRIES).expireAfter(new Expiry<String, Answer>() {
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
    CompletableFuture<Answer> mine = new CompletableFuture<>();
    CompletableFuture<Answer> existing = answers.asMap().putIfAbsent(key, mine);
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
      return a;
    } catch (RuntimeException e) {
      lastFailure = e.getMessage();
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
    String form = "token=" + enc(token) + "&token_type_hint=access_token";
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", issuer.get(TokenGuardConfig.INTROSPECTION_JWT_ANSWER) ? JWT_ANSWER : "application/json");
    String clientId = issuer.get(TokenGuardConfig.INTROSPECTION_CLIENT_ID);
    String secret = issuer.get(TokenGuardConfig.INTROSPECTION_CLIENT_SECRET);
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
    HttpResponse<byte[]> response;
    try {
      response = LimitedHttp.send(http, request.POST(HttpRequest.BodyPublishers.ofString(form)).build(), MAX_ANSWER_BYTES,
          timeout);
    } catch (IOException e) {
      throw unavailable("the introspection endpoint " + url + " could not be asked: " + e.getMessage(), e);
    }
    int status = response.statusCode();
    if (status != 200) {
      Duration said = status == 429 || status == 503 ? RetryAfter.of(response.headers(), clock.instant()) : null;
      Duration retry = said == null || said.isZero() ? Duration.ofSeconds(1) : said;
      throw new TokenServiceException("the issuer's token check is unavailable (HTTP " + status + ")",
          "the introspection endpoint " + url + " answered HTTP " + status, retry, null);
    }
    String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(java.util.Locale.ROOT);
    boolean signed = type.startsWith(JWT_ANSWER);
    if (issuer.get(TokenGuardConfig.INTROSPECTION_JWT_ANSWER) && !signed || !signed && !type.startsWith("application/json")) {
      throw unavailable("the introspection endpoint " + url + " answered " + (type.isEmpty() ? "no content type" : type)
          + ", not " + (issuer.get(TokenGuardConfig.INTROSPECTION_JWT_ANSWER) ? JWT_ANSWER : "application/json"), null);
    }
    Map<String, Object> claims;
    String body = new String(response.body(), StandardCharsets.UTF_8);
    try {
      claims = signed ? signedAnswers.verify(body.trim()) : JsonObjects.parse(body);
    } catch (ParseException e) {
      throw unavailable("the introspection endpoint " + url + " answered malformed JSON", e);
    } catch (TokenGuardException | IllegalArgumentException e) {
      throw unavailable("the signed introspection answer of " + url + " cannot be trusted: " + e.getMessage(), e);
    }
    Object active = claims.get("active");
    if (!(active instanceof Boolean)) {
      throw unavailable("the introspection answer of " + url + " has no boolean 'active'", null);
    }
    Instant now = clock.instant();
    if (!((Boolean) active)) {
      return new Answer(null, now.plus(negative));
    }
    Instant until = now.plus(cap);
    if (claims.get("exp") instanceof Number exp && Instant.ofEpochSecond(exp.longValue()).isBefore(until)) {
      until = Instant.ofEpochSecond(exp.longValue());
    }
    return new Answer(java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(claims)), until); // JSON nulls kept
  }

  private URI endpoint() {
    URI e = endpoint;
    if (e == null) {
      try {
        e = discovery.endpoint(issuer.url(), "introspection_endpoint");
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
