package io.vers.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ParallelTest {
  @Property(tries = 60)
  void everyItemIsProcessedExactlyOnceByAWorkerInRange(@ForAll @IntRange(min = 0, max = 3000) int count,
      @ForAll @IntRange(min = 1, max = 4) int threads, @ForAll @IntRange(min = 1, max = 300) int blockSize) {
    AtomicIntegerArray visits = new AtomicIntegerArray(count);
    AtomicInteger badWorker = new AtomicInteger(-1);
    Parallel.forEachBlock(count, threads, blockSize, (worker, from, to) -> {
      if (worker < 0 || worker >= threads || to - from > blockSize || from >= to) {
        badWorker.set(worker);
      }
      for (int i = from; i < to; i++) {
        visits.incrementAndGet(i);
      }
    });
    assertEquals(-1, badWorker.get());
    for (int i = 0; i < count; i++) {
      assertEquals(1, visits.get(i), "item " + i);
    }
  }

  @Test
  void theFirstFailureReachesTheCallerAsItIsAndThePoolStaysUsable() {
    IllegalStateException boom = new IllegalStateException("boom");
    try (Parallel.Pool pool = Parallel.pool(3)) {
      IllegalStateException thrown = assertThrows(IllegalStateException.class,
          () -> pool.forEachBlock(10_000, 10, (worker, from, to) -> {
            if (from == 5_000) {
              throw boom;
            }
          }));
      assertSame(boom, thrown);
      AtomicInteger after = new AtomicInteger();
      pool.forEachBlock(100, 10, (worker, from, to) -> after.addAndGet(to - from));
      assertEquals(100, after.get());
    }
  }

  @Test
  void laterFailuresAreSuppressedOntoTheFirst() {
    CountDownLatch bothStarted = new CountDownLatch(2);
    List<Throwable> thrown = new ArrayList<>();
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> Parallel.forEachBlock(2, 2, 1, (worker, from, to) -> {
          bothStarted.countDown();
          try {
            bothStarted.await();
          } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
          }
          RuntimeException failure = new RuntimeException("item " + from);
          synchronized (thrown) {
            thrown.add(failure);
          }
          throw failure;
        }));
    assertTrue(thrown.contains(e));
    assertEquals(1, e.getSuppressed().length);
    assertTrue(thrown.contains(e.getSuppressed()[0]));
  }

  @Test
  void anInterruptedCallerStartsNoNewBlocksAndGetsCancellation() throws Exception {
    AtomicInteger started = new AtomicInteger();
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    AtomicReference<Boolean> flagAfter = new AtomicReference<>();
    CountDownLatch running = new CountDownLatch(1);
    Thread caller = new Thread(() -> {
      try {
        Parallel.forEachBlock(1_000, 2, 1, (worker, from, to) -> {
          started.incrementAndGet();
          running.countDown();
          long until = System.nanoTime() + 2_000_000;
          while (System.nanoTime() < until) {
            Thread.onSpinWait();
          }
        });
      } catch (Throwable t) {
        outcome.set(t);
      }
      flagAfter.set(Thread.currentThread().isInterrupted());
    });
    caller.start();
    running.await();
    caller.interrupt();
    caller.join(10_000);
    assertTrue(outcome.get() instanceof CancellationException, "outcome: " + outcome.get());
    assertTrue(flagAfter.get(), "the interrupt flag is set again");
    assertTrue(started.get() < 1_000, "blocks started: " + started.get());
  }

  @Test
  void progressIsReportedMonotonicallyAtMostEveryStepAndAtTheEnd() {
    List<long[]> reports = new ArrayList<>();
    Progress progress = new Progress((done, total) -> reports.add(new long[] {done, total}), 1_000_000);
    Parallel.forEachBlock(1_000_000, 3, 1_000, (worker, from, to) -> progress.advance(to - from));
    progress.finish();
    progress.finish();
    assertTrue(reports.size() <= 101, "reports: " + reports.size());
    long previous = 0;
    for (long[] r : reports) {
      assertTrue(r[0] > previous && r[1] == 1_000_000);
      previous = r[0];
    }
    assertEquals(1_000_000, previous);
  }
}
