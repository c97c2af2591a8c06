package io.vers.api;

import java.util.List;

/**
 * Service provider for one algorithm. Implementations are registered with
 * {@code @AutoService(IndexProvider.class)} and found through {@link java.util.ServiceLoader}; users
 * reach them through {@link Indexes}. Implementations must have a public no-argument constructor and
 * be stateless.
 */
public interface IndexProvider {
  /** The lowercase name users select the algorithm by, for example {@code "hnsw"}. */
  String name();

  /** One line on what the algorithm is and when to use it. */
  String description();

  /** The build parameters this algorithm accepts. */
  List<ParameterSpec> parameters();

  /**
   * The per-query knobs this algorithm reads from {@link SearchParams}, as specs whose default is the
   * value used when the knob is unset (and whose name is what {@link SearchParams.Builder#set} takes).
   * Empty for exact algorithms.
   */
  List<ParameterSpec> searchParameters();

  /**
   * An empty index.
   *
   * @param params validated by {@link IndexParams#resolve} against {@link #parameters()}
   */
  Index create(int dimension, Metric metric, IndexParams params);

  /**
   * An index built from a batch. Algorithms that learn from data (IVF's k-means) train on it; the
   * default creates an empty index and adds the batch.
   */
  default Index build(
      int dimension, Metric metric, IndexParams params, long[] ids, float[][] vectors, AddOptions options) {
    Index index = create(dimension, metric, params);
    index.addAll(ids, vectors, options);
    return index;
  }

  /**
   * Rebuilds an index from {@link Index#snapshot()} output, validating it. The index may adopt the
   * snapshot's arrays rather than copy them (see {@link IndexSnapshot}), so restore a snapshot once.
   *
   * @throws CorruptIndexException if the snapshot is not this algorithm's, has an unsupported state
   *     version, or is inconsistent
   */
  Index restore(IndexSnapshot snapshot) throws CorruptIndexException;
}
