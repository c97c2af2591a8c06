package io.vers.bench.harness;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The most the heap grows above its level at {@link #start()} (taken after garbage collection) until
 * {@link #stop()}: sampled every 0.2 ms by a daemon thread, so a spike shorter than that can be missed.
 */
public final class HeapPeak {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private final long base;
  private final AtomicLong peak;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Thread sampler;

  private HeapPeak() {
    base = HeapUsage.usedAfterGc();
    peak = new AtomicLong(base);
    sampler = new Thread(() -> {
      while (!stop.get()) {
        sample();
        try {
          Thread.sleep(0, 200_000);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "vers-heap-peak");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Collects garbage, then starts sampling. */
  public static HeapPeak start() {
    return new HeapPeak();
  }

  private void sample() {
    peak.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
  }

  /** Stops sampling and returns the peak growth in bytes. */
  public long stop() throws InterruptedException {
    stop.set(true);
    sampler.join();
    sample();
    return Math.max(0, peak.get() - base);
  }
}
