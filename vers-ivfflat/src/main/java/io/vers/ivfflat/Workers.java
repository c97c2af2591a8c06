package io.vers.ivfflat;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of threads for one bulk operation (a training run, a batch add): the calling thread plus
 * {@code threads - 1} daemon workers, which exist until {@link #close()}. Work is handed out in blocks
 * from a shared counter, so a thread slowed by other load takes fewer blocks.
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
  private final ExecutorService pool;

  private Workers(int threads) {
    this.threads = threads;
    if (threads == 1) {
      this.pool = null;
    } else {
      int poolId = POOLS.incrementAndGet();
      AtomicInteger count = new AtomicInteger();
      ThreadFactory factory = r -> {
        Thread t = new Thread(r, "vers-ivfflat-" + poolId + "-" + count.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
      this.pool = Executors.newFixedThreadPool(threads - 1, factory);
    }
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
   * done. An exception thrown by a block is rethrown here after the other threads stop taking blocks.
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
    Runnable worker = () -> {
      for (int b = next.getAndIncrement(); b < blocks; b = next.getAndIncrement()) {
        int from = b * block;
        task.run(from, (int) Math.min(n, (long) from + block));
      }
    };
    List<Future<?>> futures = new ArrayList<>(helpers);
    for (int i = 0; i < helpers; i++) {
      futures.add(pool.submit(worker));
    }
    Throwable failure = null;
    try {
      worker.run();
    } catch (RuntimeException | Error e) {
      next.set(blocks);
      failure = e;
    }
    boolean interrupted = false;
    for (Future<?> f : futures) {
      while (true) {
        try {
          f.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          next.set(blocks);
          if (failure == null) {
            failure = e.getCause();
          }
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure instanceof RuntimeException) {
      throw (RuntimeException) failure;
    }
    if (failure instanceof Error) {
      throw (Error) failure;
    }
    if (failure != null) {
      throw new IllegalStateException("a worker failed", failure);
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
