package dev.tokenguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import dev.tokenguard.testing.FakeClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The builder every TokenGuard cache comes from: its clock, and its upkeep on the caller's thread. */
class CachesTest {
  @Test
  void evictionIsDoneByTheWriteThatOverfillsTheCache() {
    Cache<Integer, Integer> cache = Caches.builder(Clock.systemUTC()).maximumSize(10).build();
    List<Long> sizesAfterPuts = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      cache.put(i, i);
      sizesAfterPuts.add(cache.estimatedSize());
    }
    // with the common pool doing the upkeep, the size runs ahead of the evictions a pool thread catches up with
    assertThat(sizesAfterPuts).allMatch(size -> size <= 10);
  }

  @Test
  void aTestClockDrivesExpiry() {
    FakeClock clock = FakeClock.at("2026-12-01T10:00:00Z");
    Cache<String, String> cache = Caches.builder(clock).expireAfterWrite(Duration.ofMinutes(1)).build();
    cache.put("k", "v");
    clock.advance(Duration.ofSeconds(59));
    assertThat(cache.getIfPresent("k")).isEqualTo("v");
    clock.advance(Duration.ofSeconds(2));
    assertThat(cache.getIfPresent("k")).isNull();
  }
}
