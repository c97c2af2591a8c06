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

  public AddOptions {
    checkArgument(threads >= 1, "threads must be at least 1, got %s", threads);
    Objects.requireNonNull(progress, "progress");
  }

  /** One thread, no progress reporting. */
  public static AddOptions defaults() {
    return DEFAULTS;
  }

  /** The given number of threads, no progress reporting. */
  public static AddOptions threads(int threads) {
    return new AddOptions(threads, ProgressListener.NONE);
  }

  /** A copy that uses {@code threads} threads. */
  public AddOptions withThreads(int threads) {
    return new AddOptions(threads, progress);
  }

  /** A copy that reports to {@code progress}. */
  public AddOptions withProgress(ProgressListener progress) {
    return new AddOptions(threads, progress);
  }
}
