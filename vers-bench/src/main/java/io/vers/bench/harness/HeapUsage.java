package io.vers.bench.harness;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Measures the live heap. Stateless. */
final class HeapUsage {
  private HeapUsage() {}

  /** The used heap after a few requested garbage collections: the smallest value seen. */
  static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
