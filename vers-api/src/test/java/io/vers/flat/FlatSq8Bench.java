package io.vers.flat;

import io.vers.api.AddOptions;
import io.vers.api.Index;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.api.testkit.Sift5k;
import io.vers.api.testkit.TestData;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Recall@10, single-thread queries per second and heap bytes per vector of the flat index with
 * {@code quantization=none}, {@code sq8} with kept vectors at several {@code oversample} values, and
 * {@code sq8} with codes only: on sift5k (128-d, L2) and on 20,000 generated 256-d vectors in
 * overlapping clusters (COSINE). Recall is against the exact answer over the float vectors. A
 * benchmark, not a test: run it by hand (see {@link FlatBatchBench} for the class path).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... io.vers.flat.FlatSq8Bench [runs=3]
 * </pre>
 */
public final class FlatSq8Bench {
  private FlatSq8Bench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    Sift5k sift = Sift5k.load();
    run("sift5k", Metric.L2, sift.base, sift.queries, runs);
    Random random = new Random(42);
    float[][] all = TestData.clustered(random, 20_000 + 500, 256, 100, 1.5);
    run("clustered-cosine-256", Metric.COSINE, Arrays.copyOf(all, 20_000), Arrays.copyOfRange(all, 20_000, 20_500),
        runs);
  }

  private static void run(String name, Metric metric, float[][] base, float[][] queries, int runs) {
    int n = base.length;
    long[] ids = new long[n];
    Arrays.setAll(ids, i -> i);
    int[][] truth = new int[queries.length][];
    Index exact = Indexes.build("flat", base[0].length, metric, Map.of(), ids, base, AddOptions.threads(2));
    for (int q = 0; q < queries.length; q++) {
      truth[q] = exact.searchExact(queries[q], 10, SearchParams.DEFAULT).stream().mapToInt(r -> (int) r.id()).toArray();
    }
    System.out.printf(Locale.ROOT, "# %s: n=%d, d=%d, %s, %d queries, k=10, median of %d runs, one thread%n", name, n,
        base[0].length, metric, queries.length, runs);
    measure(name, "none", exact, queries, truth, SearchParams.DEFAULT, runs);
    Index keep = Indexes.build("flat", base[0].length, metric, Map.of("quantization", "sq8"), ids, base,
        AddOptions.threads(2));
    for (double oversample : new double[] {1, 2, 3, 5}) {
      measure(name, "sq8 keep oversample=" + oversample, keep, queries, truth,
          SearchParams.builder().set("oversample", oversample).build(), runs);
    }
    Index codes = Indexes.build("flat", base[0].length, metric, Map.of("quantization", "sq8", "keepVectors", false),
        ids, base, AddOptions.threads(2));
    measure(name, "sq8 codes only", codes, queries, truth, SearchParams.DEFAULT, runs);
  }

  private static void measure(String set, String config, Index index, float[][] queries, int[][] truth,
      SearchParams params, int runs) {
    double recall = 0;
    for (int q = 0; q < queries.length; q++) {
      List<SearchResult> got = index.search(queries[q], 10, params);
      int[] t = truth[q];
      recall += got.stream().filter(r -> Arrays.stream(t).anyMatch(e -> e == r.id())).count() / (double) t.length;
    }
    recall /= queries.length;
    double[] qps = new double[runs];
    for (int r = -1; r < runs; r++) {
      long t0 = System.nanoTime();
      for (float[] q : queries) {
        index.search(q, 10, params);
      }
      if (r >= 0) {
        qps[r] = queries.length / ((System.nanoTime() - t0) / 1e9);
      }
    }
    Arrays.sort(qps);
    System.out.printf(Locale.ROOT, "%-22s %-28s recall@10 %.4f  qps %8.1f  bytes/vector %6.1f%n", set, config, recall,
        qps[runs / 2], index.ramBytesUsed() / (double) index.size());
  }
}
