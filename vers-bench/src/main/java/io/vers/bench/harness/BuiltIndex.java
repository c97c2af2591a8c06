package io.vers.bench.harness;

import io.vers.api.Calibration;
import java.util.Map;
import java.util.Optional;

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
   * A runner that answers all queries in one batch call with the knob {@code knob} set to {@code value}
   * (the index's defaults when {@code knob} is {@code null}); empty when the index has no batch call.
   */
  default Optional<BatchRunner> batchSearcher(String knob, int value) {
    return Optional.empty();
  }

  /**
   * A searcher that asks the index for a recall@k of at least {@code targetRecall} and lets it choose its
   * knob (its first search may calibrate the index); empty when the index cannot.
   */
  default Optional<QueryRunner> targetRecallSearcher(double targetRecall) {
    return Optional.empty();
  }

  /** The index's calibration for {@code k} results (measured now if it has none); empty when it has none. */
  default Optional<Calibration> calibration(int k) {
    return Optional.empty();
  }

  /**
   * Heap bytes the index holds, vectors included, by its own accounting; -1 when it keeps none, in which
   * case the benchmark measures the growth of the used heap across the build.
   */
  long bytes();

  @Override
  default void close() {}
}
