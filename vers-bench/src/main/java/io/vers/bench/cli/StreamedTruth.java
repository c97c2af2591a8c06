package io.vers.bench.cli;

import io.vers.api.Metric;
import io.vers.bench.data.StreamedClusters;
import io.vers.spi.Parallel;
import java.util.Arrays;

/**
 * Exact nearest neighbours of a few queries over generated vectors that are never all in memory: each
 * worker generates a block of base vectors at a time and keeps, per query, its own {@code k} nearest;
 * the workers' lists are merged at the end.
 */
final class StreamedTruth {
  private static final int BLOCK = 4096;

  private StreamedTruth() {}

  /** {@return the ids ({@code 0 .. count - 1}) of the {@code k} nearest base vectors of each query} */
  static long[][] compute(StreamedClusters data, int count, float[][] queries, Metric metric, int k, int threads) {
    int dimension = data.dimension();
    float[][] stored = new float[queries.length][];
    for (int q = 0; q < queries.length; q++) {
      stored[q] = metric.storedForm(queries[q]);
    }
    TopK[][] perWorker = new TopK[threads][];
    Parallel.forEachBlock(count, threads, BLOCK, (worker, from, to) -> {
      TopK[] mine = perWorker[worker];
      if (mine == null) {
        mine = new TopK[queries.length];
        for (int q = 0; q < mine.length; q++) {
          mine[q] = new TopK(k);
        }
        perWorker[worker] = mine;
      }
      float[] v = new float[dimension];
      for (int i = from; i < to; i++) {
        data.vector(i, v, 0);
        float[] s = metric.storedForm(v);
        for (int q = 0; q < stored.length; q++) {
          mine[q].offer(metric.distance(stored[q], 0, s, 0, dimension), i);
        }
      }
    });
    long[][] out = new long[queries.length][];
    for (int q = 0; q < queries.length; q++) {
      TopK all = new TopK(k);
      for (TopK[] worker : perWorker) {
        if (worker != null) {
          for (int j = 0; j < worker[q].size; j++) {
            all.offer(worker[q].distances[j], worker[q].ids[j]);
          }
        }
      }
      out[q] = Arrays.copyOf(all.ids, all.size);
    }
    return out;
  }

  /** The {@code k} smallest (distance, id) pairs offered, nearest first, ties by smaller id. */
  static final class TopK {
    final float[] distances;
    final long[] ids;
    int size;

    TopK(int k) {
      distances = new float[k];
      ids = new long[k];
    }

    void offer(float distance, long id) {
      int k = distances.length;
      if (size == k && !before(distance, id, distances[k - 1], ids[k - 1])) {
        return;
      }
      int at = Math.min(size, k - 1);
      while (at > 0 && before(distance, id, distances[at - 1], ids[at - 1])) {
        distances[at] = distances[at - 1];
        ids[at] = ids[at - 1];
        at--;
      }
      distances[at] = distance;
      ids[at] = id;
      size = Math.min(size + 1, k);
    }

    private static boolean before(float d, long id, float otherD, long otherId) {
      return d < otherD || (d == otherD && id < otherId);
    }
  }
}
