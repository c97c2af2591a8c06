package io.vers.spi;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the items of a batch on several threads: the calling thread and {@code threads - 1} daemon
 * workers take blocks of consecutive items from a shared counter until none are left. Index builds,
 * k-means and batch searches all run their parallel steps through it. For index implementations; no
 * compatibility promise to applications.
 *
 * <p>The caller waits for the blocks, not for the workers: a worker the scheduler starts late finds no
 * block left and costs nothing, so a busy machine slows a step down by the share of CPU it takes, not
 * by a scheduling delay per step. An operation with many parallel steps (k-means iterations) keeps one
 * {@link Pool} for all of them.
 *
 * <p>Failure: the first exception thrown by any block stops the blocks not yet started and is rethrown
 * to the caller as it is once the running blocks have finished, with any later ones added to it as
 * suppressed. Interruption: if the caller is interrupted, no new blocks are started, the running ones
 * are waited for, and a {@link CancellationException} is thrown with the interrupt flag set again.
 */
public final class Parallel {
  private static final AtomicInteger POOLS = new AtomicInteger();

  private Parallel() {}

  /** Work on one block of items. */
  @FunctionalInterface
  public interface Block {
    /**
     * Processes items {@code [from, to)}.
     *
     * @param worker the worker's number in {@code [0, threads)}, for per-worker scratch; the caller is 0
     * @param from the first item
     * @param to one past the last item
     */
    void run(int worker, int from, int to);
  }

  /**
   * Processes items {@code [0, count)} in blocks of at most {@code blockSize} on up to {@code threads}
   * threads (fewer when there are fewer blocks), with a pool made for this call.
   *
   * @throws IllegalArgumentException if {@code threads < 1} or {@code blockSize < 1}
   */
  public static void forEachBlock(int count, int threads, int blockSize, Block block) {
    try (Pool pool = pool(threads)) {
      pool.forEachBlock(count, blockSize, block);
    }
  }

  /**
   * A pool for {@code threads} threads in total, the caller included; its worker threads start on first
   * need. Close it when the operation ends.
   *
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public static Pool pool(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    return new Pool(threads);
  }

  /** Threads for the parallel steps of one operation. Not thread-safe: one caller drives it. */
  public static final class Pool implements AutoCloseable {
    private final int threads;
    private ExecutorService executor;

    private Pool(int threads) {
      this.threads = threads;
    }

    /** {@return the threads this pool runs blocks on, the caller included} */
    public int threads() {
      return threads;
    }

    /**
     * Processes items {@code [0, count)} in blocks of at most {@code blockSize} and returns when every
     * block has run; see {@link Parallel} for failures and interruption.
     *
     * @throws IllegalArgumentException if {@code blockSize < 1}
     */
    public void forEachBlock(int count, int blockSize, Block block) {
      if (blockSize < 1) {
        throw new IllegalArgumentException("blockSize must be at least 1, got " + blockSize);
      }
      int blocks = (int) ((count + (long) blockSize - 1) / blockSize);
      int workers = Math.min(threads, blocks);
      if (workers <= 1) {
        for (int from = 0; from < count; from += blockSize) {
          if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("interrupted before every item of the batch was processed");
          }
          block.run(0, from, Math.min(count, from + blockSize));
        }
        return;
      }
      Step step = new Step(count, blockSize, blocks, block);
      ExecutorService pool = executor();
      for (int w = 1; w < workers; w++) {
        int worker = w;
        pool.execute(() -> step.work(worker));
      }
      step.work(0);
      boolean interrupted = Thread.currentThread().isInterrupted();
      while (true) {
        try {
          step.finished.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
          step.stop();
        }
      }
      Throwable first = step.failure.get();
      if (interrupted) {
        Thread.currentThread().interrupt();
        if (first == null) {
          throw new CancellationException("interrupted before every item of the batch was processed");
        }
      }
      if (first instanceof RuntimeException) {
        throw (RuntimeException) first;
      }
      if (first instanceof Error) {
        throw (Error) first;
      }
    }

    private ExecutorService executor() {
      if (executor == null) {
        int id = POOLS.incrementAndGet();
        AtomicInteger started = new AtomicInteger();
        executor = Executors.newFixedThreadPool(threads - 1, r -> {
          Thread t = new Thread(r, "vers-worker-" + id + "-" + started.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
      }
      return executor;
    }

    /** Stops the pool's threads; blocks already running finish first. */
    @Override
    public void close() {
      if (executor != null) {
        executor.shutdown();
      }
    }
  }

  /** One parallel step: blocks are counted down by whoever takes them, or by {@link #stop()}. */
  private static final class Step {
    private final int count;
    private final int blockSize;
    private final int blocks;
    private final Block block;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch finished;

    Step(int count, int blockSize, int blocks, Block block) {
      this.count = count;
      this.blockSize = blockSize;
      this.blocks = blocks;
      this.block = block;
      this.finished = new CountDownLatch(blocks);
    }

    void work(int worker) {
      boolean caller = worker == 0;
      for (int b = next.getAndIncrement(); b < blocks; b = next.getAndIncrement()) {
        try {
          if (failure.get() != null) {
            continue;
          }
          if (caller && Thread.currentThread().isInterrupted()) {
            stop();
          } else {
            long from = (long) b * blockSize;
            block.run(worker, (int) from, (int) Math.min(count, from + blockSize));
          }
        } catch (Throwable t) {
          if (!failure.compareAndSet(null, t)) {
            Throwable first = failure.get();
            synchronized (first) {
              first.addSuppressed(t);
            }
          }
          stop();
        } finally {
          finished.countDown();
        }
      }
    }

    /** Takes every block not yet started and counts it as done. */
    void stop() {
      int from = next.getAndSet(Integer.MAX_VALUE / 2);
      for (int b = from; b < blocks; b++) {
        finished.countDown();
      }
    }
  }
}
