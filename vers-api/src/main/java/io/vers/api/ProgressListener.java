package io.vers.api;

/**
 * Receives progress of a long-running operation such as a bulk add. Called from any thread, at most a
 * few hundred times per operation; implementations must be thread-safe and quick. An index may report
 * progress while it holds its own lock, so a listener must not write, snapshot or save the index it
 * reports on.
 */
@FunctionalInterface
public interface ProgressListener {
  /** A listener that ignores every update. */
  ProgressListener NONE = (done, total) -> {};

  /**
   * Reports that {@code done} of {@code total} units are complete.
   *
   * @param done units completed so far (monotonic per operation)
   * @param total units in the whole operation
   */
  void progress(long done, long total);
}
