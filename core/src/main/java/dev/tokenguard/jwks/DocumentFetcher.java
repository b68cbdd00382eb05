package dev.tokenguard.jwks;

import java.io.IOException;
import dev.tokenguard.internal.LimitedHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

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

  /** A fetch that failed; the message names the URL and what went wrong, never a secret. */
  public static final class FetchException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    FetchException(String message, int status, Throwable cause) {
      super(message, cause);
      this.status = status;
    }

    /** The HTTP status, or 0 when no response was received. */
    public int status() {
      return status;
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
        throw new FetchException("refused to fetch " + current + ": " + problem, 0, null);
      }
      HttpResponse<byte[]> response = send(current);
      int status = response.statusCode();
      if (status >= 300 && status < 400 && status != 304) {
        if (hop >= MAX_REDIRECTS) {
          throw new FetchException("too many redirects fetching " + uri, status, null);
        }
        String location = response.headers().firstValue("Location").orElse(null);
        if (location == null) {
          throw new FetchException(current + " answered " + status + " without a Location", status, null);
        }
        URI next = current.resolve(location);
        if (!sameOrigin(current, next)) {
          throw new FetchException(current + " redirected to another origin (" + next.getScheme() + "://"
              + next.getHost() + "), which is never followed", status, null);
        }
        current = next;
        continue;
      }
      if (status != 200) {
        throw new FetchException(current + " answered HTTP " + status + ", expected 200", status, null);
      }
      String contentType = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
      if (contentType.contains("html")) {
        throw new FetchException(current + " answered " + contentType + ", expected JSON", status, null);
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
      throw new FetchException(e.getMessage(), 0, e);
    }
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
