package io.vers.ivfflat;

import io.vers.api.AddOptions;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.api.testkit.Sift5k;
import io.vers.api.testkit.TestData;
import io.vers.flat.FlatIndex;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Recall@10, one-thread queries per second and heap bytes per vector of ivfflat with
 * {@code quantization=none}, {@code sq8} with kept floats and {@code sq8} without, over a few nprobe and
 * oversample values: on sift5k (L2) and on 20,000 x 256 overlapping clusters (COSINE). Ground truth is
 * the flat index on the original floats. Not a test: run its {@code main} with the test classpath and
 * {@code --add-modules jdk.incubator.vector}.
 */
public final class Sq8Benchmark {
  private static final int K = 10;

  private Sq8Benchmark() {}

  public static void main(String[] args) throws Exception {
    Sift5k sift = Sift5k.load();
    run("sift5k L2", Metric.L2, sift.base, sift.queries);
    Random random = new Random(42);
    float[][] all = TestData.clustered(random, 20_500, 256, 64, 0.9);
    run("clustered 20000x256 COSINE", Metric.COSINE, Arrays.copyOf(all, 20_000), Arrays.copyOfRange(all, 20_000, 20_500));
  }

  private static void run(String name, Metric metric, float[][] base, float[][] queries) {
    int dim = base[0].length;
    long[] ids = new long[base.length];
    Arrays.setAll(ids, i -> i);
    FlatIndex flat = FlatIndex.create(dim, metric);
    flat.addAll(ids, base);
    List<List<SearchResult>> truth = flat.searchAll(queries, K, 2);
    System.out.printf("%n%s: %d vectors, %d queries%n", name, base.length, queries.length);
    System.out.println("config              nprobe oversample  recall@10      qps  bytes/vector");
    for (Map<String, Object> config : List.of(Map.<String, Object>of(),
        Map.<String, Object>of("quantization", "sq8", "keepVectors", true),
        Map.<String, Object>of("quantization", "sq8", "keepVectors", false))) {
      IvfFlatIndex index = (IvfFlatIndex) Indexes.build("ivfflat", dim, metric, config, ids, base, AddOptions.threads(2));
      String label = config.isEmpty() ? "none" : (Boolean) config.get("keepVectors") ? "sq8+keep" : "sq8+nokeep";
      double perVector = index.ramBytesUsed() / (double) base.length;
      boolean keep = Boolean.TRUE.equals(config.get("keepVectors"));
      for (int nprobe : new int[] {8, 16, 24, 48}) {
        for (double oversample : keep ? new double[] {1, 2, 3, 5} : new double[] {3}) {
          SearchParams params = SearchParams.builder().nprobe(nprobe).set("oversample", oversample).build();
          double recall = recall(index, queries, params, truth);
          double qps = qps(index, queries, params);
          System.out.printf("%-18s %7d %10s %10.4f %8.0f %13.1f%n", label, nprobe, keep ? oversample : "-", recall, qps,
              perVector);
        }
      }
    }
  }

  private static double recall(IvfFlatIndex index, float[][] queries, SearchParams params,
      List<List<SearchResult>> truth) {
    double total = 0;
    for (int q = 0; q < queries.length; q++) {
      Set<Long> expected = new HashSet<>();
      truth.get(q).forEach(r -> expected.add(r.id()));
      total += index.search(queries[q], K, params).stream().filter(r -> expected.contains(r.id())).count()
          / (double) expected.size();
    }
    return total / queries.length;
  }

  /** The best of three rounds of at least a quarter second each. */
  private static double qps(IvfFlatIndex index, float[][] queries, SearchParams params) {
    double best = 0;
    for (int round = 0; round < 3; round++) {
      long start = System.nanoTime();
      long done = 0;
      long sink = 0;
      while (System.nanoTime() - start < 250_000_000L) {
        for (float[] q : queries) {
          sink += index.search(q, K, params).size();
        }
        done += queries.length;
      }
      if (sink < 0) {
        throw new AssertionError();
      }
      best = Math.max(best, done / ((System.nanoTime() - start) / 1e9));
    }
    return best;
  }
}
