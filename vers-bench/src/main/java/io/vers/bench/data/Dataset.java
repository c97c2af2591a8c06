package io.vers.bench.data;

import static com.google.common.base.Preconditions.checkArgument;

import io.vers.api.Metric;
import java.util.Arrays;
import java.util.Optional;

/**
 * A benchmark dataset: base vectors (their ids are their ordinals), query vectors, optionally the exact
 * neighbours of every query (base ordinals, nearest first) and the metric the dataset is meant for.
 * Immutable by convention: the arrays are shared, not copied.
 *
 * @param name how the dataset is reported, for example {@code "fashion-mnist"}
 * @param base the vectors to index
 * @param queries the vectors to search for
 * @param groundTruth per query, exact neighbour ordinals nearest first, or {@code null} when unknown
 * @param metric the metric the ground truth was computed with, or {@code null} when the dataset does not say
 */
public record Dataset(String name, float[][] base, float[][] queries, int[][] groundTruth, Metric metric) {
  public Dataset {
    checkArgument(base.length > 0, "the dataset %s has no base vectors", name);
    checkArgument(queries.length > 0, "the dataset %s has no queries", name);
  }

  /** The number of components of the base vectors. */
  public int dimension() {
    return base[0].length;
  }

  /** The metric the dataset is meant for, when it says. */
  public Optional<Metric> declaredMetric() {
    return Optional.ofNullable(metric);
  }

  /** This dataset with at most {@code max} queries (and their ground truth). */
  public Dataset limitQueries(int max) {
    if (max >= queries.length) {
      return this;
    }
    return new Dataset(name, base, Arrays.copyOf(queries, max),
        groundTruth == null ? null : Arrays.copyOf(groundTruth, Math.min(max, groundTruth.length)), metric);
  }

  /** This dataset with {@code groundTruth} as its exact neighbours. */
  public Dataset withGroundTruth(int[][] groundTruth) {
    return new Dataset(name, base, queries, groundTruth, metric);
  }
}
