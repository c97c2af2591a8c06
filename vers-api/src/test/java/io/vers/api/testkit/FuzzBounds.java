package io.vers.api.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The time bound of the fuzz tests: an input of {@code n} bytes is handled in max(1 s, 1 s per MB). The
 * first input of each kind of work in a JVM is run once more before it is timed, so that loading and
 * first compiling the classes it needs is not charged to it.
 */
public final class FuzzBounds {
  private static final Set<String> WARM = ConcurrentHashMap.newKeySet();

  private FuzzBounds() {}

  /** Work that may throw the exceptions its caller documents. */
  @FunctionalInterface
  public interface Action {
    void run() throws IOException;
  }

  /** Runs {@code action} and fails if it took longer than the bound for {@code bytes} bytes of input. */
  public static void within(long bytes, String what, Action action) throws IOException {
    if (WARM.add(what)) {
      action.run();
    }
    long start = System.nanoTime();
    action.run();
    long elapsedNanos = System.nanoTime() - start;
    long boundNanos = Math.max(1_000_000_000L, bytes * 1_000L);
    assertTrue(elapsedNanos <= boundNanos, what + " took " + elapsedNanos / 1_000_000 + " ms on " + bytes
        + " bytes; the bound is " + boundNanos / 1_000_000 + " ms");
  }
}
