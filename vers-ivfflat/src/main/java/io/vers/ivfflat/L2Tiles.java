package io.vers.ivfflat;

import io.vers.api.Metric;
import io.vers.api.simd.VectorKernels;

/**
 * Squared Euclidean distances from one vector to four at once (4 x 1 and 1 x 4 tiles): k-means++
 * seeding, centroid ranking for a query, single-vector assignment. A tile loads the shared vector once
 * per chunk for four distances, where pair-by-pair kernels load it four times.
 *
 * <p>With the Vector API kernel ({@link VectorKernels#get()} is Panama), the tiles run on
 * {@link PanamaL2Tiles}; otherwise each distance is {@link Metric#L2}'s. Either way a pair's distance
 * does not depend on the tile it was computed in or on the JIT tier, so results are reproducible.
 *
 * <p>Each calling thread passes its own {@link #newScratch() scratch}.
 */
final class L2Tiles {
  /** Whether the Vector API tiles are in use. */
  static final boolean SIMD = VectorKernels.simd();

  private L2Tiles() {}

  /** Scratch for one thread's tile calls. */
  static float[] newScratch() {
    return new float[SIMD ? 4 * PanamaL2Tiles.LANES : 0];
  }

  /** {@code out[outOff + i]} = squared L2 between row {@code a_i} and {@code b[bOff ..]}. */
  static void tile4x1(float[] a0, int o0, float[] a1, int o1, float[] a2, int o2, float[] a3, int o3,
      float[] b, int bOff, int dim, float[] out, int outOff, float[] scratch) {
    if (SIMD) {
      PanamaL2Tiles.tile4x1(a0, o0, a1, o1, a2, o2, a3, o3, b, bOff, dim, out, outOff, scratch);
      return;
    }
    out[outOff] = Metric.L2.distance(a0, o0, b, bOff, dim);
    out[outOff + 1] = Metric.L2.distance(a1, o1, b, bOff, dim);
    out[outOff + 2] = Metric.L2.distance(a2, o2, b, bOff, dim);
    out[outOff + 3] = Metric.L2.distance(a3, o3, b, bOff, dim);
  }

  /** {@code out[outOff + j]} = squared L2 between {@code a[aOff ..]} and {@code b[bOff + j * dim ..]}. */
  static void tile1x4(float[] a, int aOff, float[] b, int bOff, int dim, float[] out, int outOff, float[] scratch) {
    if (SIMD) {
      PanamaL2Tiles.tile1x4(a, aOff, b, bOff, dim, out, outOff, scratch);
      return;
    }
    for (int j = 0; j < 4; j++) {
      out[outOff + j] = Metric.L2.distance(a, aOff, b, bOff + j * dim, dim);
    }
  }
}
