package io.vers.hnsw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vers.api.Metric;
import io.vers.spi.NeighborQueue;
import io.vers.spi.simd.Kernels;
import io.vers.spi.storage.VectorStore;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NeighborSelectorTest {
  /**
   * Base at the origin; candidates on a line to the right at 1, 2, 3 and one to the left at -4. The
   * heuristic keeps 1 (nearest) and -4 (nearer to the base than to 1); 2 and 3 are nearer to 1 than to
   * the base and are discarded.
   */
  private static final float[][] POINTS = {{0}, {1}, {2}, {3}, {-4}};

  private static int[] select(boolean keepPruned, int maxConnections) {
    return select(keepPruned, maxConnections, maxConnections);
  }

  private static int[] select(boolean keepPruned, int maxConnections, int topUpTo) {
    VectorStore store = new VectorStore(1);
    for (float[] p : POINTS) {
      store.append(p);
    }
    NeighborSelector selector = new NeighborSelector(new NodeDistance.Floats(store, Metric.L2), keepPruned);
    long[] candidates = new long[4];
    for (int node = 1; node <= 4; node++) {
      candidates[node - 1] = NeighborQueue.encode(store.distance(Metric.L2, 0, node), node);
    }
    Arrays.sort(candidates);
    int[] out = new int[4];
    int count = selector.select(candidates, 4, maxConnections, topUpTo, out, new int[4], new float[8],
        new SearchScratch(2, 8));
    return Arrays.copyOf(out, count);
  }

  @Test
  void theHeuristicKeepsDiverseNeighbours() {
    assertArrayEquals(new int[] {1, 4}, select(false, 4));
  }

  @Test
  void keepPrunedConnectionsTopsTheListUpNearestFirst() {
    assertArrayEquals(new int[] {1, 4, 2, 3}, select(true, 4));
    assertArrayEquals(new int[] {1, 4, 2}, select(true, 3));
    assertEquals(1, select(true, 1).length);
  }

  @Test
  void topUpStopsAtTheSizeAskedForButNeverDropsDiverseNeighbours() {
    assertArrayEquals(new int[] {1, 4, 2}, select(true, 4, 3));
    assertArrayEquals(new int[] {1, 4}, select(true, 4, 2));
    assertArrayEquals(new int[] {1, 4}, select(true, 4, 0));
  }
}
