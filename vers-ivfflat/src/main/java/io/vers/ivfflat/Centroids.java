package io.vers.ivfflat;

import static com.google.common.base.Preconditions.checkArgument;

import io.vers.api.Metric;
import io.vers.api.util.RamUsage;

/**
 * The coarse quantizer of an inverted-file index: {@code count} centroids of {@code dimension} floats in
 * one flat array. Immutable once built (the array is never written after construction), so it is
 * shared freely between threads.
 *
 * <p>Vectors belong to the centroid nearest by squared Euclidean distance, under every metric: that is
 * what k-means minimises, and under COSINE (unit vectors, unit centroids) it ranks like the cosine
 * distance. Queries rank centroids as the index's own metric does ({@link #rank}).
 */
final class Centroids {
  /** Rows per block in {@link #assignRange}: a block is compared with one cached block of centroids at a time. */
  private static final int ROW_BLOCK = 32;
  /** Bytes of centroids per block in {@link #assignRange}, sized to stay in a core's L2 cache. */
  private static final int CENTROID_BLOCK_BYTES = 192 * 1024;

  private final float[] data;
  private final int count;
  private final int dimension;
  /** The last {@code count % 4} centroids followed by zeros, so that every tile has 4 centroids; or null. */
  private final float[] tail;

  Centroids(float[] data, int count, int dimension) {
    checkArgument(count >= 1 && (long) count * dimension == data.length,
        "%s centroids of dimension %s need %s floats, got %s", count, dimension, (long) count * dimension, data.length);
    this.data = data;
    this.count = count;
    this.dimension = dimension;
    this.tail = tail(data, count, dimension);
  }

  int count() {
    return count;
  }

  /** The centroids, {@code count * dimension} floats; must not be modified. */
  float[] data() {
    return data;
  }

  /**
   * The centroid nearest (squared L2, lowest index on ties) to the vector at {@code offset} of
   * {@code v}; the same choice {@link #assignRange} makes.
   */
  int nearest(float[] v, int offset) {
    float[] scratch = L2Tiles.newScratch();
    float[] distances = new float[4];
    int full = count & ~3;
    int best = 0;
    float bestDistance = Float.POSITIVE_INFINITY;
    for (int c = 0; c < count; c += 4) {
      if (c < full) {
        L2Tiles.tile1x4(v, offset, data, c * dimension, dimension, distances, 0, scratch);
      } else {
        L2Tiles.tile1x4(v, offset, tail, 0, dimension, distances, 0, scratch);
      }
      for (int j = 0; j < 4 && c + j < count; j++) {
        if (distances[j] < bestDistance) {
          bestDistance = distances[j];
          best = c + j;
        }
      }
    }
    return best;
  }

  /** The nearest centroid of every row, computed on {@code workers}. */
  int[] assign(Rows rows, Workers workers) {
    int n = rows.size();
    int[] labels = new int[n];
    float[] distances = new float[n];
    workers.forBlocks(n, 256, (from, to) -> assignRange(rows, from, to, data, count, labels, distances, null));
    return labels;
  }

  /**
   * Writes the nearest of the {@code k} centroids (squared L2, lowest index on ties) of rows
   * {@code [from, to)} into {@code labels}, and its squared distance into {@code distances}, both
   * indexed by row; when {@code seconds} is not null, also the squared distance to the second nearest
   * (infinity when {@code k == 1}). Works in 4 x 4 tiles ({@link L2Tiles}), over blocks of rows and of
   * centroids sized so that a block of centroids stays in cache while a block of rows is compared with
   * it.
   */
  static void assignRange(
      Rows rows, int from, int to, float[] centroids, int k, int[] labels, float[] distances, float[] seconds) {
    int dimension = rows.dimension();
    float[] tail = tail(centroids, k, dimension);
    int full = k & ~3;
    int centroidBlock = Math.max(4, (CENTROID_BLOCK_BYTES / (Float.BYTES * dimension)) & ~3);
    float[] scratch = L2Tiles.newScratch();
    float[] tile = new float[16];
    float[][] arrays = new float[4][];
    int[] offsets = new int[4];
    float[] second = new float[ROW_BLOCK];
    for (int r0 = from; r0 < to; r0 += ROW_BLOCK) {
      int r1 = Math.min(to, r0 + ROW_BLOCK);
      for (int r = r0; r < r1; r++) {
        distances[r] = Float.POSITIVE_INFINITY;
        labels[r] = 0;
        second[r - r0] = Float.POSITIVE_INFINITY;
      }
      for (int c0 = 0; c0 < k; c0 += centroidBlock) {
        int c1 = Math.min(k, c0 + centroidBlock);
        for (int q = r0; q < r1; q += 4) {
          for (int i = 0; i < 4; i++) {
            int row = Math.min(q + i, r1 - 1);
            arrays[i] = rows.array(row);
            offsets[i] = rows.offset(row);
          }
          int rowsInQuad = Math.min(4, r1 - q);
          for (int c = c0; c < c1; c += 4) {
            float[] block = c < full ? centroids : tail;
            L2Tiles.tile4x4(arrays[0], offsets[0], arrays[1], offsets[1], arrays[2], offsets[2], arrays[3], offsets[3],
                block, c < full ? c * dimension : 0, dimension, tile, scratch);
            int columns = Math.min(4, k - c);
            for (int i = 0; i < rowsInQuad; i++) {
              int row = q + i;
              float best = distances[row];
              float next = second[row - r0];
              int label = labels[row];
              for (int j = 0; j < columns; j++) {
                float d = tile[4 * i + j];
                if (d < best) {
                  next = best;
                  best = d;
                  label = c + j;
                } else if (d < next) {
                  next = d;
                }
              }
              distances[row] = best;
              second[row - r0] = next;
              labels[row] = label;
            }
          }
        }
      }
      if (seconds != null) {
        System.arraycopy(second, 0, seconds, r0, r1 - r0);
      }
    }
  }

  /**
   * Writes into {@code out[0 .. count)} (which must have room for {@code count} rounded up to a
   * multiple of 4) a score for each centroid that ranks the centroids as
   * {@code metric}'s distance to {@code query} does: the squared L2 distance under L2 and under COSINE
   * (unit query and centroids, where it is {@code 2 * cosine distance}), computed in 1 x 4 tiles; the
   * metric's distance under DOT.
   *
   * @param scratch {@link L2Tiles#newScratch()} of the calling thread
   */
  void rank(float[] query, Metric metric, float[] out, float[] scratch) {
    if (metric == Metric.DOT) {
      for (int c = 0, off = 0; c < count; c++, off += dimension) {
        out[c] = metric.distance(query, 0, data, off, dimension);
      }
      return;
    }
    int full = count & ~3;
    for (int c = 0; c < full; c += 4) {
      L2Tiles.tile1x4(query, 0, data, c * dimension, dimension, out, c, scratch);
    }
    if (full < count) {
      L2Tiles.tile1x4(query, 0, tail, 0, dimension, out, full, scratch);
    }
  }

  long ramBytesUsed() {
    return RamUsage.align(RamUsage.OBJECT_HEADER + 2 * RamUsage.REFERENCE + 2 * Integer.BYTES)
        + RamUsage.sizeOf(data) + RamUsage.sizeOf(tail);
  }

  /** The last {@code k % 4} centroids of {@code centroids} followed by zeros, 4 rows; null when {@code k % 4 == 0}. */
  private static float[] tail(float[] centroids, int k, int dimension) {
    int full = k & ~3;
    if (full == k) {
      return null;
    }
    float[] tail = new float[4 * dimension];
    System.arraycopy(centroids, full * dimension, tail, 0, (k - full) * dimension);
    return tail;
  }
}
