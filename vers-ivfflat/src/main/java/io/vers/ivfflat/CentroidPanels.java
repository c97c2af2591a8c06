package io.vers.ivfflat;

import io.vers.api.Metric;
import io.vers.spi.Parallel;
import io.vers.spi.RamUsage;
import io.vers.spi.simd.DotPanels;
import io.vers.spi.simd.Kernels;
import java.util.function.IntConsumer;

/**
 * A set of centroids prepared for assigning many vectors to their nearest centroid (squared L2, lowest
 * index on ties): the work of every k-means iteration and of every batch add. Immutable; build one per
 * set of centroids and share it between threads.
 *
 * <p>With the Vector API, the centroids are copied component-major into panels of
 * {@link DotPanels#width()} and scored by {@code |c|^2 - 2 x.c} ({@code |x|^2} is the same for every
 * centroid), so that a handful of rows against a panel is a register-blocked multiply-add kernel with
 * no horizontal sums: the arithmetic, not the memory, sets the pace. The reported squared distance is
 * {@code |x|^2 + |c|^2 - 2 x.c}, floored at 0. Without the Vector API each pair goes through
 * {@link Metric#L2}.
 *
 * <p>The same panels rank the centroids for queries ({@link #scoreRows}, {@link #scoreRow}): a batch
 * of queries in groups of {@link DotPanels#rows()}, one query over four panels at a time, each
 * score the same in both.
 */
final class CentroidPanels {
  private static final boolean SIMD = Kernels.get().simd();
  private static final DotPanels PANELS = Kernels.get().dotPanels();
  /** Rows per block: a block is compared with one panel at a time while both stay in cache. */
  private static final int ROW_BLOCK = 64;

  private final float[] centroids;
  private final int k;
  private final int dimension;
  /** Panel {@code p} holds centroid {@code p * WIDTH + j}'s component {@code i} at {@code (p * dimension + i) * WIDTH + j}. */
  private final float[] panels;
  /** Squared lengths of the centroids. */
  private final float[] norms;

  /** Prepares {@code k} centroids of {@code dimension} floats, read from {@code centroids} (not retained if SIMD). */
  CentroidPanels(float[] centroids, int k, int dimension) {
    this.k = k;
    this.dimension = dimension;
    if (!SIMD) {
      this.centroids = centroids;
      this.panels = null;
      this.norms = new float[k];
      for (int c = 0; c < k; c++) {
        norms[c] = squaredNorm(centroids, c * dimension, dimension);
      }
      return;
    }
    this.centroids = null;
    int width = PANELS.width();
    int panelCount = (k + width - 1) / width;
    long floats = (long) panelCount * width * dimension;
    if (floats > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(k + " centroids of dimension " + dimension + " are too many to assign to");
    }
    this.panels = new float[(int) floats];
    this.norms = new float[k];
    for (int c = 0; c < k; c++) {
      int base = (c / width) * dimension * width + c % width;
      double norm = 0;
      for (int i = 0; i < dimension; i++) {
        float value = centroids[c * dimension + i];
        panels[base + i * width] = value;
        norm += (double) value * value;
      }
      norms[c] = (float) norm;
    }
  }

  /**
   * The nearest centroid of every row, on {@code workers}; {@code progress}, when not null, is told
   * of each block of rows done.
   */
  int[] assign(Rows rows, Parallel.Pool workers, IntConsumer progress) {
    int n = rows.size();
    int[] labels = new int[n];
    float[] distances = new float[n];
    int block = Math.max(256, n / 200);
    workers.forEachBlock(n, block, (worker, from, to) -> {
      assignRange(rows, null, from, to, labels, distances, null);
      if (progress != null) {
        progress.accept(to - from);
      }
    });
    return labels;
  }

  /**
   * Writes, for rows {@code [from, to)}, the nearest centroid into {@code labels} and its squared
   * distance into {@code distances}, both indexed by row; when {@code seconds} is not null, also the
   * squared distance to the second nearest (infinity with one centroid).
   *
   * @param rowNorms the rows' squared lengths by row, when the caller keeps them; else null
   */
  void assignRange(Rows rows, float[] rowNorms, int from, int to, int[] labels, float[] distances, float[] seconds) {
    if (SIMD) {
      assignPanels(rows, rowNorms, from, to, labels, distances, seconds);
    } else {
      assignPairs(rows, from, to, labels, distances, seconds);
    }
  }

  private void assignPanels(
      Rows rows, float[] rowNorms, int from, int to, int[] labels, float[] distances, float[] seconds) {
    int width = PANELS.width();
    int group = PANELS.rows();
    int panelCount = (k + width - 1) / width;
    float[] dots = new float[group * width];
    float[] block = new float[ROW_BLOCK * dimension];
    int[] offsets = new int[group];
    float[] best = new float[ROW_BLOCK];
    float[] second = new float[ROW_BLOCK];
    int[] label = new int[ROW_BLOCK];
    for (int r0 = from; r0 < to; r0 += ROW_BLOCK) {
      int r1 = Math.min(to, r0 + ROW_BLOCK);
      for (int r = 0; r < r1 - r0; r++) {
        rows.copyTo(r0 + r, block, r * dimension);
        best[r] = Float.POSITIVE_INFINITY;
        second[r] = Float.POSITIVE_INFINITY;
        label[r] = 0;
      }
      for (int p = 0; p < panelCount; p++) {
        int first = p * width;
        int columns = Math.min(width, k - first);
        int panelOffset = p * dimension * width;
        for (int g = r0; g < r1; g += group) {
          for (int i = 0; i < group; i++) {
            offsets[i] = (Math.min(g + i, r1 - 1) - r0) * dimension;
          }
          PANELS.dot(block, offsets, panels, panelOffset, dimension, dots);
          for (int i = 0, real = Math.min(group, r1 - g); i < real; i++) {
            int r = g + i - r0;
            float b = best[r];
            float s = second[r];
            int l = label[r];
            for (int j = 0; j < columns; j++) {
              float score = norms[first + j] - 2 * dots[i * width + j];
              if (score < b) {
                s = b;
                b = score;
                l = first + j;
              } else if (score < s) {
                s = score;
              }
            }
            best[r] = b;
            second[r] = s;
            label[r] = l;
          }
        }
      }
      for (int row = r0; row < r1; row++) {
        int r = row - r0;
        float norm = rowNorms != null ? rowNorms[row] : squaredNorm(block, r * dimension);
        labels[row] = label[r];
        distances[row] = Math.max(0f, norm + best[r]);
        if (seconds != null) {
          seconds[row] = Math.max(0f, norm + second[r]);
        }
      }
    }
  }

  private void assignPairs(Rows rows, int from, int to, int[] labels, float[] distances, float[] seconds) {
    for (int row = from; row < to; row++) {
      float[] array = rows.array(row);
      int offset = rows.offset(row);
      float best = Float.POSITIVE_INFINITY;
      float second = Float.POSITIVE_INFINITY;
      int label = 0;
      for (int c = 0; c < k; c++) {
        float d = Metric.L2.distance(array, offset, centroids, c * dimension, dimension);
        if (d < best) {
          second = best;
          best = d;
          label = c;
        } else if (d < second) {
          second = d;
        }
      }
      labels[row] = label;
      distances[row] = best;
      if (seconds != null) {
        seconds[row] = second;
      }
    }
  }

  /**
   * Floats of scratch that {@link #scoreRows} and {@link #scoreRow} need, for each calling thread to
   * allocate once.
   */
  static int scoreScratch() {
    return SIMD ? Math.max(PANELS.rows(), 4) * PANELS.width() : 0;
  }

  /** Queries {@link #scoreRows} scores together: {@code offsets} needs that many ints. */
  static int scoreGroup() {
    return SIMD ? PANELS.rows() : 1;
  }

  /**
   * Scores that rank the centroids for {@code count} queries as the index's metric ranks them, smaller
   * nearer: {@code |c|^2 - 2 q.c} (the squared L2 distance less {@code |q|^2}) under L2 and COSINE,
   * {@code -q.c} under DOT; without the Vector API, {@link Metric#L2}'s or {@link Metric#DOT}'s
   * distance. Query {@code r} is {@code dimension} floats of {@code rows} from
   * {@code (first + r) * dimension}; its scores go to {@code out[r * stride ..]}. A query's score for a
   * centroid does not depend on the other queries of the call: {@link #scoreRow} gives the same.
   *
   * @param dot whether the metric is DOT
   * @param dots {@link #scoreScratch()} floats
   * @param offsets {@link #scoreGroup()} ints
   */
  void scoreRows(float[] rows, int first, int count, boolean dot, float[] out, int stride, float[] dots,
      int[] offsets) {
    if (!SIMD) {
      for (int r = 0; r < count; r++) {
        scoreRow(rows, (first + r) * dimension, dot, out, r * stride, dots);
      }
      return;
    }
    int width = PANELS.width();
    int group = PANELS.rows();
    int panelCount = (k + width - 1) / width;
    for (int p = 0; p < panelCount; p++) {
      int firstCentroid = p * width;
      int columns = Math.min(width, k - firstCentroid);
      int panelOffset = p * dimension * width;
      for (int g = 0; g < count; g += group) {
        for (int i = 0; i < group; i++) {
          offsets[i] = (first + Math.min(g + i, count - 1)) * dimension;
        }
        PANELS.dot(rows, offsets, panels, panelOffset, dimension, dots);
        for (int i = 0, real = Math.min(group, count - g); i < real; i++) {
          int at = (g + i) * stride + firstCentroid;
          for (int j = 0; j < columns; j++) {
            out[at + j] = score(firstCentroid + j, dots[i * width + j], dot);
          }
        }
      }
    }
  }

  /**
   * {@link #scoreRows} for the one query {@code query[offset ..]}, into {@code out[at .. at + k)}.
   *
   * @param dots {@link #scoreScratch()} floats
   */
  void scoreRow(float[] query, int offset, boolean dot, float[] out, int at, float[] dots) {
    if (!SIMD) {
      Metric metric = dot ? Metric.DOT : Metric.L2;
      for (int c = 0; c < k; c++) {
        out[at + c] = metric.distance(query, offset, centroids, c * dimension, dimension);
      }
      return;
    }
    int width = PANELS.width();
    int panelCount = (k + width - 1) / width;
    int panelFloats = dimension * width;
    for (int p = 0; p < panelCount; p += 4) {
      int last = panelCount - 1;
      PANELS.dot1(query, offset, panels, p * panelFloats, Math.min(p + 1, last) * panelFloats,
          Math.min(p + 2, last) * panelFloats, Math.min(p + 3, last) * panelFloats, dimension, dots);
      for (int j = 0; j < 4 && p + j < panelCount; j++) {
        int firstCentroid = (p + j) * width;
        int columns = Math.min(width, k - firstCentroid);
        for (int c = 0; c < columns; c++) {
          out[at + firstCentroid + c] = score(firstCentroid + c, dots[j * width + c], dot);
        }
      }
    }
  }

  /**
   * The squared Euclidean distance between centroid {@code centroid} and a query of squared length
   * {@code queryNorm} whose score for it (from {@link #scoreRows} or {@link #scoreRow}) is
   * {@code score}; never negative.
   */
  float squaredDistance(int centroid, float score, boolean dot, float queryNorm) {
    if (dot) {
      return Math.max(0f, queryNorm + norms[centroid] + 2 * score);
    }
    return SIMD ? Math.max(0f, queryNorm + score) : score;
  }

  private float score(int centroid, float dotProduct, boolean dot) {
    return dot ? -dotProduct : norms[centroid] - 2 * dotProduct;
  }

  /** Heap bytes of the panels and norms (the centroid array itself is the caller's). */
  long ramBytesUsed() {
    return RamUsage.align(RamUsage.OBJECT_HEADER + 3 * RamUsage.REFERENCE + 2 * Integer.BYTES)
        + RamUsage.sizeOf(panels) + RamUsage.sizeOf(norms);
  }

  /** The squared length of every row, for {@link #assignRange} calls on the same rows. */
  static float[] squaredNorms(Rows rows, Parallel.Pool workers) {
    float[] norms = new float[rows.size()];
    int dimension = rows.dimension();
    workers.forEachBlock(rows.size(), 4096, (worker, from, to) -> {
      for (int row = from; row < to; row++) {
        norms[row] = squaredNorm(rows.array(row), rows.offset(row), dimension);
      }
    });
    return norms;
  }

  private float squaredNorm(float[] array, int offset) {
    return squaredNorm(array, offset, dimension);
  }

  private static float squaredNorm(float[] array, int offset, int dimension) {
    double sum = 0;
    for (int i = 0; i < dimension; i++) {
      float x = array[offset + i];
      sum += (double) x * x;
    }
    return (float) sum;
  }
}
