package io.vers.hnsw;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Grace periods for reusing node ordinals. Searches bracket their work with {@link #enter()} and
 * {@link #exit(int)}; {@link #awaitReaders()} returns once every search that entered before the call
 * has exited, so a node that became unreachable before the call can no longer be held by any search
 * and its ordinal may be rewritten. Searches never wait; two counters alternate between epochs.
 * Thread-safe.
 */
final class ReaderEpochs {
  /** Ints between the two counters, so they sit on different cache lines. */
  private static final int PAD = 16;

  private final AtomicIntegerArray active = new AtomicIntegerArray(2 * PAD);
  private volatile int epoch;

  /** Marks a search as running; returns the token to pass to {@link #exit(int)}. */
  int enter() {
    for (; ; ) {
      int e = epoch;
      int slot = (e & 1) * PAD;
      active.incrementAndGet(slot);
      if (epoch == e) {
        return slot;
      }
      active.decrementAndGet(slot);
    }
  }

  void exit(int token) {
    active.decrementAndGet(token);
  }

  /** Waits until every search that entered before this call has exited. */
  synchronized void awaitReaders() {
    int e = epoch;
    epoch = e + 1;
    int slot = (e & 1) * PAD;
    for (int spins = 0; active.get(slot) != 0; spins++) {
      if (spins < 100) {
        Thread.onSpinWait();
      } else if (spins < 200) {
        Thread.yield();
      } else {
        LockSupport.parkNanos(50_000L);
      }
    }
  }
}
