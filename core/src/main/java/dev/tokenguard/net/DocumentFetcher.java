package dev.tokenguard.net;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Fetches JSON documents (JWKS, discovery metadata) over HTTP with the limits a security component needs:
 * one deadline for connect and the whole response, a body size limit, at most {@value #MAX_REDIRECTS}
 * redirects and only to the same scheme, host and port, and {@link UrlPolicy} on every URL. Thread-safe.
 */
public final class DocumentFetcher {
  /** Largest accepted document. */
  public static final int MAX_BYTES = 256 * 1024;
  /** Most redirects followed (same origin only). */
  public static final int MAX_REDIRECTS = 3;

  private final HttpClient client;
  private final Duration timeout;

  /** @param timeout the deadline for connecting and for the whole response */
  public DocumentFetcher(Duration timeout) {
    this.timeout = timeout;
    this.client = LimitedHttp.client(timeout);
  }

  /**
   * Why a fetch failed, in a fixed sentence a client may read: it names no URL, host, port or exception, which
   * go to the log only (see {@link FetchException#getMessage()}).
   */
  public enum Problem {
    /** {@link UrlPolicy} refused the URL, or a redirect left the origin or went on too long. */
    REFUSED_LOCATION("the key server's address or redirect is not allowed"),
    /** No complete answer within the timeout (connect or response). */
    NO_ANSWER_IN_TIME("the key server did not answer in time"),
    /** The connection could not be made: refused, unknown host, no route. */
    UNREACHABLE("the key server could not be reached"),
    /** The connection broke before the answer was complete (reset, closed early). */
    CONNECTION_LOST("the key server dropped the connection"),
    /** An HTTP status other than 200. */
    HTTP_STATUS("the key server answered with an HTTP error status"),
    /** The body exceeds {@value #MAX_BYTES} bytes. */
    TOO_LARGE("the key server sent a document that is too large"),
    /** HTML, not JSON, not a JWK set, or metadata without a usable {@code jwks_uri}. */
    NOT_A_KEY_SET("the key server sent a document that is not a valid key set"),
    /** Issuer discovery: the metadata declares another issuer, lacks the endpoint, or is not JSON. */
    UNUSABLE_METADATA("the identity provider's metadata is unusable"),
    /** Anything else (interrupted, unexpected). */
    OTHER("the key server could not be used");

    private final String sentence;

    Problem(String sentence) {
      this.sentence = sentence;
    }

    /** The fixed sentence for clients. */
    public String sentence() {
      return sentence;
    }
  }

  /**
   * A fetch that failed. The message, for logs and operators, names the URL and what went wrong (never a
   * secret); {@link #problem()} and {@link #clientReason()} are what a client may be told.
   */
  public static final class FetchException extends IOException {
    private static final long serialVersionUID = 1L;
    private final Problem problem;
    private final int status;

    /**
     * @param problem what a client may be told
     * @param message for logs and operators
     * @param status the HTTP status, or 0 when no response was received
     * @param cause the underlying failure, or {@code null}
     */
    public FetchException(Problem problem, String message, int status, Throwable cause) {
      super(message, cause);
      this.problem = problem;
      this.status = status;
    }

    /** The HTTP status, or 0 when no response was received. */
    public int status() {
      return status;
    }

    /** Why the fetch failed. */
    public Problem problem() {
      return problem;
    }

    /**
     * The client-safe reason: {@link Problem#sentence()}, for {@link Problem#HTTP_STATUS} with the status
     * ("the key server answered with HTTP 500").
     */
    public String clientReason() {
      return problem == Problem.HTTP_STATUS && status >= 100 && status <= 599
          ? "the key server answered with HTTP " + status : problem.sentence();
    }
  }

  /**
   * GETs {@code uri} and returns the body as text.
   *
   * @throws FetchException on any failure: policy, connect, timeout, non-200 status, HTML, oversized body
   */
  public String get(URI uri) throws FetchException {
    URI current = uri;
    for (int hop = 0; ; hop++) {
      String problem = UrlPolicy.problemWith(current.toString());
      if (problem != null) {
        throw new FetchException(Problem.REFUSED_LOCATION, "refused to fetch " + current + ": " + problem, 0, null);
      }
      HttpResponse<byte[]> response = send(current);
      int status = response.statusCode();
      if (status >= 300 && status < 400 && status != 304) {
        if (hop >= MAX_REDIRECTS) {
          throw new FetchException(Problem.REFUSED_LOCATION, "too many redirects fetching " + uri, status, null);
        }
        String location = response.headers().firstValue("Location").orElse(null);
        if (location == null) {
          throw new FetchException(Problem.HTTP_STATUS, current + " answered " + status + " without a Location", status, null);
        }
        URI next = current.resolve(location);
        if (!sameOrigin(current, next)) {
          throw new FetchException(Problem.REFUSED_LOCATION, current + " redirected to another origin (" + next.getScheme() + "://"
              + next.getHost() + "), which is never followed", status, null);
        }
        current = next;
        continue;
      }
      if (status != 200) {
        throw new FetchException(Problem.HTTP_STATUS, current + " answered HTTP " + status + ", expected 200", status, null);
      }
      String contentType = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
      if (contentType.contains("html")) {
        throw new FetchException(Problem.NOT_A_KEY_SET, current + " answered " + contentType + ", expected JSON", status, null);
      }
      return new String(response.body(), StandardCharsets.UTF_8);
    }
  }

  private HttpResponse<byte[]> send(URI uri) throws FetchException {
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(timeout)
        .header("Accept", "application/json, application/jwk-set+json")
        .GET()
        .build();
    try {
      return LimitedHttp.send(client, request, MAX_BYTES, timeout);
    } catch (IOException e) {
      throw new FetchException(problemOf(e), e.getMessage(), 0, e);
    }
  }

  /** Classifies a transport failure by the exceptions in its cause chain. */
  static Problem problemOf(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof LimitedHttp.TooLargeException) {
        return Problem.TOO_LARGE;
      }
      if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
        return Problem.NO_ANSWER_IN_TIME;
      }
      if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
        return Problem.UNREACHABLE;
      }
      if (t instanceof InterruptedException || t instanceof InterruptedIOException) {
        return Problem.OTHER;
      }
    }
    return Problem.CONNECTION_LOST;
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
        && effectivePort(a) == effectivePort(b);
  }

  private static int effectivePort(URI u) {
    if (u.getPort() != -1) return u.getPort();
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }
}
