package io.vers.spark.bench;

import java.util.SplittableRandom;

/**
 * Clustered vectors whose clusters overlap, as real embeddings' do: {@code clusters} centres with
 * standard normal components, and each vector a centre (drawn uniformly) plus normal noise of standard
 * deviation {@code spread} per component. With {@code spread} near 1 a vector's nearest neighbours often
 * belong to other clusters, so they straddle k-means cells. Deterministic for a seed; queries come from
 * the same distribution with another stream.
 */
public final class SyntheticData implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final int dimension;
  private final float[][] centres;
  private final double spread;
  private final long seed;

  public SyntheticData(int dimension, int clusters, double spread, long seed) {
    this.dimension = dimension;
    this.spread = spread;
    this.seed = seed;
    SplittableRandom random = new SplittableRandom(seed);
    centres = new float[clusters][dimension];
    for (float[] c : centres) {
      for (int j = 0; j < dimension; j++) {
        c[j] = (float) gaussian(random);
      }
    }
  }

  /** Vector {@code index} of stream {@code stream} (0: items, 1: queries), the same on every call. */
  public float[] vector(int stream, long index) {
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + stream * 0x632BE59BD9B4E019L + index);
    float[] c = centres[random.nextInt(centres.length)];
    float[] v = new float[dimension];
    for (int j = 0; j < dimension; j++) {
      v[j] = c[j] + (float) (gaussian(random) * spread);
    }
    return v;
  }

  /** Items {@code [from, to)}. */
  public float[][] items(int from, int to) {
    float[][] out = new float[to - from][];
    for (int i = from; i < to; i++) {
      out[i - from] = vector(0, i);
    }
    return out;
  }

  /** The first {@code n} queries. */
  public float[][] queries(int n) {
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      out[i] = vector(1, i);
    }
    return out;
  }

  public int dimension() {
    return dimension;
  }

  private static double gaussian(SplittableRandom random) {
    double u;
    double v;
    double s;
    do {
      u = 2 * random.nextDouble() - 1;
      v = 2 * random.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    return u * Math.sqrt(-2 * Math.log(s) / s);
  }
}
