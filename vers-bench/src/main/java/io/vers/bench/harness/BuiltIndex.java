package io.vers.bench.harness;

import java.util.Map;

/** A built index under benchmark. Searches run on one thread; not thread-safe. */
public interface BuiltIndex extends AutoCloseable {
  /** The build parameters in effect, by canonical name. */
  Map<String, Object> parameters();

  /**
   * A searcher with the knob {@code knob} set to {@code value}, or with the index's defaults when
   * {@code knob} is {@code null}.
   */
  QueryRunner searcher(String knob, int value);

  /**
   * Heap bytes the index holds, vectors included, by its own accounting; -1 when it keeps none, in which
   * case the benchmark measures the growth of the used heap across the build.
   */
  long bytes();

  @Override
  default void close() {}
}
