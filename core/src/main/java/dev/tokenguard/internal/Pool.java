package dev.tokenguard.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A few idle objects that cost much to make and little to reuse (a {@code MessageDigest}, an initialised
 * {@code Signature} or {@code Mac}), shared by every thread.
 *
 * <p>Why not a {@code ThreadLocal}: a server that runs each request on a new thread (Jetty's and Tomcat's virtual-thread
 * executors) would make a new object for every request, and a new thread-local map with it. Here an object outlives
 * the thread that used it, and nothing is kept per thread.
 *
 * <p>How: a fixed row of slots, each on its own cache line, so that threads using their own slots never write to a line
 * another one reads. A thread starts at the slot its id picks and walks the row, taking the first object it finds or
 * putting its own in the first empty slot: a few volatile reads and one compare-and-set, no lock, no allocation. Two
 * threads never hold the same object, because a slot is emptied by one successful compare-and-set. A take may miss an
 * object moved behind it while it walks; the caller then makes a new one, which costs time, never an answer. When every
 * slot is full, a given object is let go. Thread-safe.
 */
public final class Pool<T> {
  /**
   * Slots per pool: twice the processors, at least 8 and at most 64, as a power of two (a thread's id picks its first
   * slot). A pool takes 64 bytes a slot (4 KB at most); a key of a key set has one per algorithm it may verify.
   */
  static final int SLOTS =
      Integer.highestOneBit(Math.min(64, Math.max(8, 2 * Runtime.getRuntime().availableProcessors())) * 2 - 1);

  /** References apart in {@link #slots}: 16 references take 64 bytes (compressed) or 128, one cache line or more. */
  private static final int STRIDE = 16;

  private final AtomicReferenceArray<T> slots = new AtomicReferenceArray<>(SLOTS * STRIDE);

  /** An idle object, now the caller's alone, or {@code null} when none is idle (the caller makes one). */
  public T take() {
    int first = firstSlot();
    for (int k = 0; k < SLOTS; k++) {
      int i = ((first + k) & (SLOTS - 1)) * STRIDE;
      T idle = slots.get(i);
      if (idle != null && slots.compareAndSet(i, idle, null)) {
        return idle;
      }
    }
    return null;
  }

  /**
   * Keeps {@code object} for a later {@link #take}, or lets it go when every slot is full. Give back only an object in
   * its reset state: one left half-way by an exception is dropped by the caller instead.
   */
  public void give(T object) {
    int first = firstSlot();
    for (int k = 0; k < SLOTS; k++) {
      int i = ((first + k) & (SLOTS - 1)) * STRIDE;
      if (slots.get(i) == null && slots.compareAndSet(i, null, object)) {
        return;
      }
    }
  }

  /** Threads of a pool have consecutive ids, virtual threads too: so they start at different slots. */
  @SuppressWarnings("deprecation") // getId() is deprecated from JDK 19 for threadId(), which JDK 17 lacks
  private static int firstSlot() {
    return (int) Thread.currentThread().getId();
  }
}
