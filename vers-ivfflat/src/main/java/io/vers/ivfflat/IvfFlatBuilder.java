package io.vers.ivfflat;

import static com.google.common.base.Preconditions.checkArgument;

import io.vers.api.AddOptions;
import io.vers.api.IllegalParameterException;
import io.vers.api.IndexParams;
import io.vers.api.Metric;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Builds an {@link IvfFlatIndex}; parameters are validated exactly as by name
 * ({@code Indexes.create("ivfflat", ...)}), so both routes give the same index. Not thread-safe.
 */
public final class IvfFlatBuilder {
  private final int dimension;
  private final Metric metric;
  private final Map<String, Object> values = new LinkedHashMap<>();

  IvfFlatBuilder(int dimension, Metric metric) {
    checkArgument(dimension >= 1, "dimension must be at least 1, got %s", dimension);
    this.dimension = dimension;
    this.metric = Objects.requireNonNull(metric, "metric");
  }

  /**
   * Sets the number of lists.
   *
   * @param nlist 1 to {@value IvfFlatIndex#MAX_LISTS}; default {@code floor(4 * sqrt(n))} for n vectors
   * @return this builder
   */
  public IvfFlatBuilder nlist(int nlist) {
    values.put("nlist", nlist);
    return this;
  }

  /**
   * Sets the lists scanned per query unless the query sets {@code nprobe}.
   *
   * @param nprobe at least 1; default {@value IvfFlatIndex#DEFAULT_NPROBE}
   * @return this builder
   */
  public IvfFlatBuilder nprobe(int nprobe) {
    values.put("nprobe", nprobe);
    return this;
  }

  /**
   * Sets how many k-means runs are made; the one with the lowest inertia is kept.
   *
   * @param attempts at least 1; default 1
   * @return this builder
   */
  public IvfFlatBuilder attempts(int attempts) {
    values.put("attempts", attempts);
    return this;
  }

  /**
   * Sets the k-means iterations per run.
   *
   * @param maxIterations at least 1; default {@value KMeans#DEFAULT_MAX_ITERATIONS}
   * @return this builder
   */
  public IvfFlatBuilder maxIterations(int maxIterations) {
    values.put("maxIterations", maxIterations);
    return this;
  }

  /**
   * Sets the seed of k-means sampling and seeding.
   *
   * @param seed any long; default 42
   * @return this builder
   */
  public IvfFlatBuilder seed(long seed) {
    values.put("seed", seed);
    return this;
  }

  /**
   * Sets the vector encoding: {@code none} (32-bit floats) or {@code sq8} (8-bit codes with per-dimension
   * ranges, learned once the index holds {@value io.vers.spi.storage.ScalarQuantizer#TRAIN_AT} vectors;
   * see {@link IvfFlatIndex}).
   *
   * @param quantization {@code none} or {@code sq8}; default {@code none}
   * @return this builder
   */
  public IvfFlatBuilder quantization(String quantization) {
    values.put("quantization", quantization);
    return this;
  }

  /**
   * Sets whether, with {@code sq8}, the float vectors are kept too, so that searches re-rank their best
   * {@code oversample x k} candidates exactly; without them the index takes about a quarter of the
   * memory and returns code distances. Ignored with {@code quantization=none}.
   *
   * @param keepVectors default true
   * @return this builder
   */
  public IvfFlatBuilder keepVectors(boolean keepVectors) {
    values.put("keepVectors", keepVectors);
    return this;
  }

  /**
   * An empty index; it searches exactly until it trains (see {@link IvfFlatIndex}).
   *
   * @return the index
   * @throws IllegalParameterException if a parameter is out of range
   */
  public IvfFlatIndex build() {
    return IvfFlatIndex.create(dimension, metric, resolve());
  }

  /**
   * An index trained on and holding the batch, on one thread.
   *
   * @param ids one id per vector
   * @param vectors the vectors, each of the builder's dimension
   * @return the trained index
   */
  public IvfFlatIndex build(long[] ids, float[][] vectors) {
    return build(ids, vectors, AddOptions.defaults());
  }

  /**
   * An index trained on and holding the batch.
   *
   * @param ids one id per vector
   * @param vectors the vectors, each of the builder's dimension
   * @param options {@code options.threads()} threads for k-means and assignment, and progress
   * @return the trained index
   */
  public IvfFlatIndex build(long[] ids, float[][] vectors, AddOptions options) {
    return IvfFlatIndex.build(dimension, metric, resolve(), ids, vectors, options);
  }

  private IndexParams resolve() {
    return IndexParams.resolve(IvfFlatIndex.NAME, IvfFlatIndex.PARAMETERS, values);
  }
}
