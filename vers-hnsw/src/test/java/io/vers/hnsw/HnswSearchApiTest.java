package io.vers.hnsw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.Calibration;
import io.vers.api.Metric;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.api.testkit.TestData;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Range search, exact search, vectors and ids back, and target recall, where the contract kit cannot look. */
class HnswSearchApiTest {
  private static final int DIM = 16;

  /** Stored vectors and queries drawn around the same cluster centres. */
  private static float[][][] dataAndQueries(Random random, int n, int queries) {
    float[][] all = TestData.clustered(random, n + queries, DIM, 20, 0.5);
    return new float[][][] {Arrays.copyOf(all, n), Arrays.copyOfRange(all, n, n + queries)};
  }

  /** A radius halfway between the distances of the {@code inside}-th and next nearest of {@code live}. */
  private static float radius(float[][] vectors, boolean[] live, float[] query, int inside) {
    int[] order = TestData.exactNearest(Metric.L2, vectors, live, query, inside + 1);
    double below = TestData.distance(Metric.L2, query, vectors[order[inside - 1]]);
    double above = TestData.distance(Metric.L2, query, vectors[order[inside]]);
    return (float) ((below + above) / 2);
  }

  /** Positions of {@code vectors} (where {@code live}) within {@code radius} of {@code query}. */
  private static Set<Long> inRange(float[][] vectors, boolean[] live, long[] ids, float[] query, float radius) {
    Set<Long> out = new HashSet<>();
    for (int i = 0; i < vectors.length; i++) {
      if ((live == null || live[i]) && TestData.distance(Metric.L2, query, vectors[i]) <= radius) {
        out.add(ids[i]);
      }
    }
    return out;
  }

  private static void checkSortedUniqueWithin(List<SearchResult> got, float radius) {
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < got.size(); i++) {
      assertTrue(seen.add(got.get(i).id()), "id " + got.get(i).id() + " twice");
      assertTrue(got.get(i).distance() <= radius, got.get(i) + " beyond " + radius);
      if (i > 0) {
        assertTrue(got.get(i - 1).distance() <= got.get(i).distance(), "not sorted");
      }
    }
  }

  @Test
  void rangeSearchAtTheDefaultEfFindsNearlyEverythingInRange() {
    Random random = new Random(31);
    int n = 4000;
    float[][][] dq = dataAndQueries(random, n, 60);
    float[][] vectors = dq[0];
    long[] ids = TestData.distinctIds(random, n);
    HnswIndex index = HnswIndex.builder(DIM, Metric.L2).build();
    index.addAll(ids, vectors);
    Map<Long, float[]> byId = new HashMap<>();
    for (int i = 0; i < n; i++) {
      byId.put(ids[i], vectors[i]);
    }
    // ranges holding fewer, as many and several times as many vectors as the default ef of 64
    for (int inside : new int[] {20, 64, 300}) {
      long expected = 0;
      long found = 0;
      for (float[] q : dq[1]) {
        float radius = radius(vectors, null, q, inside);
        Set<Long> truth = inRange(vectors, null, ids, q, radius);
        List<SearchResult> got = index.searchRange(q, radius, Integer.MAX_VALUE, SearchParams.DEFAULT);
        checkSortedUniqueWithin(got, radius);
        for (SearchResult r : got) {
          assertTrue(TestData.close(TestData.distance(Metric.L2, q, byId.get(r.id())), r.distance()), "distance");
          found += truth.contains(r.id()) ? 1 : 0;
        }
        expected += truth.size();
      }
      double recall = found / (double) expected;
      assertTrue(recall >= 0.95, inside + " in range: found " + recall + " of them");
    }
  }

  @Test
  void aRangeSearchWithALimitReturnsTheNearestOfTheRange() {
    Random random = new Random(32);
    int n = 3000;
    float[][][] dq = dataAndQueries(random, n, 40);
    float[][] vectors = dq[0];
    long[] ids = TestData.distinctIds(random, n);
    HnswIndex index = HnswIndex.builder(DIM, Metric.L2).build();
    index.addAll(ids, vectors);
    double total = 0;
    for (float[] q : dq[1]) {
      float radius = radius(vectors, null, q, 200);
      List<SearchResult> got = index.searchRange(q, radius, 10, SearchParams.DEFAULT);
      assertEquals(10, got.size(), "200 in range, limit 10");
      checkSortedUniqueWithin(got, radius);
      total += TestData.recall(Metric.L2, vectors, q, TestData.exactNearest(Metric.L2, vectors, null, q, 10), got);
    }
    assertTrue(total / dq[1].length >= 0.95, "the limit keeps the nearest: recall@10 " + total / dq[1].length);
  }

  @Test
  void aLargerEfFindsAtLeastAsMuchOfAFragmentedRange() {
    Random random = new Random(33);
    int n = 3000;
    float[][] vectors = TestData.gaussian(random, n, DIM);
    long[] ids = TestData.distinctIds(random, n);
    HnswIndex index = HnswIndex.builder(DIM, Metric.L2).m(6).efConstruction(20).build();
    index.addAll(ids, vectors);
    long small = 0;
    long large = 0;
    long expected = 0;
    for (float[] q : TestData.gaussian(random, 40, DIM)) {
      float radius = radius(vectors, null, q, 100);
      expected += inRange(vectors, null, ids, q, radius).size();
      small += index.searchRange(q, radius, Integer.MAX_VALUE, SearchParams.builder().ef(1).build()).size();
      large += index.searchRange(q, radius, Integer.MAX_VALUE, SearchParams.builder().ef(400).build()).size();
    }
    assertTrue(small <= large, "ef 1 found " + small + ", ef 400 found " + large);
    assertTrue(large >= 0.97 * expected, "ef 400 found " + large + " of " + expected);
  }

  @Test
  void rangeAndExactSearchNeverReturnRemovedIds() {
    Random random = new Random(34);
    int n = 2000;
    float[][][] dq = dataAndQueries(random, n, 30);
    float[][] vectors = dq[0];
    long[] ids = TestData.distinctIds(random, n);
    HnswIndex index = HnswIndex.builder(DIM, Metric.L2).build();
    index.addAll(ids, vectors);
    boolean[] live = new boolean[n];
    Arrays.fill(live, true);
    Set<Long> removed = new HashSet<>();
    // a fifth stays as tombstones (below the repair threshold), then more removals repair the graph
    for (int share : new int[] {5, 3}) {
      for (int i = 0; i < n; i++) {
        if (live[i] && random.nextInt(share) == 0 && removed.size() < n / share) {
          assertTrue(index.remove(ids[i]));
          live[i] = false;
          removed.add(ids[i]);
        }
      }
      if (share == 5) {
        assertTrue(index.tombstoneCount() > 0, "tombstones are still in the graph");
      }
      long expected = 0;
      long found = 0;
      for (float[] q : dq[1]) {
        float radius = radius(vectors, live, q, 80);
        Set<Long> truth = inRange(vectors, live, ids, q, radius);
        List<SearchResult> got = index.searchRange(q, radius, Integer.MAX_VALUE, SearchParams.DEFAULT);
        checkSortedUniqueWithin(got, radius);
        for (SearchResult r : got) {
          assertFalse(removed.contains(r.id()), "removed id " + r.id() + " in a range");
          found += truth.contains(r.id()) ? 1 : 0;
        }
        expected += truth.size();
        List<SearchResult> exact = index.searchExact(q, 20, SearchParams.DEFAULT);
        int[] order = TestData.exactNearest(Metric.L2, vectors, live, q, 20);
        for (int i = 0; i < 20; i++) {
          assertFalse(removed.contains(exact.get(i).id()), "removed id " + exact.get(i).id() + " in an exact search");
          assertTrue(TestData.close(TestData.distance(Metric.L2, q, vectors[order[i]]), exact.get(i).distance()));
        }
        List<SearchResult> all = index.searchRange(q, Float.POSITIVE_INFINITY, Integer.MAX_VALUE,
            SearchParams.builder().ef(index.nodeCount()).build());
        assertEquals(index.size(), all.size(), "an exhaustive unbounded range returns every live id");
      }
      assertTrue(found >= 0.95 * expected, "found " + found + " of " + expected + " in range after removals");
    }
  }

  @Test
  void idsAndVectorsComeBackAfterRepairAndOrdinalReuse() {
    Random random = new Random(35);
    int n = 1000;
    float[][] vectors = TestData.gaussian(random, n, DIM);
    long[] ids = TestData.distinctIds(random, n);
    HnswIndex index = HnswIndex.builder(DIM, Metric.COSINE).efConstruction(40).build();
    index.addAll(ids, vectors);
    Map<Long, float[]> expected = new HashMap<>();
    for (int i = 0; i < n; i++) {
      expected.put(ids[i], vectors[i]);
    }
    for (int i = 0; i < 400; i++) {
      assertTrue(index.remove(ids[i]));
      expected.remove(ids[i]);
    }
    index.compact();
    assertEquals(0, index.tombstoneCount(), "the graph is repaired");
    assertEquals(400, index.freeCount(), "the repaired tombstones' ordinals are free");
    int nodes = index.nodeCount();
    for (int i = 0; i < 400; i++) {
      long id = Long.MAX_VALUE - i;
      float[] v = TestData.gaussian(random, 1, DIM)[0];
      index.add(id, v);
      expected.put(id, v);
    }
    assertEquals(nodes, index.nodeCount(), "new ids took the free ordinals");
    assertEquals(0, index.freeCount());
    for (int i = 400; i < 500; i++) { // upserts: a new node each, the old one left as a tombstone
      float[] v = TestData.gaussian(random, 1, DIM)[0];
      index.add(ids[i], v);
      expected.put(ids[i], v);
    }
    assertEquals(100, index.tombstoneCount(), "the upserts' old nodes are tombstones");
    long[] back = index.ids().toArray();
    assertEquals(expected.size(), back.length, "ids() count");
    assertEquals(expected.keySet(), Set.copyOf(Arrays.stream(back).boxed().toList()), "ids() set");
    for (Map.Entry<Long, float[]> e : expected.entrySet()) {
      float[] want = Metric.COSINE.storedForm(e.getValue());
      float[] got = index.vector(e.getKey()).orElseThrow();
      for (int j = 0; j < DIM; j++) {
        assertEquals(want[j], got[j], 1e-6f, "component " + j + " of " + e.getKey());
      }
    }
    for (int i = 0; i < 400; i++) {
      assertTrue(index.vector(ids[i]).isEmpty(), "removed id " + ids[i]);
    }
    index.compact();
    assertArrayEquals(Arrays.stream(back).sorted().toArray(), index.ids().sorted().toArray(), "compaction keeps ids");
  }

  @Test
  void aTargetRecallUsesTheCalibratedEf() {
    Random random = new Random(36);
    int n = 2000;
    float[][][] dq = dataAndQueries(random, n, 30);
    long[] ids = TestData.distinctIds(random, n);
    for (int efSearch : new int[] {10, 64}) {
      HnswIndex index = HnswIndex.builder(DIM, Metric.L2).m(8).efConstruction(40).efSearch(efSearch).build();
      index.addAll(ids, dq[0]);
      Calibration table = index.calibration(10);
      assertEquals(n, table.indexSize());
      assertEquals("ef", table.knob().orElseThrow());
      assertTrue(table.valueFor(0.5).getAsInt() < 64, "a low target can go below the default ef: " + table);
      for (double target : new double[] {0.5, 0.9, 0.999}) {
        int ef = table.valueFor(target).getAsInt();
        for (float[] q : dq[1]) {
          assertEquals(index.search(q, 10, SearchParams.builder().ef(ef).build()),
              index.search(q, 10, SearchParams.builder().targetRecall(target).build()), "target " + target);
        }
      }
    }
  }
}
