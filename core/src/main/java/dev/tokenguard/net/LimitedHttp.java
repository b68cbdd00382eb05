package dev.tokenguard.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one HTTP request with a deadline for the whole answer and a body size limit: what every outbound call
 * of TokenGuard (JWKS, discovery, user APIs, token endpoints) needs so that a slow or huge answer cannot hold
 * a request thread or fill the heap.
 */
public final class LimitedHttp {
  private LimitedHttp() {}

  /** A client that never follows redirects (callers decide) and connects within {@code timeout}. */
  public static HttpClient client(Duration timeout) {
    return HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /**
   * Sends {@code request} and returns the answer, its body read up to {@code maxBytes}.
   *
   * @throws IOException with a message naming the URL: timeout, connection failure, oversized body
   */
  public static HttpResponse<byte[]> send(HttpClient client, HttpRequest request, int maxBytes, Duration deadline)
      throws IOException {
    CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, info -> new LimitedBody(maxBytes));
    try {
      return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw noAnswerWithin(request, deadline, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while calling " + request.uri(), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)) {
        throw noAnswerWithin(request, deadline, cause); // the request's own timeout won the race with our deadline
      }
      String m = cause.getMessage();
      throw new IOException("calling " + request.uri() + " failed: " + cause.getClass().getSimpleName()
          + (m == null ? "" : " (" + m + ")"), cause);
    }
  }

  /** The answer's body is larger than the limit; the download was cancelled. */
  public static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(int limit) {
      super("the answer is larger than " + limit + " bytes");
    }
  }

  private static IOException noAnswerWithin(HttpRequest request, Duration deadline, Throwable cause) {
    return new IOException("no complete answer from " + request.uri() + " within " + deadline.toMillis() + " ms", cause);
  }

  /** Collects a body up to a size limit and fails, cancelling the download, beyond it. */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int limit;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    LimitedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer b : items) {
        if (buffer.size() + b.remaining() > limit) {
          subscription.cancel();
          result.completeExceptionally(new TooLargeException(limit));
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        buffer.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(buffer.toByteArray());
    }
  }
}
