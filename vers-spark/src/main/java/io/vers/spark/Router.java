package io.vers.spark;

import io.vers.api.Metric;
import io.vers.spi.simd.Kernels;
import io.vers.spi.simd.VectorKernel;
import java.io.Serializable;

/**
 * The cells of {@code ivf} partitioning: where an item is stored and which partitions a query visits.
 * Distances to the centroids are squared Euclidean, on unit-length copies under {@link Metric#COSINE}
 * (the same order as the cosine distance) and on the vectors as given under L2 and DOT.
 *
 * <p>An item goes to its nearest centroid's cell and, when it lies close to the boundary with its
 * second-nearest cell, to that cell as well: when {@code |x - c2| <= (1 + epsilon) |x - c1|} (distances,
 * not squared; the rule SPANN uses). A query visits its {@code m} nearest cells that hold items. Ties go
 * to the lower cell number. Immutable and thread-safe; the scratch arrays belong to the caller.
 */
final class Router implements Serializable {
  private static final long serialVersionUID = 1L;

  private final float[] centroids;
  private final int cells;
  private final int dimension;
  private final boolean normalize;
  /** The bound on {@code d2 / d1}, squared distances: {@code (1 + epsilon)^2}; 0 when nothing is replicated. */
  private final double replicaBound;

  /**
   * @param replicaBound an item is also stored in its second-nearest cell when the ratio of its squared
   *     distances to the second-nearest and the nearest centroid is at most this; 0 stores every item once
   */
  Router(float[] centroids, int dimension, Metric metric, double replicaBound) {
    if (centroids.length == 0 || centroids.length % dimension != 0) {
      throw new IllegalArgumentException(centroids.length + " centroid floats do not divide into vectors of "
          + dimension);
    }
    this.centroids = centroids;
    this.cells = centroids.length / dimension;
    this.dimension = dimension;
    this.normalize = metric == Metric.COSINE;
    this.replicaBound = replicaBound;
  }

  /**
   * The replication bound under which the fraction {@code fraction} of {@code sample} lies: the
   * {@code fraction} quantile of the items' {@code d2 / d1}. 0 for a fraction of 0 (or a single cell).
   */
  double boundFor(float[][] sample, double fraction) {
    if (fraction <= 0 || cells < 2 || sample.length == 0) {
      return 0;
    }
    if (fraction >= 1) {
      return Double.POSITIVE_INFINITY;
    }
    double[] ratios = new double[sample.length];
    float[] scratch = new float[dimension];
    for (int i = 0; i < sample.length; i++) {
      ratios[i] = ratio(sample[i], scratch);
    }
    java.util.Arrays.sort(ratios);
    return ratios[(int) Math.floor(fraction * (sample.length - 1))];
  }

  /** {@code d2 / d1}: squared distance to the second-nearest centroid over that to the nearest. */
  double ratio(float[] vector, float[] scratch) {
    float[] v = prepare(vector, scratch);
    VectorKernel kernel = Kernels.get().vector();
    float best = Float.POSITIVE_INFINITY;
    float second = Float.POSITIVE_INFINITY;
    for (int c = 0; c < cells; c++) {
      float d = kernel.squaredL2(v, 0, centroids, c * dimension, dimension);
      if (d < best) {
        second = best;
        best = d;
      } else if (d < second) {
        second = d;
      }
    }
    return best == 0 ? Double.POSITIVE_INFINITY : (double) second / best;
  }

  /** The replication bound, {@code (1 + epsilon)^2}. */
  double replicaBound() {
    return replicaBound;
  }

  int cells() {
    return cells;
  }

  int dimension() {
    return dimension;
  }

  /** The centroids, one after the other (not a copy: do not change it). */
  float[] centroids() {
    return centroids;
  }

  /** Whether vectors are scaled to unit length before they are compared with the centroids. */
  boolean normalizes() {
    return normalize;
  }

  /**
   * The cells of an item: the nearest in the low 32 bits, the replica cell (or -1) in the high 32 bits.
   *
   * @param scratch {@code dimension} floats the method may overwrite
   */
  long assign(float[] vector, float[] scratch) {
    float[] v = prepare(vector, scratch);
    VectorKernel kernel = Kernels.get().vector();
    int best = -1;
    int second = -1;
    float bestD = Float.POSITIVE_INFINITY;
    float secondD = Float.POSITIVE_INFINITY;
    for (int c = 0; c < cells; c++) {
      float d = kernel.squaredL2(v, 0, centroids, c * dimension, dimension);
      if (d < bestD) {
        second = best;
        secondD = bestD;
        best = c;
        bestD = d;
      } else if (d < secondD) {
        second = c;
        secondD = d;
      }
    }
    int replica = second >= 0 && replicaBound > 0 && secondD <= replicaBound * bestD ? second : -1;
    return ((long) replica << 32) | (best & 0xFFFFFFFFL);
  }

  static int primary(long assignment) {
    return (int) assignment;
  }

  static int replica(long assignment) {
    return (int) (assignment >> 32);
  }

  /**
   * Writes the {@code m} nearest non-empty cells of {@code query} into {@code out} (fewer when fewer
   * cells hold items), nearest first, and returns how many. A cell that holds nothing is skipped rather
   * than visited, so it never takes the place of one that can answer.
   *
   * @param sizes the vectors in each cell; null counts every cell as non-empty
   * @param distances at least {@code min(m, cells())} floats of scratch
   * @param scratch {@code dimension} floats of scratch
   */
  int probe(float[] query, int m, long[] sizes, int[] out, float[] distances, float[] scratch) {
    float[] q = prepare(query, scratch);
    VectorKernel kernel = Kernels.get().vector();
    int n = Math.min(m, cells);
    int size = 0;
    for (int c = 0; c < cells; c++) {
      if (sizes != null && sizes[c] == 0) {
        continue;
      }
      float d = kernel.squaredL2(q, 0, centroids, c * dimension, dimension);
      if (size == n && d >= distances[n - 1]) {
        continue;
      }
      int i = size < n ? size++ : n - 1;
      while (i > 0 && distances[i - 1] > d) {
        distances[i] = distances[i - 1];
        out[i] = out[i - 1];
        i--;
      }
      distances[i] = d;
      out[i] = c;
    }
    return size;
  }

  private float[] prepare(float[] vector, float[] scratch) {
    if (!normalize) {
      return vector;
    }
    double sum = 0;
    for (float x : vector) {
      sum += (double) x * x;
    }
    double norm = Math.sqrt(sum);
    for (int i = 0; i < dimension; i++) {
      scratch[i] = norm == 0 ? 0f : (float) (vector[i] / norm);
    }
    return scratch;
  }
}
