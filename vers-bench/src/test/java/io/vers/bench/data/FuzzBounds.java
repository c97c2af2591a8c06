package io.vers.bench.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

/** The time bound of the fuzz tests: an input of {@code n} bytes is handled in max(1 s, 1 s per MB). */
final class FuzzBounds {
  private FuzzBounds() {}

  /** Work that may throw the exceptions its caller documents. */
  @FunctionalInterface
  interface Action {
    void run() throws IOException;
  }

  /** Runs {@code action} and fails if it took longer than the bound for {@code bytes} bytes of input. */
  static void within(long bytes, String what, Action action) throws IOException {
    long start = System.nanoTime();
    action.run();
    long elapsedNanos = System.nanoTime() - start;
    long boundNanos = Math.max(1_000_000_000L, bytes * 1_000L);
    assertTrue(elapsedNanos <= boundNanos, what + " took " + elapsedNanos / 1_000_000 + " ms on " + bytes
        + " bytes; the bound is " + boundNanos / 1_000_000 + " ms");
  }
}
