package io.vers.hnsw;

import io.vers.api.ProgressListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/** How {@link HnswIndex#addAll} spreads a batch over threads, skips repeated ids and reports progress. */
final class BatchInsert {
  private BatchInsert() {}

  /** Positions of the batch to insert: every position, or for repeated ids only the last one. */
  static int[] lastOccurrences(long[] ids) {
    long[] sorted = ids.clone();
    Arrays.sort(sorted);
    boolean repeats = false;
    for (int i = 1; i < sorted.length && !repeats; i++) {
      repeats = sorted[i] == sorted[i - 1];
    }
    if (!repeats) {
      int[] all = new int[ids.length];
      Arrays.setAll(all, i -> i);
      return all;
    }
    Map<Long, Integer> last = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      last.put(ids[i], i);
    }
    return IntStream.range(0, ids.length).filter(i -> last.get(ids[i]) == i).toArray();
  }

  /**
   * Calls {@code step} once for each of {@code 0 .. count - 1}, on the calling thread and
   * {@code threads - 1} daemon workers taking positions from a shared counter. The first failure stops
   * the others from taking more and is rethrown once all have stopped. An interrupt of the caller while
   * it waits lets the batch finish, and is then set again.
   */
  static void run(int count, int threads, String threadName, IntConsumer step) {
    if (threads <= 1) {
      for (int j = 0; j < count; j++) {
        step.accept(j);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable work = () -> {
      try {
        for (int j = next.getAndIncrement(); j < count && failure.get() == null; j = next.getAndIncrement()) {
          step.accept(j);
        }
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      }
    };
    List<Thread> workers = new ArrayList<>();
    for (int t = 1; t < threads; t++) {
      Thread worker = new Thread(work, threadName + t);
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
    work.run();
    boolean interrupted = false;
    for (Thread worker : workers) {
      while (worker.isAlive()) {
        try {
          worker.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable t = failure.get();
    if (t instanceof RuntimeException) {
      throw (RuntimeException) t;
    }
    if (t instanceof Error) {
      throw (Error) t;
    }
    if (t != null) {
      throw new IllegalStateException("inserting failed", t);
    }
  }

  /** Reports progress monotonically from several threads, a few hundred times per operation at most. */
  static final class Progress {
    private final ProgressListener listener;
    private final long total;
    private final long step;
    private final AtomicLong done = new AtomicLong();
    private long reported;

    Progress(ProgressListener listener, long total) {
      this.listener = listener;
      this.total = total;
      this.step = Math.max(1024, total / 256);
    }

    void step() {
      long d = done.incrementAndGet();
      if (d % step == 0 || d == total) {
        report(d);
      }
    }

    private synchronized void report(long d) {
      if (d > reported) {
        reported = d;
        listener.progress(d, total);
      }
    }
  }
}
