package io.vers.ivfflat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vers.api.Metric;
import io.vers.spi.Vectors;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The centroid scores of one query equal, bit for bit, those computed for it in a group of queries, so
 * a batch chooses the lists its one-query searches choose; the squared distances derived from them are
 * the metric's.
 */
class CentroidScoresTest {
  @Test
  void oneQueryScoresEqualGroupScores() {
    Random random = new Random(4);
    for (int dim : new int[] {1, 3, 16, 33, 128, 784}) {
      for (int k : new int[] {1, 3, 31, 32, 33, 97, 130}) {
        float[] centroids = rows(random, k, dim, Metric.L2);
        CentroidPanels panels = new CentroidPanels(centroids, k, dim);
        int count = 21;
        float[] queries = rows(random, count + 2, dim, Metric.L2);
        float[] dots = new float[CentroidPanels.scoreScratch()];
        int[] offsets = new int[CentroidPanels.scoreGroup()];
        for (boolean dot : new boolean[] {false, true}) {
          float[] group = new float[count * (k + 5)];
          panels.scoreRows(queries, 2, count, dot, group, k + 5, dots, offsets);
          float[] one = new float[k + 1];
          for (int r = 0; r < count; r++) {
            panels.scoreRow(queries, (2 + r) * dim, dot, one, 1, dots);
            for (int c = 0; c < k; c++) {
              assertBits(group[r * (k + 5) + c], one[1 + c], "dim " + dim + " k " + k + " query " + r + " centroid " + c);
            }
          }
        }
      }
    }
  }

  /** The same once the JIT has compiled both paths. */
  @Test
  void compiledScoresAgree() {
    Random random = new Random(6);
    int dim = 100;
    int k = 70;
    float[] centroids = rows(random, k, dim, Metric.L2);
    CentroidPanels panels = new CentroidPanels(centroids, k, dim);
    float[] queries = rows(random, 16, dim, Metric.L2);
    float[] dots = new float[CentroidPanels.scoreScratch()];
    int[] offsets = new int[CentroidPanels.scoreGroup()];
    float[] group = new float[16 * k];
    float[] one = new float[k];
    for (int rep = 0; rep < 3000; rep++) {
      panels.scoreRows(queries, 0, 16, rep % 2 == 0, group, k, dots, offsets);
      panels.scoreRow(queries, (rep % 16) * dim, rep % 2 == 0, one, 0, dots);
    }
    for (boolean dot : new boolean[] {false, true}) {
      panels.scoreRows(queries, 0, 16, dot, group, k, dots, offsets);
      for (int r = 0; r < 16; r++) {
        panels.scoreRow(queries, r * dim, dot, one, 0, dots);
        for (int c = 0; c < k; c++) {
          assertBits(group[r * k + c], one[c], "compiled, query " + r + " centroid " + c);
        }
      }
    }
  }

  @Test
  void squaredDistancesFromScoresAreTheMetrics() {
    Random random = new Random(7);
    int dim = 40;
    int k = 45;
    float[] centroids = rows(random, k, dim, Metric.L2);
    CentroidPanels panels = new CentroidPanels(centroids, k, dim);
    float[] query = rows(random, 1, dim, Metric.L2);
    float[] scores = new float[k];
    float[] dots = new float[CentroidPanels.scoreScratch()];
    double norm = 0;
    for (float x : query) {
      norm += (double) x * x;
    }
    for (boolean dot : new boolean[] {false, true}) {
      panels.scoreRow(query, 0, dot, scores, 0, dots);
      for (int c = 0; c < k; c++) {
        double expected = 0;
        for (int i = 0; i < dim; i++) {
          double e = query[i] - centroids[c * dim + i];
          expected += e * e;
        }
        float got = panels.squaredDistance(c, scores[c], dot, (float) norm);
        assertEquals(expected, got, 1e-3 * Math.max(1, expected), "centroid " + c + (dot ? " (DOT)" : ""));
      }
    }
  }

  private static float[] rows(Random random, int n, int dim, Metric metric) {
    float[] out = new float[n * dim];
    for (int i = 0; i < n; i++) {
      float[] row = new float[dim];
      for (int j = 0; j < dim; j++) {
        row[j] = (float) (random.nextGaussian() * (1 + random.nextInt(100)));
      }
      if (metric.normalizes()) {
        Vectors.normalizeInPlace(row);
      }
      System.arraycopy(row, 0, out, i * dim, dim);
    }
    return out;
  }

  private static void assertBits(float expected, float actual, String what) {
    assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual), what + ": " + expected + " vs " + actual);
  }
}
