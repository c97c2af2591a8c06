package io.vers.spi.simd;

/**
 * Squared Euclidean distances from one vector to four at once (4 x 1 and 1 x 4 tiles), for k-means
 * seeding and assignment and for ranking centroids: a tile loads the shared vector once per chunk for
 * four distances, where pair-by-pair kernels load it four times. A pair's distance does not depend on
 * the tile it was computed in, so results are reproducible. Get one from {@link Kernels#l2Tiles()}.
 * Stateless; each calling thread passes its own scratch of {@link #scratchSize()} floats.
 */
public abstract class L2Tiles {
  L2Tiles() {}

  /** {@return the floats of scratch space each call needs} */
  public abstract int scratchSize();

  /** {@return a new scratch array for one thread's calls} */
  public final float[] newScratch() {
    return new float[scratchSize()];
  }

  /**
   * Sets {@code out[outOff + i]} to the squared L2 distance between row {@code a_i} (from {@code o_i})
   * and {@code b[bOff ..]}, for {@code i < 4}, over {@code dim} components.
   */
  public abstract void tile4x1(float[] a0, int o0, float[] a1, int o1, float[] a2, int o2, float[] a3, int o3,
      float[] b, int bOff, int dim, float[] out, int outOff, float[] scratch);

  /**
   * Sets {@code out[outOff + j]} to the squared L2 distance between {@code a[aOff ..]} and
   * {@code b[bOff + j * dim ..]}, for {@code j < 4}, over {@code dim} components.
   */
  public abstract void tile1x4(float[] a, int aOff, float[] b, int bOff, int dim, float[] out, int outOff,
      float[] scratch);

  /** The scalar twin: each distance through the scalar kernel. */
  static final class Scalar extends L2Tiles {
    static final Scalar INSTANCE = new Scalar();

    @Override
    public int scratchSize() {
      return 0;
    }

    @Override
    public void tile4x1(float[] a0, int o0, float[] a1, int o1, float[] a2, int o2, float[] a3, int o3,
        float[] b, int bOff, int dim, float[] out, int outOff, float[] scratch) {
      VectorKernel k = ScalarVectorKernel.INSTANCE;
      out[outOff] = k.squaredL2(a0, o0, b, bOff, dim);
      out[outOff + 1] = k.squaredL2(a1, o1, b, bOff, dim);
      out[outOff + 2] = k.squaredL2(a2, o2, b, bOff, dim);
      out[outOff + 3] = k.squaredL2(a3, o3, b, bOff, dim);
    }

    @Override
    public void tile1x4(float[] a, int aOff, float[] b, int bOff, int dim, float[] out, int outOff,
        float[] scratch) {
      for (int j = 0; j < 4; j++) {
        out[outOff + j] = ScalarVectorKernel.INSTANCE.squaredL2(a, aOff, b, bOff + j * dim, dim);
      }
    }
  }
}
