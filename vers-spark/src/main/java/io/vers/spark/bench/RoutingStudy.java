package io.vers.spark.bench;

import io.vers.api.BatchResults;
import io.vers.api.Index;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.api.SearchParams;
import io.vers.ivfflat.KMeans;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * How much of a query's true top k lies in the partitions it visits, for {@code ivf} partitioning with
 * and without boundary replication: the recall an exact search of the visited partitions reaches, the
 * ceiling of any per-partition index. No Spark needed: the cells are trained exactly as {@code VersKnn}
 * trains them (vers's k-means on a sample) and items are assigned by the same rule.
 */
public final class RoutingStudy {
  private final float[][] items;
  private final float[][] queries;
  private final int k;
  /** The exact top k of every query, item positions. */
  private final long[][] truth;

  public RoutingStudy(float[][] items, float[][] queries, int k, int threads) {
    this.items = items;
    this.queries = queries;
    this.k = k;
    int d = items[0].length;
    long[] ids = new long[items.length];
    Arrays.setAll(ids, i -> i);
    Index flat = Indexes.build("flat", d, Metric.L2, Map.of(), ids, items);
    BatchResults exact = flat.searchBatch(queries, k, SearchParams.DEFAULT, threads);
    truth = new long[queries.length][k];
    for (int q = 0; q < queries.length; q++) {
      for (int j = 0; j < k; j++) {
        truth[q][j] = exact.id(q, j);
      }
    }
  }

  /** The exact top k of query {@code q}, item positions. */
  public long[] truth(int q) {
    return truth[q];
  }

  /** The items the last {@link #train} sampled. */
  private int[] sampled = new int[0];

  /** Centroids of {@code cells} cells trained on a sample of the items, as {@code VersKnn} does. */
  public float[] train(int cells, long seed, int threads) {
    int d = items[0].length;
    int sample = Math.min(items.length, Math.max(10_000, 256 * cells));
    float[] data = new float[sample * d];
    long[] keys = new long[items.length];
    Integer[] order = new Integer[items.length];
    for (int i = 0; i < items.length; i++) {
      order[i] = i;
      keys[i] = mix(i, seed);
    }
    Arrays.sort(order, (a, b) -> Long.compare(keys[a], keys[b]));
    sampled = new int[sample];
    for (int i = 0; i < sample; i++) {
      System.arraycopy(items[order[i]], 0, data, i * d, d);
      sampled[i] = order[i];
    }
    return KMeans.builder(cells).seed(seed).threads(threads).maxIterations(20).build().train(data, sample, d)
        .centroids();
  }

  /**
   * The bound on {@code d2 / d1} (squared distances to the second-nearest and nearest centroid) under
   * which the fraction {@code fraction} of the last training sample lies: the replication rule's
   * threshold, set as {@code VersKnn} sets it.
   */
  public double bound(float[] centroids, int cells, double fraction) {
    if (fraction <= 0) {
      return 0;
    }
    int d = items[0].length;
    double[] ratios = new double[sampled.length];
    for (int i = 0; i < sampled.length; i++) {
      float[] dist = distances(items[sampled[i]], centroids, cells, d);
      Arrays.sort(dist);
      ratios[i] = dist[0] == 0 ? Double.POSITIVE_INFINITY : (double) dist[1] / dist[0];
    }
    Arrays.sort(ratios);
    return ratios[(int) Math.floor(fraction * (ratios.length - 1))];
  }

  /** One line of the study: recall of exact search in the m nearest cells, and the replicas stored. */
  public String row(float[] centroids, int cells, int m, double bound) {
    int d = items[0].length;
    int[] primary = new int[items.length];
    int[] replica = new int[items.length];
    long replicas = 0;
    for (int i = 0; i < items.length; i++) {
      float[] dist = distances(items[i], centroids, cells, d);
      int best = 0;
      int second = -1;
      for (int c = 1; c < cells; c++) {
        if (dist[c] < dist[best]) {
          second = best;
          best = c;
        } else if (second < 0 || dist[c] < dist[second]) {
          second = c;
        }
      }
      primary[i] = best;
      replica[i] = bound > 0 && second >= 0 && dist[second] <= bound * dist[best] ? second : -1;
      replicas += replica[i] >= 0 ? 1 : 0;
    }
    long found = 0;
    for (int q = 0; q < queries.length; q++) {
      float[] dist = distances(queries[q], centroids, cells, d);
      Integer[] order = new Integer[cells];
      for (int c = 0; c < cells; c++) {
        order[c] = c;
      }
      Arrays.sort(order, (a, b) -> Float.compare(dist[a], dist[b]));
      boolean[] visited = new boolean[cells];
      for (int j = 0; j < m; j++) {
        visited[order[j]] = true;
      }
      for (long id : truth[q]) {
        int i = (int) id;
        if (visited[primary[i]] || (replica[i] >= 0 && visited[replica[i]])) {
          found++;
        }
      }
    }
    double recall = (double) found / ((long) queries.length * k);
    return String.format(Locale.ROOT, "P=%-3d probe=%-2d epsilon=%-6.4f recall@%d=%.4f  replicas=%5.1f%%", cells, m,
        bound > 0 ? Math.sqrt(bound) - 1 : 0, k, recall, 100.0 * replicas / items.length);
  }

  private static float[] distances(float[] v, float[] centroids, int cells, int d) {
    float[] out = new float[cells];
    for (int c = 0; c < cells; c++) {
      float s = 0;
      for (int j = 0; j < d; j++) {
        float x = v[j] - centroids[c * d + j];
        s += x * x;
      }
      out[c] = s;
    }
    return out;
  }

  private static long mix(long id, long seed) {
    long z = id * 0x9E3779B97F4A7C15L + seed;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (z ^ (z >>> 31)) >>> 1;
  }

  static double[] FRACTIONS = {0, 0.1, 0.2, 0.3, 0.5};

  /** {@code RoutingStudy n dim clusters spread queries}: prints the study for P 8 and 16. */
  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    int dim = Integer.parseInt(args[1]);
    int clusters = Integer.parseInt(args[2]);
    double spread = Double.parseDouble(args[3]);
    int nq = Integer.parseInt(args[4]);
    SyntheticData data = new SyntheticData(dim, clusters, spread, 1);
    RoutingStudy study = new RoutingStudy(data.items(0, n), data.queries(nq), 10, 2);
    for (int cells : new int[] {8, 16, 32}) {
      float[] centroids = study.train(cells, 42, 2);
      for (double f : FRACTIONS) {
        double bound = study.bound(centroids, cells, f);
        for (int m : new int[] {1, 2, 4, 8}) {
          System.out.println(study.row(centroids, cells, m, bound));
        }
      }
    }
  }
}
