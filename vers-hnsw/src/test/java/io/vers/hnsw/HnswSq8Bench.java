package io.vers.hnsw;

import io.vers.api.AddOptions;
import io.vers.api.Metric;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.api.testkit.Sift5k;
import io.vers.api.testkit.TestData;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.openjdk.jol.info.GraphLayout;

/**
 * Not a unit test: recall@10 and single-thread queries per second (the best of seven rounds) of {@code quantization=none},
 * {@code sq8} with kept vectors and {@code sq8} with codes only, over a few {@code ef} (and
 * {@code oversample}) values, on sift5k (L2) and on generated overlapping clusters (COSINE), with
 * {@code ramBytesUsed()} per vector and a heap measurement. Run with the test class path:
 * {@code java -cp ... io.vers.hnsw.HnswSq8Bench [cosineCount]}.
 */
public final class HnswSq8Bench {
  private HnswSq8Bench() {}

  public static void main(String[] args) throws Exception {
    Sift5k sift = Sift5k.load();
    run("sift5k", Metric.L2, sift.base, sift.queries, truth(sift.groundTruth));
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    Random random = new Random(11);
    float[][] base = TestData.clustered(random, n, 256, 100, 0.5);
    float[][] queries = TestData.clustered(random, 200, 256, 100, 0.5);
    int[][] truth = new int[queries.length][];
    for (int q = 0; q < queries.length; q++) {
      truth[q] = TestData.exactNearest(Metric.COSINE, base, null, queries[q], 10);
    }
    run("clusters-" + n + "x256", Metric.COSINE, base, queries, truth);
  }

  private static int[][] truth(int[][] groundTruth) {
    int[][] out = new int[groundTruth.length][];
    for (int i = 0; i < out.length; i++) {
      out[i] = Arrays.copyOf(groundTruth[i], 10);
    }
    return out;
  }

  private static void run(String name, Metric metric, float[][] base, float[][] queries, int[][] truth) {
    long[] ids = new long[base.length];
    Arrays.setAll(ids, i -> i);
    int dim = base[0].length;
    List<String> configs = List.of("none", "sq8+keep", "sq8+nokeep");
    HnswIndex[] indexes = new HnswIndex[configs.size()];
    for (int c = 0; c < configs.size(); c++) {
      String config = configs.get(c);
      HnswIndex.Builder builder = HnswIndex.builder(dim, metric).m(16);
      if (!config.equals("none")) {
        builder.quantization("sq8").keepVectors(config.equals("sq8+keep"));
      }
      HnswIndex index = builder.build();
      long t0 = System.nanoTime();
      index.addAll(ids, base, AddOptions.threads(2));
      double buildSeconds = (System.nanoTime() - t0) / 1e9;
      long reported = index.ramBytesUsed();
      long measured = GraphLayout.parseInstance(index).totalSize();
      System.out.printf("%s %s: build %.1f s, ramBytesUsed %d (%.1f B/vector), heap %d (%.1f B/vector), ratio %.3f,"
              + " budget 1.1 x (d + 8M + 48) = %.0f%n", name, config, buildSeconds, reported,
          reported / (double) base.length, measured, measured / (double) base.length, reported / (double) measured,
          1.1 * (dim + 8 * 16 + 48));
      indexes[c] = index;
    }
    for (int ef : new int[] {10, 16, 24, 32, 48, 64, 96, 128, 192, 256}) {
      for (int c = 0; c < configs.size(); c++) {
        double[] oversamples = configs.get(c).equals("sq8+keep") ? new double[] {1, 2, 3} : new double[] {0};
        for (double oversample : oversamples) {
          SearchParams.Builder p = SearchParams.builder().ef(ef);
          if (oversample > 0) {
            p.set("oversample", oversample);
          }
          measure(name, configs.get(c), oversample, ef, indexes[c], metric, base, queries, truth, p.build());
        }
      }
    }
  }

  private static void measure(String name, String config, double oversample, int ef, HnswIndex index, Metric metric,
      float[][] base, float[][] queries, int[][] truth, SearchParams params) {
    for (int warm = 0; warm < 3; warm++) {
      for (float[] q : queries) {
        index.search(q, 10, params);
      }
    }
    double recall = 0;
    double seconds = Double.MAX_VALUE; // the best of several rounds: the machine is shared
    for (int r = 0; r < 7; r++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < queries.length; i++) {
        List<SearchResult> hits = index.search(queries[i], 10, params);
        if (r == 0) {
          recall += TestData.recall(metric, base, queries[i], truth[i], hits);
        }
      }
      seconds = Math.min(seconds, (System.nanoTime() - t0) / 1e9);
    }
    System.out.printf("%s %s oversample=%s ef=%d: recall@10 %.4f, %.0f queries/s%n", name, config,
        oversample == 0 ? "-" : String.valueOf(oversample), ef, recall / queries.length,
        queries.length / seconds);
  }
}
