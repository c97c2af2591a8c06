package io.vers.api;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Objects;

/**
 * How a bulk {@link Index#addAll(long[], float[][], AddOptions)} runs: the number of threads and where
 * progress is reported. Immutable.
 *
 * @param threads worker threads, at least 1; algorithms that cannot build in parallel use one
 * @param progress receives the number of vectors added so far
 */
public record AddOptions(int threads, ProgressListener progress) {
  private static final AddOptions DEFAULTS = new AddOptions(1, ProgressListener.NONE);

  /**
   * Checks the components.
   *
   * @param threads worker threads, at least 1
   * @param progress receives the number of vectors added so far
   * @throws IllegalArgumentException if {@code threads < 1}
   * @throws NullPointerException if {@code progress} is null
   */
  public AddOptions {
    checkArgument(threads >= 1, "threads must be at least 1, got %s", threads);
    Objects.requireNonNull(progress, "progress");
  }

  /** {@return one thread, no progress reporting} */
  public static AddOptions defaults() {
    return DEFAULTS;
  }

  /**
   * The given number of threads, no progress reporting.
   *
   * @param threads worker threads, at least 1
   * @return options with {@code threads} threads and {@link ProgressListener#NONE}
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public static AddOptions threads(int threads) {
    return new AddOptions(threads, ProgressListener.NONE);
  }

  /**
   * A copy that uses {@code threads} threads.
   *
   * @param threads worker threads, at least 1
   * @return a copy with {@code threads} threads and the same listener
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public AddOptions withThreads(int threads) {
    return new AddOptions(threads, progress);
  }

  /**
   * A copy that reports to {@code progress}.
   *
   * @param progress the listener to report to; {@link ProgressListener#NONE} for none
   * @return a copy with {@code progress} and the same thread count
   */
  public AddOptions withProgress(ProgressListener progress) {
    return new AddOptions(threads, progress);
  }
}
