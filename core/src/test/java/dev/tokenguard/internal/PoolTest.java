package dev.tokenguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Pool}: reuse across threads, never one object in two hands, a bounded number kept. */
class PoolTest {

  @Test
  void aNewThreadForEveryUseStillReusesOneObject() throws Exception {
    // what a server running each request on a new virtual thread does; a ThreadLocal would make 200 objects here
    Pool<Object> pool = new Pool<>();
    AtomicInteger made = new AtomicInteger();
    for (int i = 0; i < 200; i++) {
      Thread t = new Thread(() -> {
        Object o = pool.take();
        if (o == null) {
          made.incrementAndGet();
          o = new Object();
        }
        pool.give(o);
      });
      t.start();
      t.join();
    }
    assertThat(made).hasValue(1);
  }

  @Test
  void anEmptyPoolGivesNothingAndAFullOneLetsGoOfWhatIsGiven() {
    Pool<Object> pool = new Pool<>();
    assertThat(pool.take()).isNull();
    List<Object> given = new ArrayList<>();
    for (int i = 0; i < Pool.SLOTS + 3; i++) {
      Object o = new Object();
      given.add(o);
      pool.give(o);
    }
    Set<Object> taken = new HashSet<>();
    for (Object o = pool.take(); o != null; o = pool.take()) {
      assertThat(taken.add(o)).as("taken twice").isTrue();
    }
    assertThat(taken).hasSize(Pool.SLOTS);
    assertThat(given).containsAll(taken);
  }

  @Test
  void manyThreadsNeverHoldTheSameObjectAtOnce() throws Exception {
    Pool<AtomicBoolean> pool = new Pool<>();
    int threads = Pool.SLOTS * 2; // more threads than slots: some gives find the row full
    CyclicBarrier start = new CyclicBarrier(threads);
    AtomicInteger shared = new AtomicInteger();
    AtomicInteger made = new AtomicInteger();
    List<Thread> all = new ArrayList<>();
    for (int n = 0; n < threads; n++) {
      Thread t = new Thread(() -> {
        try {
          start.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        for (int i = 0; i < 20_000; i++) {
          AtomicBoolean inUse = pool.take();
          if (inUse == null) {
            made.incrementAndGet();
            inUse = new AtomicBoolean();
          }
          if (!inUse.compareAndSet(false, true)) {
            shared.incrementAndGet();
          }
          Thread.onSpinWait();
          inUse.set(false);
          pool.give(inUse);
        }
      });
      t.start();
      all.add(t);
    }
    for (Thread t : all) {
      t.join();
    }
    assertThat(shared).as("objects in two hands at once").hasValue(0);
    assertThat(made.get()).as("objects made for %d x 20,000 uses", threads).isGreaterThanOrEqualTo(1).isLessThan(threads * 100);
  }
}
