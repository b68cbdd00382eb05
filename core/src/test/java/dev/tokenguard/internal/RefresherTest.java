package dev.tokenguard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenguard.testing.FakeClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The refresh policy on its own; the JWKS and user-lookup caches keep their own tests of it in use. */
class RefresherTest {
  private static final Duration GAP = Duration.ofSeconds(30);
  private final FakeClock clock = FakeClock.at("2026-12-01T10:00:00Z");
  private final ExecutorService pool = Executors.newFixedThreadPool(8);
  private final AtomicInteger loads = new AtomicInteger();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private Refresher<String, String> refresher(Refresher.Gap rule) {
    return new Refresher<>(clock, pool, GAP, rule, IOException.class, 100);
  }

  /** Starts a background refresh of "k" and waits until the executor runs it; it ends when the latch is counted down. */
  private CountDownLatch runningRefresh(Refresher<String, String> r) throws InterruptedException {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    r.refreshInBackground("k", () -> {
      inside.countDown();
      release.await();
      return counted();
    }, e -> { });
    assertThat(inside.await(5, TimeUnit.SECONDS)).as("the executor runs it").isTrue();
    return release;
  }

  private String counted() {
    return "v" + loads.incrementAndGet();
  }

  @Test
  void windows() {
    Instant t = Instant.parse("2026-12-01T10:00:00Z");
    Duration ttl = Duration.ofMinutes(5);
    Duration ahead = Duration.ofSeconds(30);
    assertThat(Refresher.isDue(t, ttl, ahead, t.plusSeconds(269))).isFalse();
    assertThat(Refresher.isDue(t, ttl, ahead, t.plusSeconds(270))).isTrue();
    assertThat(Refresher.isFresh(t, ttl, t.plusSeconds(299))).isTrue();
    assertThat(Refresher.isFresh(t, ttl, t.plusSeconds(300))).isFalse();
  }

  @Test
  void concurrentCallersShareOneLoad() throws Exception {
    Refresher<String, String> r = refresher(Refresher.Gap.AFTER_FAILURE);
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Refresher.Load<String> slow = () -> {
      inside.countDown();
      release.await();
      return counted();
    };
    List<Future<String>> callers = new ArrayList<>();
    callers.add(pool.submit(() -> r.load("k", () -> null, slow, null)));
    assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 6; i++) {
      callers.add(pool.submit(() -> r.load("k", () -> null, slow, null)));
    }
    Thread.sleep(50); // let the joiners reach the flight; they must not start loads of their own
    release.countDown();
    for (Future<String> f : callers) {
      assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("v1");
    }
    assertThat(loads).hasValue(1);
  }

  @Test
  void everyAttemptGapIsARateLimitFromTheStartOfEachAttempt() throws Exception {
    Refresher<String, String> r = refresher(Refresher.Gap.EVERY_ATTEMPT);
    assertThat(r.load("k", () -> null, this::counted, null)).isEqualTo("v1");
    clock.advance(GAP.minusMillis(1));
    assertThatThrownBy(() -> r.load("k", () -> null, this::counted, null)).as("within the gap after a success")
        .isInstanceOfSatisfying(Refresher.Backoff.class, b -> assertThat(b.lastFailure()).isNull());
    assertThat(r.nextAttemptAllowedAt("k")).isEqualTo(Instant.parse("2026-12-01T10:00:30Z"));
    clock.advance(Duration.ofMillis(1));
    assertThat(r.load("k", () -> null, this::counted, null)).isEqualTo("v2");
    assertThat(r.lastAttempt("k").startedAt()).isEqualTo(Instant.parse("2026-12-01T10:00:30Z"));
  }

  @Test
  void afterFailureGapIsABackoffThatASuccessDoesNotOpen() throws Exception {
    Refresher<String, String> r = refresher(Refresher.Gap.AFTER_FAILURE);
    assertThat(r.load("k", () -> null, this::counted, null)).isEqualTo("v1");
    assertThat(r.load("k", () -> null, this::counted, null)).as("no gap after a success").isEqualTo("v2");
    IOException down = new IOException("down");
    assertThatThrownBy(() -> r.load("k", () -> null, () -> { throw down; }, null)).isSameAs(down);
    assertThat(r.recentFailure("k")).isSameAs(down);
    clock.advance(GAP.minusMillis(1));
    assertThatThrownBy(() -> r.load("k", () -> null, this::counted, null))
        .isInstanceOfSatisfying(Refresher.Backoff.class, b -> assertThat(b.lastFailure()).isSameAs(down));
    clock.advance(Duration.ofMillis(1));
    assertThat(r.recentFailure("k")).isNull();
    assertThat(r.load("k", () -> null, this::counted, null)).isEqualTo("v3");
  }

  @Test
  void failuresOfAnotherTypeAreNotRemembered() {
    Refresher<String, String> r = refresher(Refresher.Gap.AFTER_FAILURE);
    IllegalStateException wrongAnswer = new IllegalStateException("a wrong answer about one key");
    assertThatThrownBy(() -> r.load("k", () -> null, () -> { throw wrongAnswer; }, null)).isSameAs(wrongAnswer);
    assertThat(r.recentFailure("k")).isNull();
    assertThat(r.gapAllows("k", clock.instant())).isTrue();
  }

  @Test
  void aRecheckedValueIsNoAttempt() throws Exception {
    Refresher<String, String> r = refresher(Refresher.Gap.EVERY_ATTEMPT);
    assertThat(r.load("k", () -> "arrived meanwhile", this::counted, null)).isEqualTo("arrived meanwhile");
    assertThat(loads).hasValue(0);
    assertThat(r.lastAttempt("k")).isNull();
  }

  @Test
  void aFailureStaysKnownWhileTheNextAttemptRuns() throws Exception {
    Refresher<String, String> r = refresher(Refresher.Gap.EVERY_ATTEMPT);
    IOException down = new IOException("down");
    assertThatThrownBy(() -> r.load("k", () -> null, () -> { throw down; }, null)).isSameAs(down);
    clock.advance(GAP);
    CountDownLatch release = runningRefresh(r);
    assertThat(r.recentFailure("k")).as("while the refresh runs").isSameAs(down);
    r.refreshInBackground("k", this::counted, e -> { }); // in flight: not queued again
    release.countDown();
    try {
      assertThat(r.load("k", () -> null, this::counted, Duration.ofSeconds(5))).isEqualTo("v1"); // joined it
    } catch (Refresher.Backoff ended) {
      assertThat(ended.lastFailure()).isNull(); // it had ended: within the rate limit after its success
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    assertThat(loads).hasValue(1);
    assertThat(r.recentFailure("k")).isNull();
  }

  @Test
  void aJoinTimesOut() throws Exception {
    Refresher<String, String> r = refresher(Refresher.Gap.EVERY_ATTEMPT);
    CountDownLatch release = runningRefresh(r);
    try {
      assertThatThrownBy(() -> r.load("k", () -> null, this::counted, Duration.ofMillis(50))).isInstanceOf(TimeoutException.class);
    } finally {
      release.countDown();
    }
  }

  @Test
  void aRejectedBackgroundRefreshIsAsIfNeverAttempted() throws Exception {
    Refresher<String, String> r = new Refresher<>(clock, task -> {
      throw new RejectedExecutionException("shut down");
    }, GAP, Refresher.Gap.EVERY_ATTEMPT, IOException.class, 100);
    r.refreshInBackground("k", this::counted, e -> { });
    assertThat(r.lastAttempt("k")).as("the rate limit is not used up").isNull();
    assertThat(r.load("k", () -> null, this::counted, Duration.ofSeconds(1))).isEqualTo("v1");
  }

  @Test
  void aQueuedRefreshIsRunByTheFirstCallerWhoNeedsTheValue() throws Exception {
    List<Runnable> queue = new ArrayList<>();
    Refresher<String, String> r = new Refresher<>(clock, queue::add, GAP, Refresher.Gap.AFTER_FAILURE, IOException.class, 100);
    r.refreshInBackground("k", this::counted, e -> { });
    assertThat(queue).hasSize(1); // the executor is busy (or drops tasks): the refresh waits in its queue
    assertThat(r.load("k", () -> null, () -> "not this one", null)).as("runs the queued load, without waiting").isEqualTo("v1");
    queue.get(0).run(); // the executor gets to it at last: already done, nothing happens
    assertThat(loads).hasValue(1);
  }

  @Test
  void aRecheckThatThrowsGivesTheSlotBack() throws Exception {
    Refresher<String, String> r = refresher(Refresher.Gap.EVERY_ATTEMPT);
    IllegalStateException broken = new IllegalStateException("recheck failed");
    assertThatThrownBy(() -> r.load("k", () -> { throw broken; }, this::counted, null)).isSameAs(broken);
    assertThat(r.load("k", () -> null, this::counted, Duration.ofSeconds(1))).isEqualTo("v1");
  }
}
