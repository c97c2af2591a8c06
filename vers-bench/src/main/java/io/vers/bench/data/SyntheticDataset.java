package io.vers.bench.data;

import static com.google.common.base.Preconditions.checkArgument;

import io.vers.api.Metric;
import java.util.SplittableRandom;

/**
 * A deterministic synthetic dataset: a mixture of Gaussian clusters, the same on every JVM for a given
 * seed. Cluster centres are drawn from {@code N(0, 1)} per component, and every point (base or query)
 * picks a centre uniformly and adds {@code N(0, spread^2)} noise per component, with the spread decaying
 * over the components (like the variance of real embeddings). Queries come from the same mixture but are
 * not base vectors. Stateless; thread-safe.
 */
public final class SyntheticDataset {
  /** The default shape: 50,000 x 128 with 1,000 queries. */
  public static final int DEFAULT_SIZE = 50_000;

  public static final int DEFAULT_DIMENSION = 128;
  public static final int DEFAULT_QUERIES = 1_000;
  public static final long DEFAULT_SEED = 42;

  /** Points per cluster, on average. */
  private static final int POINTS_PER_CLUSTER = 500;

  private SyntheticDataset() {}

  /** The dataset named {@code synthetic} (default shape) or {@code synthetic:NxD}. */
  public static Dataset generate(int size, int dimension, int queries, long seed) {
    checkArgument(size >= 1 && dimension >= 1 && queries >= 1,
        "a synthetic dataset needs at least one vector, one dimension and one query; got %sx%s with %s queries",
        size, dimension, queries);
    SplittableRandom random = new SplittableRandom(seed);
    int clusters = Math.max(1, size / POINTS_PER_CLUSTER);
    float[][] centres = new float[clusters][dimension];
    for (float[] centre : centres) {
      for (int j = 0; j < dimension; j++) {
        centre[j] = (float) gaussian(random);
      }
    }
    double[] spread = new double[dimension];
    for (int j = 0; j < dimension; j++) {
      spread[j] = 0.9 / Math.sqrt(1.0 + 4.0 * j / dimension);
    }
    float[][] base = points(random.split(), centres, spread, size);
    float[][] query = points(random.split(), centres, spread, queries);
    String name = size == DEFAULT_SIZE && dimension == DEFAULT_DIMENSION ? "synthetic" : "synthetic:" + size + "x" + dimension;
    return new Dataset(name, base, query, null, Metric.L2);
  }

  /** The default synthetic dataset: {@value #DEFAULT_SIZE} x {@value #DEFAULT_DIMENSION}. */
  public static Dataset standard(int queries) {
    return generate(DEFAULT_SIZE, DEFAULT_DIMENSION, queries, DEFAULT_SEED);
  }

  private static float[][] points(SplittableRandom random, float[][] centres, double[] spread, int count) {
    float[][] out = new float[count][];
    for (int i = 0; i < count; i++) {
      float[] centre = centres[random.nextInt(centres.length)];
      float[] v = new float[centre.length];
      for (int j = 0; j < v.length; j++) {
        v[j] = (float) (centre[j] + spread[j] * gaussian(random));
      }
      out[i] = v;
    }
    return out;
  }

  /** A standard normal deviate by the Box-Muller transform, so the stream is the same on every JDK. */
  private static double gaussian(SplittableRandom random) {
    double u = 1.0 - random.nextDouble(); // (0, 1]
    double v = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
  }
}
