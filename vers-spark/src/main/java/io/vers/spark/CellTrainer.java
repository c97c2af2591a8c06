package io.vers.spark;

import io.vers.api.Metric;
import io.vers.ivfflat.KMeans;
import java.util.Arrays;

/**
 * Trains the cells of {@code ivf} partitioning on the driver, from a sample of the items, with vers's
 * own k-means ({@link KMeans} of vers-ivfflat, spherical under COSINE).
 *
 * <h2>Skew</h2>
 * k-means gives a dense region more centroids, but a cell can still end up far larger than the others
 * (one tight cluster holding most items, many exact duplicates). Policy: a cell whose share of the sample
 * is more than {@code maxPartitionFactor} times the mean share is <b>split</b> by a second k-means run on
 * its own sample points into {@code ceil(share / mean)} cells, which replace it. The split cells are
 * ordinary cells: items go to the nearest of all centroids and a query still visits only its
 * {@code probePartitions} nearest, so the work per query does not grow with the skew, while every
 * partition stays near the mean size (memory and build time per task stay bounded). The number of
 * partitions grows by the number of extra cells; {@link Result#cells()} says how many there are.
 */
final class CellTrainer {
  /** Lloyd iterations of each k-means run. */
  static final int ITERATIONS = 20;

  private CellTrainer() {}

  /** The trained centroids and what the skew policy did. */
  static final class Result {
    final float[] centroids;
    final int dimension;
    /** Cells k-means was asked for (fewer than requested when the sample is smaller). */
    final int trained;
    /** Cells that were split, and the cells they became. */
    final int split;
    final int splitInto;

    Result(float[] centroids, int dimension, int trained, int split, int splitInto) {
      this.centroids = centroids;
      this.dimension = dimension;
      this.trained = trained;
      this.split = split;
      this.splitInto = splitInto;
    }

    int cells() {
      return centroids.length / dimension;
    }
  }

  /**
   * @param sample the sampled vectors as given (normalised here under COSINE)
   * @param cells the cells to train; fewer when the sample has fewer vectors
   * @param maxPartitionFactor the largest share of a cell, as a multiple of the mean, before it is split;
   *     {@code Double.POSITIVE_INFINITY} never splits
   */
  static Result train(float[][] sample, int dimension, int cells, Metric metric, long seed, int threads,
      double maxPartitionFactor) {
    int n = sample.length;
    if (n == 0) {
      throw new IllegalArgumentException("no items to train the partitions on");
    }
    float[] data = new float[n * dimension];
    for (int i = 0; i < n; i++) {
      float[] v = sample[i];
      double scale = 1;
      if (metric == Metric.COSINE) {
        double sum = 0;
        for (float x : v) {
          sum += (double) x * x;
        }
        scale = sum == 0 ? 1 : 1 / Math.sqrt(sum);
      }
      for (int j = 0; j < dimension; j++) {
        data[i * dimension + j] = (float) (v[j] * scale);
      }
    }
    int k = Math.min(cells, n);
    boolean spherical = metric == Metric.COSINE;
    KMeans.Result first = kmeans(k, seed, threads, spherical).train(data, n, dimension);
    float[] centroids = first.centroids();
    int[] labels = first.labels();
    int[] counts = new int[k];
    for (int label : labels) {
      counts[label]++;
    }
    double mean = (double) n / k;
    double limit = maxPartitionFactor * mean;
    float[] out = new float[0];
    int split = 0;
    int splitInto = 0;
    for (int c = 0; c < k; c++) {
      if (counts[c] > limit && counts[c] >= 2) {
        int parts = (int) Math.min(counts[c], Math.ceil(counts[c] / mean));
        float[] members = new float[counts[c] * dimension];
        for (int i = 0, m = 0; i < n; i++) {
          if (labels[i] == c) {
            System.arraycopy(data, i * dimension, members, m++ * dimension, dimension);
          }
        }
        float[] sub = kmeans(parts, seed + 1 + c, threads, spherical).train(members, counts[c], dimension)
            .centroids();
        out = append(out, sub);
        split++;
        splitInto += parts;
      } else {
        out = append(out, Arrays.copyOfRange(centroids, c * dimension, (c + 1) * dimension));
      }
    }
    return new Result(out, dimension, k, split, splitInto);
  }

  private static KMeans kmeans(int k, long seed, int threads, boolean spherical) {
    return KMeans.builder(k).seed(seed).threads(threads).spherical(spherical).maxIterations(ITERATIONS).build();
  }

  private static float[] append(float[] a, float[] b) {
    float[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
