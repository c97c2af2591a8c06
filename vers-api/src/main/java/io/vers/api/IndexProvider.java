package io.vers.api;

import java.util.List;
import java.util.Map;

/**
 * Service provider for one algorithm. Implementations are registered with
 * {@code @AutoService(IndexProvider.class)} and found through {@link java.util.ServiceLoader}; users
 * reach them through {@link Indexes}. Implementations must have a public no-argument constructor and
 * be stateless.
 */
public interface IndexProvider {
  /** {@return the lowercase name users select the algorithm by, for example {@code "hnsw"}} */
  String name();

  /** {@return one line on what the algorithm is and when to use it} */
  String description();

  /** {@return the build parameters this algorithm accepts} */
  List<ParameterSpec> parameters();

  /**
   * The per-query knobs this algorithm reads from {@link SearchParams}, as specs whose default is the
   * value used when the knob is unset (and whose name is what {@link SearchParams.Builder#set} takes).
   * Empty for exact algorithms.
   *
   * @return the knob specs; empty for exact algorithms
   */
  List<ParameterSpec> searchParameters();

  /**
   * The knobs a search for {@code k} neighbours reads in an index with build parameters {@code parameters}
   * (as its {@link Index#parameters()} reports them): those of {@link #searchParameters()} that such an
   * index reads (every one, unless its build leaves a knob nothing to do), each default being the value
   * such a search uses when the knob is unset. Override it when a default or the set depends on the index
   * or on {@code k}; the default implementation returns {@link #searchParameters()}.
   *
   * @param parameters the index's build parameters
   * @param k the neighbours a search asks for, at least 1
   * @return the knob specs with the defaults of such a search
   */
  default List<ParameterSpec> searchParameters(Map<String, ?> parameters, int k) {
    return searchParameters();
  }

  /**
   * An empty index.
   *
   * @param dimension the number of components of every vector, at least 1
   * @param metric the distance to rank by
   * @param params validated by {@link IndexParams#resolve} against {@link #parameters()}
   * @return the new, empty index
   */
  Index create(int dimension, Metric metric, IndexParams params);

  /**
   * An index built from a batch. Algorithms that learn from data (IVF's k-means) train on it; the
   * default creates an empty index and adds the batch.
   *
   * @param dimension the number of components of every vector, at least 1
   * @param metric the distance to rank by
   * @param params validated by {@link IndexParams#resolve} against {@link #parameters()}
   * @param ids one id per vector
   * @param vectors the vectors to add, each of {@code dimension} components
   * @param options threads and progress reporting for the build
   * @return the index holding the batch
   * @throws IllegalArgumentException if the arrays differ in length or a vector is invalid
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
   * @param snapshot a snapshot of this algorithm, possibly read from an untrusted file
   * @return the restored index
   * @throws CorruptIndexException if the snapshot is not this algorithm's, has an unsupported state
   *     version, or is inconsistent
   */
  Index restore(IndexSnapshot snapshot) throws CorruptIndexException;
}
