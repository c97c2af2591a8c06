package io.vers.ivfflat;

import static com.google.common.base.Preconditions.checkArgument;

import io.vers.spi.RamUsage;
import io.vers.spi.simd.Kernels;
import io.vers.spi.simd.L2Tiles;

/**
 * The coarse quantizer of an inverted-file index: {@code count} centroids of {@code dimension} floats in
 * one flat array. Immutable once built (the array is never written after construction), so it is
 * shared freely between threads.
 *
 * <p>Vectors belong to the centroid nearest by squared Euclidean distance, under every metric: that is
 * what k-means minimises, and under COSINE (unit vectors, unit centroids) it ranks like the cosine
 * distance. Queries rank centroids as the index's own metric does, through {@link #panels()}.
 */
final class Centroids {
  private static final L2Tiles TILES = Kernels.get().l2Tiles();
  private final float[] data;
  private final int count;
  private final int dimension;
  /** The last {@code count % 4} centroids followed by zeros, so that every tile has 4 centroids; or null. */
  private final float[] tail;
  private final CentroidPanels panels;

  Centroids(float[] data, int count, int dimension) {
    checkArgument(count >= 1 && (long) count * dimension == data.length,
        "%s centroids of dimension %s need %s floats, got %s", count, dimension, (long) count * dimension, data.length);
    this.data = data;
    this.count = count;
    this.dimension = dimension;
    this.tail = tail(data, count, dimension);
    this.panels = new CentroidPanels(data, count, dimension);
  }

  int count() {
    return count;
  }

  int dimension() {
    return dimension;
  }

  /** The centroids, {@code count * dimension} floats; must not be modified. */
  float[] data() {
    return data;
  }

  /**
   * The centroid nearest (squared L2, lowest index on ties) to the vector at {@code offset} of
   * {@code v}, for single adds; batches go through {@link #panels()}.
   */
  int nearest(float[] v, int offset) {
    float[] scratch = TILES.newScratch();
    float[] distances = new float[4];
    int full = count & ~3;
    int best = 0;
    float bestDistance = Float.POSITIVE_INFINITY;
    for (int c = 0; c < count; c += 4) {
      if (c < full) {
        TILES.tile1x4(v, offset, data, c * dimension, dimension, distances, 0, scratch);
      } else {
        TILES.tile1x4(v, offset, tail, 0, dimension, distances, 0, scratch);
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

  /**
   * The centroids prepared for batch assignment and for ranking them for queries, built with the
   * centroids and shared.
   */
  CentroidPanels panels() {
    return panels;
  }

  long ramBytesUsed() {
    return RamUsage.align(RamUsage.OBJECT_HEADER + 3 * RamUsage.REFERENCE + 2 * Integer.BYTES)
        + RamUsage.sizeOf(data) + RamUsage.sizeOf(tail) + panels.ramBytesUsed();
  }

  /** The last {@code k % 4} centroids followed by zeros, 4 rows; null when {@code k % 4 == 0}. */
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
