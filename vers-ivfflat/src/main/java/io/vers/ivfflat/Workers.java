package io.vers.ivfflat;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fixed set of threads for one bulk operation (a training run, a batch add): the calling thread plus
 * {@code threads - 1} daemon workers, started on first need and stopped by {@link #close()}.
 *
 * <p>Work is handed out in blocks from a shared counter, and the caller takes blocks too. The caller
 * waits for the blocks, not for the workers: a worker the scheduler starts late finds no block left and
 * costs nothing, so a busy machine slows a run down by the share of CPU it takes, not by a scheduling
 * delay per parallel step.
 *
 * <p>Not thread-safe: one caller drives it.
 */
final class Workers implements AutoCloseable {
  /** Work over the half-open range {@code [from, to)}. */
  @FunctionalInterface
  interface RangeTask {
    void run(int from, int to);
  }

  private static final AtomicInteger POOLS = new AtomicInteger();

  private final int threads;
  private ExecutorService pool;

  private Workers(int threads) {
    this.threads = threads;
  }

  /** Workers for {@code threads} threads in total, the caller included. */
  static Workers of(int threads) {
    checkArgument(threads >= 1, "threads must be at least 1, got %s", threads);
    return new Workers(threads);
  }

  int threads() {
    return threads;
  }

  /**
   * Runs {@code task} over {@code [0, n)} in blocks of {@code block} and returns when every block is
   * done. After a block throws, the blocks not yet started are skipped and the first exception is
   * rethrown here.
   */
  void forBlocks(int n, int block, RangeTask task) {
    checkArgument(block >= 1, "block must be at least 1, got %s", block);
    int blocks = (int) ((n + (long) block - 1) / block);
    int helpers = Math.min(threads, blocks) - 1;
    if (helpers <= 0) {
      if (n > 0) {
        task.run(0, n);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    CountDownLatch finished = new CountDownLatch(blocks);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable worker = () -> {
      for (int b = next.getAndIncrement(); b < blocks; b = next.getAndIncrement()) {
        try {
          if (failure.get() == null) {
            int from = b * block;
            task.run(from, (int) Math.min(n, (long) from + block));
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        } finally {
          finished.countDown();
        }
      }
    };
    ExecutorService executor = pool();
    for (int i = 0; i < helpers; i++) {
      executor.execute(worker);
    }
    worker.run();
    boolean interrupted = false;
    while (true) {
      try {
        finished.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
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
      throw new IllegalStateException("a worker failed", t);
    }
  }

  private ExecutorService pool() {
    if (pool == null) {
      int poolId = POOLS.incrementAndGet();
      AtomicInteger count = new AtomicInteger();
      ThreadFactory factory = r -> {
        Thread t = new Thread(r, "vers-ivfflat-" + poolId + "-" + count.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
      pool = Executors.newFixedThreadPool(threads - 1, factory);
    }
    return pool;
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
