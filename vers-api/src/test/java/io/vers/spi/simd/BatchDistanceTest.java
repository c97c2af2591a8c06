package io.vers.spi.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.Metric;
import io.vers.api.testkit.TestData;
import io.vers.spi.storage.VectorStore;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BatchDistanceTest {
  @Test
  void theVectorApiImplementationIsUsedWhenVersUsesIt() {
    VectorStore store = new VectorStore(4);
    String expected = Kernels.get().simd() ? "PanamaBatchDistance" : "Plain";
    assertEquals(expected, Kernels.get().batch(store, Metric.L2).getClass().getSimpleName());
  }

  /** Batched distances match the metric's formula, and a vector's distance does not depend on its batch. */
  @Property(tries = 60)
  void batchesMatchTheMetricAndEachOther(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 300) int dim,
      @ForAll @IntRange(min = 0, max = 21) int count,
      @ForAll Metric metric) {
    Random random = new Random(seed);
    VectorStore store = new VectorStore(dim);
    float[][] raw = TestData.gaussian(random, 30, dim);
    for (float[] v : raw) {
      store.append(metric.storedForm(v));
    }
    float[] query = metric.storedForm(TestData.gaussian(random, 1, dim)[0]);
    int[] nodes = new int[count];
    for (int i = 0; i < count; i++) {
      nodes[i] = random.nextInt(raw.length);
    }
    for (BatchDistance distance : new BatchDistance[] {Kernels.get().batch(store, metric),
        new BatchDistance.Plain(store, metric)}) {
      float[] out = new float[count];
      distance.distances(query, nodes, count, out);
      for (int i = 0; i < count; i++) {
        double expected = store.distance(metric, query, nodes[i]);
        assertTrue(TestData.close(expected, out[i]), metric + " dim " + dim + ": " + out[i] + " vs " + expected);
        assertEquals(distance.distance(query, nodes[i]), out[i], "node " + nodes[i] + " at " + i + " of " + count);
      }
    }
  }

  @Test
  void batchedDistancesAreBitForBitStableAcrossCompilation() {
    Random random = new Random(9);
    int dim = 100;
    VectorStore store = new VectorStore(dim);
    for (float[] v : TestData.gaussian(random, 16, dim)) {
      store.append(v);
    }
    float[] query = TestData.gaussian(random, 1, dim)[0];
    int[] nodes = new int[16];
    for (int i = 0; i < nodes.length; i++) {
      nodes[i] = i;
    }
    for (Metric metric : Metric.values()) {
      BatchDistance distance = Kernels.get().batch(store, metric);
      float[] first = new float[16];
      float[] out = new float[16];
      distance.distances(query, nodes, 16, first);
      for (int round = 0; round < 3000; round++) {
        distance.distances(query, nodes, 5 + round % 12, out);
        for (int i = 0; i < 5 + round % 12; i++) {
          assertEquals(Float.floatToIntBits(first[i]), Float.floatToIntBits(out[i]), metric + " round " + round);
        }
      }
    }
  }
}
