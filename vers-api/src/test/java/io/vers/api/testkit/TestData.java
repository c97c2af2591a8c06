package io.vers.api.testkit;

import io.vers.api.Metric;
import io.vers.api.SearchResult;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Random data for tests and an exact nearest-neighbour oracle written independently of the library:
 * plain double-precision loops, no kernels, no heaps.
 */
public final class TestData {
  private TestData() {}

  /** {@code n} vectors of {@code dim} standard normal components. */
  public static float[][] gaussian(Random random, int n, int dim) {
    float[][] out = new float[n][dim];
    for (float[] v : out) {
      for (int j = 0; j < dim; j++) {
        v[j] = (float) random.nextGaussian();
      }
    }
    return out;
  }

  /**
   * {@code n} vectors around {@code clusters} random centres (centres spread with unit variance, points
   * with {@code spread} standard deviation): data with structure, like real embeddings.
   */
  public static float[][] clustered(Random random, int n, int dim, int clusters, double spread) {
    float[][] centres = gaussian(random, clusters, dim);
    float[][] out = new float[n][dim];
    for (float[] v : out) {
      float[] c = centres[random.nextInt(clusters)];
      for (int j = 0; j < dim; j++) {
        v[j] = c[j] + (float) (random.nextGaussian() * spread);
      }
    }
    return out;
  }

  /** {@code n} distinct random ids, including negative ones. */
  public static long[] distinctIds(Random random, int n) {
    Set<Long> seen = new HashSet<>();
    long[] ids = new long[n];
    for (int i = 0; i < n; ) {
      long id = random.nextInt(4) == 0 ? random.nextInt(1000) - 500 : random.nextLong();
      if (seen.add(id)) {
        ids[i++] = id;
      }
    }
    return ids;
  }

  /** The metric's formula on raw vectors, in double precision. */
  public static double distance(Metric metric, float[] a, float[] b) {
    double dot = 0, aa = 0, bb = 0, l2 = 0;
    for (int i = 0; i < a.length; i++) {
      double x = a[i], y = b[i];
      dot += x * y;
      aa += x * x;
      bb += y * y;
      l2 += (x - y) * (x - y);
    }
    switch (metric) {
      case L2:
        return l2;
      case DOT:
        return -dot;
      case COSINE:
        return 1 - dot / Math.sqrt(aa * bb);
      default:
        throw new AssertionError(metric);
    }
  }

  /** Whether a float distance from an index matches the formula's value, within float error. */
  public static boolean close(double expected, double actual) {
    return Math.abs(expected - actual) <= 1e-3 * Math.max(1, Math.abs(expected)) + 1e-3;
  }

  /**
   * The exact {@code k} nearest among {@code vectors[i]} for which {@code live[i]} (all when null),
   * as positions into {@code vectors}, nearest first.
   */
  public static int[] exactNearest(Metric metric, float[][] vectors, boolean[] live, float[] query, int k) {
    Integer[] order = new Integer[vectors.length];
    double[] dist = new double[vectors.length];
    int m = 0;
    for (int i = 0; i < vectors.length; i++) {
      if (live == null || live[i]) {
        dist[i] = distance(metric, query, vectors[i]);
        order[m++] = i;
      }
    }
    Integer[] kept = Arrays.copyOf(order, m);
    Arrays.sort(kept, (x, y) -> Double.compare(dist[x], dist[y]));
    int[] out = new int[Math.min(k, m)];
    for (int i = 0; i < out.length; i++) {
      out[i] = kept[i];
    }
    return out;
  }

  /**
   * Recall by distance: the share of {@code exact}'s k results matched by a returned result at most as
   * far as the k-th exact distance (ties count, so equal-distance ids are interchangeable).
   */
  public static double recall(Metric metric, float[][] vectors, float[] query, int[] exact, List<SearchResult> got) {
    if (exact.length == 0) {
      return 1;
    }
    double kth = distance(metric, query, vectors[exact[exact.length - 1]]);
    double slack = 1e-4 * Math.max(1, Math.abs(kth));
    int hits = 0;
    for (int i = 0; i < Math.min(got.size(), exact.length); i++) {
      if (got.get(i).distance() <= kth + slack) {
        hits++;
      }
    }
    return hits / (double) exact.length;
  }
}
