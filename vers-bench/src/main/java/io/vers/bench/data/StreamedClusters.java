package io.vers.bench.data;

import java.util.SplittableRandom;

/**
 * Clustered vectors generated one at a time, so that a data set larger than the heap can be added in
 * chunks and scanned again for exact neighbours: vector {@code i} depends only on the seed and {@code i}.
 * Like sentence embeddings, the data has a low intrinsic dimension and overlapping clusters: cluster
 * centres lie in a random {@value #RANK}-dimensional subspace, each vector adds a within-cluster offset in
 * that subspace and a little isotropic noise, and the offsets are as large as the distances between
 * neighbouring centres. Meant for COSINE (the vectors are not normalised; the index normalises them).
 * Stateless after construction; thread-safe.
 */
public final class StreamedClusters {
  /** The dimension of the subspace the clusters live in. */
  public static final int RANK = 24;

  private final int dimension;
  private final int clusters;
  private final long seed;
  private final float[] basis;
  private final float[] centres;

  /**
   * @param dimension components per vector
   * @param clusters cluster count
   * @param seed what every vector is drawn from
   */
  public StreamedClusters(int dimension, int clusters, long seed) {
    if (dimension < 1 || clusters < 1) {
      throw new IllegalArgumentException("need at least one dimension and one cluster");
    }
    this.dimension = dimension;
    this.clusters = clusters;
    this.seed = seed;
    SplittableRandom random = new SplittableRandom(seed);
    basis = new float[RANK * dimension];
    for (int i = 0; i < basis.length; i++) {
      basis[i] = (float) (gaussian(random) / Math.sqrt(RANK));
    }
    centres = new float[clusters * RANK];
    for (int i = 0; i < centres.length; i++) {
      centres[i] = (float) gaussian(random);
    }
  }

  /** {@return the number of components} */
  public int dimension() {
    return dimension;
  }

  /** Writes base vector {@code i} to {@code out[at ..]}. */
  public void vector(long i, float[] out, int at) {
    draw(new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (i + 1))), out, at);
  }

  /** Writes query {@code q} (not a base vector, from the same distribution) to {@code out[at ..]}. */
  public void query(int q, float[] out, int at) {
    draw(new SplittableRandom(~seed ^ (0xC2B2AE3D27D4EB4FL * (q + 1))), out, at);
  }

  private void draw(SplittableRandom random, float[] out, int at) {
    int c = random.nextInt(clusters);
    float[] z = new float[RANK];
    for (int r = 0; r < RANK; r++) {
      z[r] = centres[c * RANK + r] + (float) (0.8 * gaussian(random));
    }
    for (int d = 0; d < dimension; d++) {
      out[at + d] = (float) (0.05 * gaussian(random));
    }
    for (int r = 0; r < RANK; r++) {
      float w = z[r];
      int row = r * dimension;
      for (int d = 0; d < dimension; d++) {
        out[at + d] += w * basis[row + d];
      }
    }
  }

  private static double gaussian(SplittableRandom random) {
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
