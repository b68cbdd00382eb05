package dev.tokenguard.lookup;

import dev.tokenguard.HealthReport;
import dev.tokenguard.internal.Echo;
import dev.tokenguard.internal.JsonObjects;
import dev.tokenguard.net.LimitedHttp;
import dev.tokenguard.net.RetryAfter;
import dev.tokenguard.net.UrlPolicy;
import dev.tokenguard.observe.Listeners;
import dev.tokenguard.internal.CircuitBreaker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Calls a user API or token endpoint: finite timeouts, a 1 MiB answer limit, https except loopback, one retry
 * with a fresh credential after a 401, and up to {@code max-retries} retries on 408, 429, 500, 502, 503, 504 and
 * connection failures with exponential backoff and jitter, honouring {@code Retry-After} (seconds or HTTP date)
 * and {@code x-ratelimit-reset} (epoch seconds). A wait longer than {@link #MAX_WAIT} is not made: the call
 * gives up at once and reports when to retry. Thread-safe.
 */
final class ApiClient {
  /** Largest accepted answer. */
  static final int MAX_BYTES = 1024 * 1024;
  /** Longest wait before a retry; a provider asking for more is not retried now. */
  static final Duration MAX_WAIT = Duration.ofSeconds(10);
  /** First backoff step; doubled on each retry, with jitter. */
  static final Duration BASE_BACKOFF = Duration.ofMillis(200);
  /** Largest backoff step. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final String provider;
  private final HttpClient client;
  private final Duration timeout;
  private final int maxRetries;
  private final Sleeper sleeper;
  private final Clock clock;
  private final java.util.Set<String> secrets;
  private final Listeners listeners;
  private final CircuitBreaker breaker;
  private final int breakerThreshold;
  private volatile java.time.Instant lastAnswer;
  private volatile java.time.Instant lastFailureAt;
  private volatile String lastFailure;
  private volatile boolean lastExchangeOk = true;

  /** One request. */
  record ApiRequest(String method, URI uri, String contentType, String body, Map<String, String> headers) {
    static ApiRequest get(URI uri) {
      return new ApiRequest("GET", uri, null, null, Map.of());
    }
  }

  /** One answer. */
  record ApiResponse(int status, HttpHeaders headers, String body, URI uri) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  /**
   * @param secrets our own credentials: an error body that repeats one (some servers echo the request) has it
   *     masked before it reaches an exception message or a log line
   */
  ApiClient(String provider, Duration timeout, int maxRetries, Sleeper sleeper, Clock clock, java.util.Set<String> secrets) {
    this(provider, timeout, maxRetries, sleeper, clock, secrets, Listeners.NONE);
  }

  /** As above, telling {@code listeners} of every exchange and retry; a breaker that never opens. */
  ApiClient(String provider, Duration timeout, int maxRetries, Sleeper sleeper, Clock clock, java.util.Set<String> secrets,
      Listeners listeners) {
    this(provider, timeout, maxRetries, sleeper, clock, secrets, listeners, 0, Duration.ZERO);
  }

  /**
   * As above, with a circuit breaker over every exchange with this API (user, token and enrichment calls): after
   * {@code breakerThreshold} failed exchanges in a row (no answer, 408, 429, 5xx) across all users, calls fail at once
   * for {@code openFor}, then one probe decides (0: never opens).
   */
  ApiClient(String provider, Duration timeout, int maxRetries, Sleeper sleeper, Clock clock, java.util.Set<String> secrets,
      Listeners listeners, int breakerThreshold, Duration openFor) {
    this.breakerThreshold = breakerThreshold;
    this.breaker = new CircuitBreaker(breakerThreshold, openFor, clock,
        state -> listeners.userApiBreaker(provider, state.label()));
    this.secrets = secrets;
    this.listeners = listeners;
    this.provider = provider;
    this.client = LimitedHttp.client(timeout);
    this.timeout = timeout;
    this.maxRetries = maxRetries;
    this.sleeper = sleeper;
    this.clock = clock;
  }

  /** The provider preset name. */
  String provider() {
    return provider;
  }

  static boolean isRetryable(int status) {
    return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
  }

  /**
   * Sends {@code request} with {@code credentials}, retrying as described above, and returns the final answer
   * whatever its status.
   *
   * @throws UserLookupException when no answer was received after the retries, or a credential failed
   */
  ApiResponse call(ApiRequest request, CredentialProvider credentials, String userToken) throws UserLookupException {
    String problem = UrlPolicy.problemWith(request.uri().toString());
    if (problem != null) {
      throw new UserLookupException(provider, 0, "bad_url", "refused to call the user API: " + problem, null, null, null);
    }
    boolean refreshedCredential = false;
    for (int attempt = 0; ; attempt++) {
      ApiResponse response;
      String authorization = credentials.authorization(userToken); // may call the token endpoint, through the breaker
      Duration open = breaker.refusal();
      if (open != null) {
        throw new UserLookupException(provider, 0, "circuit_open", "the " + provider + " API failed " + breakerThreshold
            + " times in a row; it is not called for " + Math.max(1, (open.toMillis() + 999) / 1000) + "s", null, open, null);
      }
      long start = System.nanoTime();
      try {
        response = send(request, authorization);
      } catch (IOException e) {
        exchanged(0, start, e.getMessage());
        if (attempt >= maxRetries) {
          throw new UserLookupException(provider, 0, null, e.getMessage(), null, null, e);
        }
        retrying(0, backoff(attempt));
        continue;
      } catch (RuntimeException e) {
        breaker.failed(); // the probe, if it was one, must not stay in flight
        throw e;
      }
      exchanged(response.status(), start, isRetryable(response.status()) ? "HTTP " + response.status() : null);
      if (response.status() == 401 && !refreshedCredential && credentials.invalidate()) {
        refreshedCredential = true;
        attempt--; // a fresh credential is not a retry
        continue;
      }
      if (!isRetryable(response.status()) || attempt >= maxRetries) {
        return response;
      }
      Duration wait = retryAfter(response.headers());
      if (wait != null && wait.compareTo(MAX_WAIT) > 0) {
        return response;
      }
      retrying(response.status(), wait != null ? wait : backoff(attempt));
    }
  }

  /**
   * Records one exchange for health, listeners and the breaker; {@code failure} is null when the API answered usably.
   */
  private void exchanged(int status, long startNanos, String failure) {
    listeners.userApiCall(provider, status, Duration.ofNanos(System.nanoTime() - startNanos));
    if (failure == null) {
      lastAnswer = clock.instant();
      breaker.succeeded();
    } else {
      lastFailure = failure;
      lastFailureAt = clock.instant();
      breaker.failed();
    }
    lastExchangeOk = failure == null;
  }

  private void retrying(int status, Duration wait) throws UserLookupException {
    listeners.userApiRetry(provider, status, wait);
    pause(wait);
  }

  /**
   * Up unless the latest exchange got no answer, a 408, 429 or 5xx; never calls the API (rate limits are tight),
   * so before the first call it is up with {@code lastAnswer} absent.
   */
  HealthReport.Check health() {
    java.time.Instant answer = lastAnswer;
    java.time.Instant failed = lastFailureAt;
    CircuitBreaker.State state = breaker.state();
    boolean up = lastExchangeOk && state != CircuitBreaker.State.OPEN;
    Map<String, Object> d = new java.util.LinkedHashMap<>();
    d.put("provider", provider);
    d.put("breaker", state.label());
    HealthReport.putIfSet(d, "lastAnswer", answer);
    HealthReport.putIfSet(d, "lastFailureAt", failed);
    if (failed != null) {
      HealthReport.putIfSet(d, "lastFailure", masked(String.valueOf(lastFailure)));
    }
    return new HealthReport.Check("user-api " + provider, up, d);
  }

  /** The exception for an answer that is not usable, with the provider's error details. */
  UserLookupException error(ApiResponse r, String what) {
    String code = null;
    String message = null;
    String requestId = r.headers().firstValue("x-request-id")
        .or(() -> r.headers().firstValue("x-correlation-id")).orElse(null);
    try {
      Map<String, Object> body = JsonObjects.parse(masked(r.body())); // before anything is cut short
      code = JsonPaths.string(body, "errorCode|error.code|code|error|status");
      message = JsonPaths.string(body, "message|error_description|errorMessage|title|summary|description|error.message");
      String bodyRequestId = JsonPaths.string(body, "errorId|request_id|requestId");
      requestId = bodyRequestId != null ? bodyRequestId : requestId;
    } catch (java.text.ParseException | RuntimeException e) {
      // not JSON: status alone
    }
    code = code == null ? null : Echo.of(code);
    String text = what + " answered HTTP " + r.status() + (code == null ? "" : " " + code)
        + (message == null ? "" : ": " + Echo.of(message)) + (requestId == null ? "" : " (request id " + Echo.of(requestId) + ")");
    return new UserLookupException(provider, r.status(), code, text,
        requestId == null ? null : Echo.of(requestId), retryAfter(r.headers()), null);
  }

  /** Shorter secrets are not masked: replacing every occurrence of a few characters would garble the text. */
  private static final int MIN_MASKED_SECRET = 8;

  private String masked(String text) {
    for (String secret : secrets) {
      if (secret.length() >= MIN_MASKED_SECRET) {
        text = text.replace(secret, "******");
      }
    }
    return text;
  }

  private ApiResponse send(ApiRequest request, String authorization) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(request.uri())
        .timeout(timeout)
        .header("Accept", "application/json");
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    request.headers().forEach(b::header);
    if (request.body() != null) {
      b.header("Content-Type", request.contentType());
      b.method(request.method(), HttpRequest.BodyPublishers.ofString(request.body(), StandardCharsets.UTF_8));
    } else {
      b.method(request.method(), HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<byte[]> r = LimitedHttp.send(client, b.build(), MAX_BYTES, timeout);
    return new ApiResponse(r.statusCode(), r.headers(), new String(r.body(), StandardCharsets.UTF_8), request.uri());
  }

  /** {@code Retry-After} (seconds or HTTP date), else {@code x-ratelimit-reset} (epoch seconds), else null. */
  Duration retryAfter(HttpHeaders headers) {
    return RetryAfter.of(headers, clock.instant());
  }

  private static Duration backoff(int attempt) {
    long step = Math.min(MAX_BACKOFF.toMillis(), BASE_BACKOFF.toMillis() << Math.min(attempt, 10));
    long jittered = step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
    return Duration.ofMillis(jittered);
  }

  private void pause(Duration d) throws UserLookupException {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserLookupException(provider, 0, null, "interrupted while waiting to retry", null, null, e);
    }
  }
}
