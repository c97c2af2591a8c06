package io.vers.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.Metric;
import io.vers.api.testkit.TestData;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pieces of partitioning and merging that need no Spark: cells, replication, sampling, top k. */
class RoutingTest {
  @Test
  void anItemGoesToItsNearestCellAndNearTheBoundaryToTheSecondToo() {
    float[] centroids = {0, 0, 10, 0, 0, 10};
    Router once = new Router(centroids, 2, Metric.L2, 0);
    Router twice = new Router(centroids, 2, Metric.L2, 1.21); // epsilon 0.1
    float[] scratch = new float[2];
    long a = once.assign(new float[] {1, 0}, scratch);
    assertEquals(0, Router.primary(a));
    assertEquals(-1, Router.replica(a));
    long b = twice.assign(new float[] {4.9f, 0}, scratch); // 4.9 and 5.1 from the two nearest: within 10%
    assertEquals(0, Router.primary(b));
    assertEquals(1, Router.replica(b));
    long c = twice.assign(new float[] {3, 0}, scratch); // 3 and 7: far from the boundary
    assertEquals(-1, Router.replica(c));
  }

  @Test
  void aQueryVisitsItsNearestNonEmptyCellsNearestFirst() {
    float[] centroids = {0, 0, 10, 0, 0, 10, 20, 20};
    Router router = new Router(centroids, 2, Metric.L2, 0);
    int[] out = new int[4];
    float[] distances = new float[4];
    float[] scratch = new float[2];
    assertEquals(3, router.probe(new float[] {9, 1}, 3, null, out, distances, scratch));
    assertArrayEquals(new int[] {1, 0, 2}, Arrays.copyOf(out, 3));
    assertEquals(2, router.probe(new float[] {9, 1}, 3, new long[] {5, 0, 5, 0}, out, distances, scratch));
    assertArrayEquals(new int[] {0, 2}, Arrays.copyOf(out, 2));
  }

  @Test
  void cosineRoutesByDirection() {
    Router router = new Router(new float[] {1, 0, 0, 1}, 2, Metric.COSINE, 0);
    assertEquals(1, Router.primary(router.assign(new float[] {0.5f, 30}, new float[2])));
  }

  @Test
  void theReplicationBoundKeepsTheAskedShareOfTheSample() {
    Random random = new Random(1);
    float[][] sample = TestData.clustered(random, 2_000, 8, 10, 0.8);
    CellTrainer.Result cells = CellTrainer.train(sample, 8, 8, Metric.L2, 42, 1, Double.POSITIVE_INFINITY);
    Router router = new Router(cells.centroids, 8, Metric.L2, 0);
    double bound = router.boundFor(sample, 0.2);
    Router replicating = new Router(cells.centroids, 8, Metric.L2, bound);
    int replicated = 0;
    float[] scratch = new float[8];
    for (float[] v : sample) {
      replicated += Router.replica(replicating.assign(v, scratch)) >= 0 ? 1 : 0;
    }
    assertEquals(0.2, replicated / 2000.0, 0.01);
    assertEquals(0, router.boundFor(sample, 0));
  }

  @Test
  void anOversizedCellIsSplit() {
    Random random = new Random(2);
    float[][] sample = new float[4_000][];
    for (int i = 0; i < sample.length; i++) {
      float centre = i < 3_600 ? 0 : 50 * (1 + i % 4);
      sample[i] = new float[] {centre + (float) random.nextGaussian(), (float) random.nextGaussian()};
    }
    CellTrainer.Result kept = CellTrainer.train(sample, 2, 4, Metric.L2, 42, 1, Double.POSITIVE_INFINITY);
    assertEquals(4, kept.cells());
    CellTrainer.Result split = CellTrainer.train(sample, 2, 4, Metric.L2, 42, 1, 2.0);
    assertTrue(split.split >= 1 && split.cells() > 4, split.cells() + " cells");
    int[] counts = new int[split.cells()];
    Router router = new Router(split.centroids, 2, Metric.L2, 0);
    for (float[] v : sample) {
      counts[Router.primary(router.assign(v, new float[2]))]++;
    }
    int max = Arrays.stream(counts).max().orElseThrow();
    assertTrue(max <= 2.5 * sample.length / counts.length, Arrays.toString(counts));
  }

  @Test
  void theSampleIsUniformAndIndependentOfPartitioning() {
    Reservoir whole = new Reservoir(100, 7);
    Reservoir left = new Reservoir(100, 7);
    Reservoir right = new Reservoir(100, 7);
    for (long id = 0; id < 10_000; id++) {
      float[] v = {id};
      whole.add(id, v);
      (id % 3 == 0 ? left : right).add(id, v);
    }
    Reservoir merged = left.merge(right);
    assertEquals(10_000, merged.count());
    assertEquals(100, merged.size());
    float[][] a = whole.sample();
    float[][] b = merged.sample();
    for (int i = 0; i < 100; i++) {
      assertEquals(a[i][0], b[i][0]);
    }
    double mean = Arrays.stream(a).mapToDouble(v -> v[0]).average().orElseThrow();
    assertEquals(5_000, mean, 1_000);
  }

  @Test
  void topKMergesNearestFirstEachIdOnce() {
    TopK top = new TopK(3);
    top.offerAll(new long[] {5, 9, 2}, new float[] {1f, 3f, 4f}, 3);
    top.offerAll(new long[] {9, 7, 1}, new float[] {3f, 2f, 3f}, 3);
    assertArrayEquals(new long[] {5, 7, 1}, top.ids());
    assertArrayEquals(new float[] {1f, 2f, 3f}, top.distances());
    TopK few = new TopK(5);
    few.offer(4, 0.5f);
    few.offer(4, 0.5f);
    assertArrayEquals(new long[] {4}, few.ids());
  }

  @Test
  void keysCarryTheInputPartition() {
    long key = Records.key(1234, 987_654_321L);
    assertEquals(1234, Records.partitionOf(key));
    assertEquals(KnnFit.hashPartition(42, 7), KnnFit.hashPartition(42, 7));
    int[] counts = new int[7];
    for (long id = 0; id < 7_000; id++) {
      counts[KnnFit.hashPartition(id, 7)]++;
    }
    assertTrue(Arrays.stream(counts).allMatch(c -> c > 850 && c < 1150), Arrays.toString(counts));
  }
}
