package io.vers.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the items of a batch on several threads: the calling thread and {@code threads - 1} daemon
 * workers take blocks of consecutive items from a shared counter until none are left. For index
 * implementations; no compatibility promise to applications.
 *
 * <p>Failure: the first exception thrown by any worker stops the others from taking new blocks and is
 * rethrown to the caller as it is, with any later ones added to it as suppressed. Interruption: if the
 * caller is interrupted while it waits, no new blocks are started, the workers are waited for, and a
 * {@link CancellationException} is thrown with the interrupt flag set again.
 */
public final class Parallel {
  private Parallel() {}

  /** Work on one block of items. */
  @FunctionalInterface
  public interface Block {
    /**
     * Processes items {@code [from, to)}.
     *
     * @param worker the worker's number in {@code [0, threads)}, for per-worker scratch; the caller is 0
     */
    void run(int worker, int from, int to);
  }

  /**
   * Processes items {@code [0, count)} in blocks of at most {@code blockSize} on up to {@code threads}
   * threads (fewer when there are fewer blocks).
   *
   * @throws IllegalArgumentException if {@code threads < 1} or {@code blockSize < 1}
   */
  public static void forEachBlock(int count, int threads, int blockSize, Block block) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    if (blockSize < 1) {
      throw new IllegalArgumentException("blockSize must be at least 1, got " + blockSize);
    }
    int blocks = (int) ((count + (long) blockSize - 1) / blockSize);
    int workers = Math.min(threads, blocks);
    if (workers <= 1) {
      for (int from = 0; from < count; from += blockSize) {
        block.run(0, from, Math.min(count, from + blockSize));
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> started = new ArrayList<>(workers - 1);
    for (int w = 1; w < workers; w++) {
      int worker = w;
      Thread t = new Thread(() -> work(worker, count, blockSize, next, failure, block), "vers-worker-" + w);
      t.setDaemon(true);
      started.add(t);
      t.start();
    }
    work(0, count, blockSize, next, failure, block);
    boolean interrupted = Thread.interrupted();
    if (interrupted) {
      next.set(Integer.MAX_VALUE / 2);
    }
    for (Thread t : started) {
      while (t.isAlive()) {
        try {
          t.join();
        } catch (InterruptedException e) {
          interrupted = true;
          next.set(Integer.MAX_VALUE / 2);
        }
      }
    }
    Throwable first = failure.get();
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

  private static void work(int worker, int count, int blockSize, AtomicInteger next,
      AtomicReference<Throwable> failure, Block block) {
    try {
      for (int b = next.getAndIncrement(); failure.get() == null; b = next.getAndIncrement()) {
        long from = (long) b * blockSize;
        if (from >= count || Thread.currentThread().isInterrupted()) {
          return;
        }
        block.run(worker, (int) from, (int) Math.min(count, from + blockSize));
      }
    } catch (Throwable t) {
      if (!failure.compareAndSet(null, t)) {
        Throwable first = failure.get();
        synchronized (first) {
          first.addSuppressed(t);
        }
      }
    }
  }
}
