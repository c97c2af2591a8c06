package io.vers.ivfflat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkersTest {
  @Test
  void everyIndexIsVisitedExactlyOnce() {
    for (int threads = 1; threads <= 4; threads++) {
      try (Workers workers = Workers.of(threads)) {
        for (int n : new int[] {0, 1, 7, 1000, 1001}) {
          AtomicIntegerArray visits = new AtomicIntegerArray(n);
          workers.forBlocks(n, 64, (from, to) -> {
            for (int i = from; i < to; i++) {
              visits.incrementAndGet(i);
            }
          });
          for (int i = 0; i < n; i++) {
            assertEquals(1, visits.get(i), "index " + i + " with " + threads + " threads, n = " + n);
          }
        }
      }
    }
  }

  @Test
  void theFirstFailureReachesTheCaller() {
    IllegalStateException boom = new IllegalStateException("boom");
    try (Workers workers = Workers.of(3)) {
      IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> workers.forBlocks(10_000, 10,
          (from, to) -> {
            if (from == 5_000) {
              throw boom;
            }
          }));
      assertSame(boom, thrown);
      AtomicIntegerArray after = new AtomicIntegerArray(1);
      workers.forBlocks(100, 10, (from, to) -> after.addAndGet(0, to - from));
      assertEquals(100, after.get(0), "the workers stay usable after a failure");
    }
  }
}
