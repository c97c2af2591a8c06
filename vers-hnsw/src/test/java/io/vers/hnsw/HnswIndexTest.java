package io.vers.hnsw;

import static io.vers.api.testkit.SnapshotAssertions.assertSameState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.AddOptions;
import io.vers.api.IllegalParameterException;
import io.vers.api.Index;
import io.vers.api.IndexSnapshot;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.api.testkit.Sift5k;
import io.vers.api.testkit.TestData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HnswIndexTest {
  private static Sift5k sift;
  private static long[] siftIds;

  @BeforeAll
  static void loadSift() throws Exception {
    sift = Sift5k.load();
    siftIds = new long[sift.base.length];
    Arrays.setAll(siftIds, i -> i);
  }

  private static HnswIndex buildSift(int threads) {
    HnswIndex index = HnswIndex.builder(128, Metric.L2).build();
    index.addAll(siftIds, sift.base, AddOptions.threads(threads));
    return index;
  }

  private static double siftRecall(Index index) {
    double total = 0;
    for (int q = 0; q < sift.queries.length; q++) {
      int[] truth = Arrays.copyOf(sift.groundTruth[q], 10);
      total += TestData.recall(Metric.L2, sift.base, sift.queries[q], truth, index.search(sift.queries[q], 10));
    }
    return total / sift.queries.length;
  }

  @Test
  void everyStoredVectorFindsItselfFirst() {
    HnswIndex index = buildSift(2);
    int found = 0;
    for (int i = 0; i < sift.base.length; i++) {
      List<SearchResult> hits = index.search(sift.base[i], 1);
      // An exact duplicate elsewhere in the set is as good a first hit as the vector itself.
      if (hits.get(0).id() == i || hits.get(0).distance() == 0f) {
        found++;
      }
    }
    double rate = found / (double) sift.base.length;
    assertTrue(rate >= 0.99, "self-search hit rate " + rate);
  }

  @Test
  void recallDoesNotDropAfterRemovingAndReaddingAFifth() {
    HnswIndex index = buildSift(2);
    double before = siftRecall(index);
    Random random = new Random(11);
    List<Integer> chosen = new ArrayList<>();
    for (int i = 0; i < sift.base.length; i++) {
      if (random.nextInt(5) == 0) {
        chosen.add(i);
      }
    }
    for (int i : chosen) {
      assertTrue(index.remove(i));
    }
    assertEquals(sift.base.length - chosen.size(), index.size());
    for (int i : chosen) {
      index.add(i, sift.base[i]);
    }
    assertEquals(sift.base.length, index.size());
    double afterReadding = siftRecall(index);
    index.compact();
    assertEquals(0, index.tombstoneCount());
    double afterRepair = siftRecall(index);
    assertTrue(afterReadding >= before - 0.005, "recall " + before + " before, " + afterReadding + " after re-adding");
    assertTrue(afterRepair >= before - 0.005, "recall " + before + " before, " + afterRepair + " after repair");
  }

  @Test
  void theSameSeedOnOneThreadBuildsTheSameGraph() {
    Random random = new Random(5);
    float[][] vectors = TestData.clustered(random, 1500, 24, 10, 0.5);
    long[] ids = TestData.distinctIds(random, vectors.length);
    IndexSnapshot a = build(ids, vectors, 99).snapshot();
    IndexSnapshot b = build(ids, vectors, 99).snapshot();
    IndexSnapshot c = build(ids, vectors, 100).snapshot();
    assertSameState(a, b);
    assertFalse(Arrays.equals(levels(a), levels(c)),
        "another seed draws other levels");
  }

  private static byte[] levels(IndexSnapshot snapshot) {
    return (byte[]) snapshot.arrays().get("levels").toArray();
  }

  private static HnswIndex build(long[] ids, float[][] vectors, long seed) {
    HnswIndex index = HnswIndex.builder(vectors[0].length, Metric.COSINE).m(8).efConstruction(64).seed(seed).build();
    index.addAll(ids, vectors, AddOptions.threads(1));
    return index;
  }

  @Test
  void theNameRouteAndTheTypedRouteBuildTheSameIndex() {
    Index byName = Indexes.create("hnsw", 12, Metric.DOT, Map.of(
        "num_neighbours", 6, "ef_construction", "50", "ef_search", 30, "num_layers", 3, "seed", 7L,
        "keep_pruned_connections", false));
    HnswIndex typed = HnswIndex.builder(12, Metric.DOT)
        .m(6).efConstruction(50).efSearch(30).maxLevels(3).seed(7).keepPrunedConnections(false).build();
    assertTrue(byName instanceof HnswIndex);
    assertEquals(typed.parameters(), byName.parameters());
    assertEquals(Map.of("m", 6, "efConstruction", 50, "efSearch", 30, "maxLevels", 3, "seed", 7L,
        "keepPrunedConnections", false), typed.parameters());

    Random random = new Random(3);
    float[][] vectors = TestData.gaussian(random, 800, 12);
    long[] ids = TestData.distinctIds(random, 800);
    byName.addAll(ids, vectors);
    typed.addAll(ids, vectors);
    assertSameState(byName.snapshot(), typed.snapshot());
    for (float[] q : TestData.gaussian(random, 20, 12)) {
      assertEquals(byName.search(q, 10), typed.search(q, 10));
    }
  }

  @Test
  void defaultsAreThePapersAndInvalidValuesAreRejected() {
    HnswIndex index = HnswIndex.builder(4, Metric.L2).build();
    assertEquals(Map.of("m", 16, "efConstruction", 200, "efSearch", 80, "seed", 42L,
        "keepPrunedConnections", true), index.parameters());
    assertThrows(IllegalParameterException.class, () -> HnswIndex.builder(4, Metric.L2).m(1).build());
    assertThrows(IllegalParameterException.class, () -> HnswIndex.builder(4, Metric.L2).maxLevels(0).build());
    assertThrows(IllegalArgumentException.class, () -> HnswIndex.builder(0, Metric.L2).build());
    assertEquals(List.of("ef", "oversample"),
        Indexes.provider("hnsw").searchParameters().stream().map(s -> s.name()).toList());
    assertEquals(80, Indexes.provider("hnsw").searchParameters().get(0).defaultValue());
  }

  @Test
  void levelsFollowTheSeededDistributionAndTheCap() {
    Random random = new Random(8);
    float[][] vectors = TestData.gaussian(random, 3000, 8);
    long[] ids = TestData.distinctIds(random, vectors.length);
    HnswIndex free = HnswIndex.builder(8, Metric.L2).m(4).efConstruction(20).build();
    free.addAll(ids, vectors);
    byte[] levels = levels(free.snapshot());
    long above = 0;
    for (byte level : levels) {
      above += level > 0 ? 1 : 0;
    }
    // P(level >= 1) = 1/m = 0.25 for m = 4.
    assertTrue(Math.abs(above / 3000.0 - 0.25) < 0.04, "share above level 0: " + above / 3000.0);

    HnswIndex flat = HnswIndex.builder(8, Metric.L2).m(4).efConstruction(20).maxLevels(1).build();
    flat.addAll(ids, vectors);
    IndexSnapshot snapshot = flat.snapshot();
    for (byte level : levels(snapshot)) {
      assertEquals(0, level);
    }
    assertEquals(0, snapshot.arrays().get("links").length());
  }

  @Test
  void aBatchKeepsTheLastVectorOfARepeatedIdAndReportsProgress() {
    Random random = new Random(4);
    float[][] vectors = TestData.gaussian(random, 3000, 8);
    long[] ids = new long[3000];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i % 2000;
    }
    HnswIndex index = HnswIndex.builder(8, Metric.L2).efConstruction(40).build();
    List<Long> reports = new CopyOnWriteArrayList<>();
    index.addAll(ids, vectors, AddOptions.threads(2).withProgress((done, total) -> {
      assertEquals(2000, total);
      reports.add(done);
    }));
    assertEquals(2000, index.size());
    assertEquals(2000, index.nodeCount(), "earlier copies of repeated ids are skipped, not stored");
    SearchParams exact = SearchParams.builder().ef(2000).build();
    for (int id = 0; id < 1000; id++) {
      // ids 0..999 come at positions id and id + 2000: the later vector is the one stored.
      List<SearchResult> hit = index.search(vectors[id + 2000], 1, exact);
      assertEquals(id, hit.get(0).id());
      assertEquals(0f, hit.get(0).distance());
    }
    assertFalse(reports.isEmpty());
    assertEquals(2000L, reports.get(reports.size() - 1));
    for (int i = 1; i < reports.size(); i++) {
      assertTrue(reports.get(i) > reports.get(i - 1), "progress must increase: " + reports);
    }
  }

  @Test
  void aSelectiveFilterFallsBackToAnExactScan() {
    Random random = new Random(12);
    int n = 5000;
    float[][] vectors = TestData.clustered(random, n, 16, 20, 0.5);
    long[] ids = new long[n];
    Arrays.setAll(ids, i -> i);
    HnswIndex index = HnswIndex.builder(16, Metric.L2).efConstruction(64).build();
    index.addAll(ids, vectors, AddOptions.threads(2));
    Set<Long> few = Set.of(17L, 1234L, 2500L, 4999L, 3L);
    for (float[] q : TestData.gaussian(random, 10, 16)) {
      List<SearchResult> results = index.search(q, 10, SearchParams.builder().filter(few::contains).build());
      assertEquals(5, results.size());
      assertEquals(few, new HashSet<>(results.stream().map(SearchResult::id).toList()));
    }
    // A filter accepting a tenth of the ids: the walk honours it and still finds the true neighbours.
    LongPredicate tenth = id -> id % 10 == 3;
    boolean[] accepted = new boolean[n];
    for (int i = 0; i < n; i++) {
      accepted[i] = tenth.test(i);
    }
    double total = 0;
    float[][] queries = TestData.clustered(random, 50, 16, 20, 0.5);
    for (float[] q : queries) {
      List<SearchResult> results = index.search(q, 10, SearchParams.builder().filter(tenth).build());
      assertEquals(10, results.size());
      results.forEach(r -> assertTrue(tenth.test(r.id())));
      total += TestData.recall(Metric.L2, vectors, q, TestData.exactNearest(Metric.L2, vectors, accepted, q, 10), results);
    }
    assertTrue(total / queries.length >= 0.95, "filtered recall " + total / queries.length);
  }

  @Test
  void churnKeepsTheGraphAndMemoryBounded() {
    Random random = new Random(21);
    int dim = 16;
    int live = 2000;
    HnswIndex index = HnswIndex.builder(dim, Metric.L2).efConstruction(40).build();
    List<Long> present = new ArrayList<>();
    java.util.Map<Long, float[]> vectors = new java.util.HashMap<>();
    long nextId = 0;
    for (int i = 0; i < live; i++) {
      float[] v = TestData.gaussian(random, 1, dim)[0];
      index.add(nextId, v);
      vectors.put(nextId, v);
      present.add(nextId++);
    }
    long initialBytes = index.ramBytesUsed();
    int maxNodes = 0;
    for (int round = 0; round < 25; round++) {
      for (int i = 0; i < 400; i++) {
        long victim = present.remove(random.nextInt(present.size()));
        assertTrue(index.remove(victim));
        vectors.remove(victim);
      }
      for (int i = 0; i < 400; i++) {
        float[] v = TestData.gaussian(random, 1, dim)[0];
        index.add(nextId, v);
        vectors.put(nextId, v);
        present.add(nextId++);
      }
      assertEquals(live, index.size());
      assertTrue(index.tombstoneCount() <= HnswIndex.TOMBSTONE_RATIO * index.nodeCount() + 1,
          "tombstones " + index.tombstoneCount() + " of " + index.nodeCount());
      maxNodes = Math.max(maxNodes, index.nodeCount());
    }
    // Removing 400 of 2000 and adding 400 never leaves more than 2400 + a quarter of tombstones.
    assertTrue(maxNodes <= (int) ((live + 400) / (1 - HnswIndex.TOMBSTONE_RATIO)) + 1, "nodes grew to " + maxNodes);
    assertTrue(index.ramBytesUsed() < 2 * initialBytes,
        "memory grew from " + initialBytes + " to " + index.ramBytesUsed() + " under churn");
    // Twenty-five rounds replaced the whole set five times over; the graph still finds neighbours.
    long[] ids = present.stream().mapToLong(Long::longValue).toArray();
    float[][] data = new float[ids.length][];
    for (int i = 0; i < ids.length; i++) {
      data[i] = vectors.get(ids[i]);
    }
    double total = 0;
    float[][] queries = TestData.gaussian(random, 50, dim);
    for (float[] q : queries) {
      List<SearchResult> results = index.search(q, 10);
      results.forEach(r -> assertTrue(vectors.containsKey(r.id()), "removed id " + r.id() + " returned"));
      total += TestData.recall(Metric.L2, data, q, TestData.exactNearest(Metric.L2, data, null, q, 10), results);
    }
    assertTrue(total / queries.length >= 0.95, "recall after churn " + total / queries.length);
  }

  @Test
  void removingEverythingEmptiesTheGraphAndItFillsAgain() {
    Random random = new Random(2);
    float[][] vectors = TestData.gaussian(random, 300, 6);
    long[] ids = TestData.distinctIds(random, 300);
    HnswIndex index = HnswIndex.builder(6, Metric.L2).build();
    index.addAll(ids, vectors);
    for (long id : ids) {
      assertTrue(index.remove(id));
    }
    index.compact();
    assertEquals(0, index.size());
    assertTrue(index.search(vectors[0], 5).isEmpty());
    assertEquals(index.nodeCount(), index.freeCount(), "every ordinal is free for reuse");
    index.addAll(ids, vectors);
    assertEquals(300, index.nodeCount(), "free ordinals were reused");
    assertEquals(0, index.freeCount());
    for (int i = 0; i < 300; i += 10) {
      assertEquals(ids[i], index.search(vectors[i], 1).get(0).id());
    }
  }

  @Test
  void upsertsAndRemovalsUnderConcurrentSearchesStayConsistent() throws Exception {
    int dim = 8;
    HnswIndex index = HnswIndex.builder(dim, Metric.L2).efConstruction(32).build();
    Random seedData = new Random(1);
    for (int i = 0; i < 1000; i++) {
      index.add(i, TestData.gaussian(seedData, 1, dim)[0]);
    }
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    long deadline = System.nanoTime() + 1_500_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int writer = w;
      threads.add(new Thread(() -> {
        Random random = new Random(10 + writer);
        try {
          while (System.nanoTime() < deadline) {
            long id = writer * 500 + random.nextInt(500);
            if (random.nextBoolean()) {
              index.add(id, TestData.gaussian(random, 1, dim)[0]);
            } else {
              index.remove(id);
            }
          }
        } catch (Throwable t) {
          failures.add(t);
        }
      }));
    }
    for (int r = 0; r < 2; r++) {
      int reader = r;
      threads.add(new Thread(() -> {
        Random random = new Random(20 + reader);
        try {
          while (System.nanoTime() < deadline) {
            float[] q = TestData.gaussian(random, 1, dim)[0];
            SearchParams params = reader == 0 ? SearchParams.DEFAULT
                : SearchParams.builder().filter(id -> id % 3 == 0).build();
            List<SearchResult> results = index.search(q, 10, params);
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < results.size(); i++) {
              assertTrue(seen.add(results.get(i).id()), "id returned twice: " + results);
              assertTrue(i == 0 || results.get(i - 1).distance() <= results.get(i).distance());
              assertTrue(params.accepts(results.get(i).id()));
            }
          }
        } catch (Throwable t) {
          failures.add(t);
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    if (!failures.isEmpty()) {
      throw new AssertionError("a thread failed", failures.get(0));
    }
    index.compact();
    assertEquals(0, index.tombstoneCount());
    int live = 0;
    for (long id = 0; id < 1000; id++) {
      if (index.contains(id)) {
        live++;
      }
    }
    assertEquals(live, index.size());
    assertNotEquals(0, live);
  }
}
