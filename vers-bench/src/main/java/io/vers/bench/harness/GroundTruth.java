package io.vers.bench.harness;

import io.vers.api.AddOptions;
import io.vers.api.Metric;
import io.vers.api.ProgressListener;
import io.vers.api.SearchResult;
import io.vers.flat.FlatIndex;
import java.util.Arrays;
import java.util.List;

/** Exact neighbours with vers' flat index, and checks of ground truth read from files. Stateless. */
public final class GroundTruth {
  private GroundTruth() {}

  /**
   * The exact {@code k} nearest base ordinals of every query, nearest first, computed with
   * {@link FlatIndex#searchAll} on {@code threads} threads.
   *
   * @param progress receives the number of queries done
   */
  public static int[][] compute(float[][] base, float[][] queries, Metric metric, int k, int threads,
      ProgressListener progress) {
    FlatIndex flat = FlatIndex.create(base[0].length, metric);
    long[] ids = new long[base.length];
    Arrays.setAll(ids, i -> i);
    flat.addAll(ids, base, AddOptions.threads(threads));
    int kk = Math.min(k, base.length);
    int[][] out = new int[queries.length][];
    int chunk = Math.max(threads * 16, queries.length / 100);
    for (int from = 0; from < queries.length; from += chunk) {
      int to = Math.min(queries.length, from + chunk);
      List<List<SearchResult>> results = flat.searchAll(Arrays.copyOfRange(queries, from, to), kk, threads);
      for (int q = from; q < to; q++) {
        List<SearchResult> hits = results.get(q - from);
        int[] row = new int[hits.size()];
        for (int i = 0; i < row.length; i++) {
          row[i] = (int) hits.get(i).id();
        }
        out[q] = row;
      }
      progress.progress(to, queries.length);
    }
    return out;
  }

  /**
   * Checks that {@code truth} fits the dataset: one row per query, at least {@code min(k, n)} ids each,
   * every id a base ordinal.
   *
   * @throws IllegalArgumentException describing the first mismatch and what to do about it
   */
  public static void check(int[][] truth, int queries, int n, int k) {
    if (truth.length < queries) {
      throw new IllegalArgumentException("the ground truth has " + truth.length + " rows but there are " + queries
          + " queries; pass the ground truth of these queries, or --max-queries " + truth.length);
    }
    int need = Math.min(k, n);
    for (int q = 0; q < queries; q++) {
      int[] row = truth[q];
      if (row.length < need) {
        throw new IllegalArgumentException("the ground truth has " + row.length + " neighbours for query " + q
            + " but recall@" + k + " needs " + need + "; use --k " + row.length + " or a deeper ground truth");
      }
      for (int i = 0; i < need; i++) {
        if (row[i] < 0 || row[i] >= n) {
          throw new IllegalArgumentException("the ground truth of query " + q + " names id " + row[i]
              + ", which is not a base ordinal (the base has " + n + " vectors); does it belong to this base?");
        }
      }
    }
  }
}
