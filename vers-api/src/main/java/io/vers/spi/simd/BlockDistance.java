package io.vers.spi.simd;

import io.vers.api.Metric;

/**
 * Distances between a block of queries and a block of stored vectors, each block held row-major in one
 * {@code float[]}: the shape of a matrix product, computed by a register-blocked micro-kernel that
 * loads each chunk of {@value #VECTORS} vectors once for {@value #QUERIES} queries (twelve
 * accumulators live in registers), for exact search over many queries at a time.
 *
 * <p>Every (query, vector) distance is accumulated in the same order whatever block it is computed in:
 * one accumulator per pair over the dimensions in ascending order, then a fixed sum of the lanes, then
 * the leftover dimensions one by one. A block of one query (what a single search computes) therefore
 * gives bit for bit the distances that a block of many queries gives. {@link Metric#L2} is computed in
 * the direct form {@code sum((q - x)^2)} (a subtraction and a fused multiply-add per component), not as
 * {@code |q|^2 + |x|^2 - 2 q.x}, which cancels badly for near-identical vectors of large norm;
 * {@link Metric#DOT} and {@link Metric#COSINE} accumulate products and finish as those metrics define
 * their distances on stored vectors.
 *
 * <p>The Vector API implementation is used when vers selected its Vector API kernel
 * ({@link Kernels#get()}; get one from {@link Kernels#block}); otherwise a scalar twin with the same blocking and one scalar
 * accumulator per pair. The two agree within float rounding, not bit for bit. The distances may differ
 * in the last bits from {@link Metric#distance}, whose kernels sum in another order.
 *
 * <p>An instance holds a little scratch space and is not thread-safe: use one per thread (they are
 * cheap to create).
 */
public abstract class BlockDistance {
  /** Queries in one register block. */
  public static final int QUERIES = 3;

  /** Stored vectors in one register block. */
  public static final int VECTORS = 4;


  final int dimension;
  final boolean l2;
  final boolean cosine;

  BlockDistance(Metric metric, int dimension) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be at least 1, got " + dimension);
    }
    this.dimension = dimension;
    this.l2 = metric == Metric.L2;
    this.cosine = metric == Metric.COSINE;
  }

  /** A short name for logs and benchmarks: {@code "panama-512 3x4"} or {@code "scalar 3x4"}. */
  public abstract String name();

  /** The number of floats of each query and vector. */
  public final int dimension() {
    return dimension;
  }

  /**
   * Sets {@code out[outOffset + j * outStride + i]} to the distance between query {@code j} (stored form,
   * {@code dimension} floats of {@code queries} from {@code queryOffset + j * dimension}) and vector
   * {@code i} (from {@code vectorOffset + i * dimension} in {@code vectors}), for {@code j < queryCount}
   * and {@code i < vectorCount}.
   *
   * <p>The first query is compared with the vectors one at a time, in memory order, a single stream that
   * the hardware prefetcher follows at full memory speed (several vectors read side by side are several
   * streams, which it follows at about half that); the other queries then take the vectors from the
   * cache, {@value #VECTORS} at a time, each group of them once for every {@value #QUERIES} queries. The
   * vectors and queries of one call are therefore best kept small enough to stay in the L2 cache together.
   */
  public final void distances(float[] queries, int queryOffset, int queryCount, float[] vectors, int vectorOffset,
      int vectorCount, float[] out, int outOffset, int outStride) {
    if (queryCount < 1) {
      return;
    }
    int d = dimension;
    for (int v = 0; v < vectorCount; v++) {
      out[outOffset + v] = single(queries, queryOffset, vectors, vectorOffset + v * d);
    }
    for (int v = 0; v < vectorCount; v += VECTORS) {
      int cols = Math.min(VECTORS, vectorCount - v);
      int xo = vectorOffset + v * d;
      int r = 1;
      for (; r + 1 < queryCount; r += QUERIES) {
        block(queries, queryOffset + r * d, Math.min(QUERIES, queryCount - r), vectors, xo, cols, out,
            outOffset + r * outStride + v, outStride);
      }
      if (r < queryCount) {
        one(queries, queryOffset + r * d, vectors, xo, cols, out, outOffset + r * outStride + v);
      }
    }
  }

  /** The distance of one query from {@code qo} to one vector from {@code xo}. */
  abstract float single(float[] q, int qo, float[] x, int xo);

  /**
   * Distances of {@code rows} (2 or 3) queries from {@code qo} to {@code cols} (1 to 4) vectors from
   * {@code xo}, into {@code out[oo + j * stride + i]}. Missing rows and columns repeat the last one,
   * whose loads then hit the cache; their results are not stored.
   */
  abstract void block(float[] q, int qo, int rows, float[] x, int xo, int cols, float[] out, int oo, int stride);

  /** Distances of one query from {@code qo} to {@code cols} (1 to 4) vectors, into {@code out[oo + i]}. */
  abstract void one(float[] q, int qo, float[] x, int xo, int cols, float[] out, int oo);

  /** The metric's distance from an accumulated sum of squared differences or of products. */
  final float finish(float sum) {
    if (l2) {
      return sum;
    }
    return cosine ? Math.max(0f, 1f - sum) : -sum;
  }

  /** Stores the first {@code cols} of four sums, finished, at {@code out[at ..]}. */
  final void store(float s0, float s1, float s2, float s3, float[] out, int at, int cols) {
    out[at] = finish(s0);
    if (cols > 1) {
      out[at + 1] = finish(s1);
    }
    if (cols > 2) {
      out[at + 2] = finish(s2);
    }
    if (cols > 3) {
      out[at + 3] = finish(s3);
    }
  }
}
