package io.vers.ivfflat;

import io.vers.spi.Parallel;
import io.vers.spi.simd.Kernels;
import java.util.Arrays;

/**
 * The iterations of one k-means attempt from seeded centroids: assignment ({@link CentroidPanels}),
 * centroid moves, and the repair of empty clusters. Every sum runs in a fixed order, so the result does not
 * depend on how the work is split over {@code workers}.
 *
 * <p>Not thread-safe: driven by one thread, which spreads the work over {@code workers}.
 */
final class LloydRun {
  private final Rows x;
  private final int k;
  private final int dimension;
  private final float[] centroids;
  private final boolean spherical;
  private final Parallel.Pool workers;
  private final int[] labels;
  /** Each point's squared distance to its centroid, as of the last assignment. */
  private final float[] distances;
  /** Each point's squared length, when assignment uses it; computed once. */
  private float[] norms;

  /** Starts from {@code centroids} ({@code k * dimension} floats), which this run moves in place. */
  LloydRun(Rows x, float[] centroids, int k, boolean spherical, Parallel.Pool workers) {
    this.x = x;
    this.k = k;
    this.dimension = x.dimension();
    this.centroids = centroids;
    this.spherical = spherical;
    this.workers = workers;
    this.labels = new int[x.size()];
    this.distances = new float[x.size()];
  }

  int[] labels() {
    return labels;
  }

  /** Assigns every point to its nearest centroid, then repairs empty clusters. */
  void assign() {
    CentroidPanels panels = new CentroidPanels(centroids, k, dimension);
    if (norms == null && Kernels.get().simd()) {
      norms = CentroidPanels.squaredNorms(x, workers);
    }
    float[] rowNorms = norms;
    workers.forEachBlock(x.size(), 256,
        (worker, from, to) -> panels.assignRange(x, rowNorms, from, to, labels, distances, null));
    fillEmptyClusters();
  }

  /**
   * Moves every centroid to the mean of its points (re-normalised when spherical; a centroid whose
   * points sum to zero stays), then assigns again. Sums run per centroid in point order.
   *
   * @return the sum over centroids of the squared distance moved
   */
  double iterate() {
    int m = x.size();
    int[] start = new int[k + 1];
    for (int label : labels) {
      start[label + 1]++;
    }
    for (int c = 0; c < k; c++) {
      start[c + 1] += start[c];
    }
    int[] members = new int[m];
    int[] cursor = Arrays.copyOf(start, k);
    for (int i = 0; i < m; i++) {
      members[cursor[labels[i]]++] = i;
    }
    double[] moved = new double[k];
    workers.forEachBlock(k, 16, (worker, from, to) -> {
      double[] sum = new double[dimension];
      for (int c = from; c < to; c++) {
        int count = start[c + 1] - start[c];
        if (count == 0) {
          continue;
        }
        Arrays.fill(sum, 0);
        for (int j = start[c]; j < start[c + 1]; j++) {
          int row = members[j];
          float[] array = x.array(row);
          int offset = x.offset(row);
          for (int d = 0; d < dimension; d++) {
            sum[d] += array[offset + d];
          }
        }
        double scale = 1.0 / count;
        if (spherical) {
          double norm = 0;
          for (double s : sum) {
            norm += s * s;
          }
          if (norm == 0) {
            continue;
          }
          scale = 1.0 / Math.sqrt(norm);
        }
        double squaredMove = 0;
        int offset = c * dimension;
        for (int d = 0; d < dimension; d++) {
          float value = (float) (sum[d] * scale);
          double delta = value - centroids[offset + d];
          squaredMove += delta * delta;
          centroids[offset + d] = value;
        }
        moved[c] = squaredMove;
      }
    });
    assign();
    double total = 0;
    for (double d : moved) {
      total += d;
    }
    return total;
  }

  /**
   * Gives every empty cluster the point of the largest cluster farthest from that cluster's centroid,
   * and makes the point its centroid: the largest cluster is split. With at least {@code k} points a
   * cluster of two or more always exists while one is empty, so no cluster stays empty.
   */
  private void fillEmptyClusters() {
    int m = x.size();
    int[] sizes = new int[k];
    for (int label : labels) {
      sizes[label]++;
    }
    for (int empty = 0; empty < k; empty++) {
      if (sizes[empty] > 0) {
        continue;
      }
      int largest = 0;
      for (int c = 1; c < k; c++) {
        if (sizes[c] > sizes[largest]) {
          largest = c;
        }
      }
      if (sizes[largest] < 2) {
        return;
      }
      int farthest = -1;
      float farthestDistance = -1;
      for (int i = 0; i < m; i++) {
        if (labels[i] == largest && distances[i] > farthestDistance) {
          farthest = i;
          farthestDistance = distances[i];
        }
      }
      x.copyTo(farthest, centroids, empty * dimension);
      labels[farthest] = empty;
      distances[farthest] = 0;
      sizes[largest]--;
      sizes[empty] = 1;
    }
  }

  /** The sum of each point's squared distance to its centroid, added in point order. */
  double inertia() {
    double inertia = 0;
    for (float d : distances) {
      inertia += d;
    }
    return inertia;
  }
}
