package io.vers.hnsw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.Metric;
import io.vers.spi.NeighborQueue;
import io.vers.spi.storage.VectorStore;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class GraphSearcherTest {
  /**
   * The sorted-array layer search returns exactly what the two-heap search returns when every node
   * counts: the same nodes in the same order, on random graphs (random lists, some of them short or
   * one-way) of random vectors, from one seed or several, for any ef.
   */
  @Property(tries = 100)
  void theBeamSearchFindsWhatTheHeapSearchFinds(@ForAll long seed) {
    Random random = new Random(seed);
    int m = 2 + random.nextInt(8);
    int nodes = 1 + random.nextInt(600);
    int dimension = 1 + random.nextInt(12);
    VectorStore vectors = new VectorStore(dimension);
    for (int node = 0; node < nodes; node++) {
      vectors.append(randomVector(random, dimension));
    }
    HnswGraph graph = new HnswGraph(m);
    graph.ensureCapacity(nodes);
    for (int node = 0; node < nodes; node++) {
      graph.initNode(node, 0, false);
      int[] list = random.ints(random.nextInt(2 * m + 1), 0, nodes).distinct().toArray();
      graph.setNeighbors(node, 0, list, list.length);
    }
    graph.setSize(nodes);
    GraphSearcher searcher = new GraphSearcher(graph, new NodeDistance.Floats(vectors, Metric.L2), null);
    SearchScratch scratch = new SearchScratch(m, nodes);
    for (int query = 0; query < 10; query++) {
      float[] q = randomVector(random, dimension);
      int ef = 1 + random.nextInt(Math.min(nodes, 64));
      long[] seeds = random.ints(1 + random.nextInt(3), 0, nodes).distinct()
          .mapToLong(node -> NeighborQueue.encode(vectors.distance(Metric.L2, q, node), node)).toArray();

      scratch.visited.clear(nodes);
      scratch.setSeeds(seeds, seeds.length);
      searcher.searchLayer(q, 0, ef, scratch, false, -1, null, Long.MAX_VALUE);
      int heapCount = scratch.drainResultsSorted();
      long[] heap = Arrays.copyOf(scratch.sorted, heapCount);

      scratch.visited.clear(nodes);
      scratch.setSeeds(seeds, seeds.length);
      int beamCount = searcher.searchBeam(q, 0, ef, scratch);
      long[] beam = Arrays.copyOf(scratch.sorted, beamCount);

      assertArrayEquals(heap, beam, "seed " + seed + ", ef " + ef);
      assertTrue(beamCount <= ef);
    }
  }

  private static float[] randomVector(Random random, int dimension) {
    float[] v = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }
}
