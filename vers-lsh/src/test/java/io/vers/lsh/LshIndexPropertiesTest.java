package io.vers.lsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.AddOptions;
import io.vers.api.Metric;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.api.testkit.TestData;
import io.vers.flat.FlatIndex;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Invariants of the forest and of its search budget. */
class LshIndexPropertiesTest {

  /**
   * Exact under every metric, including low dimensions and queries among the data, where the search
   * stops early because no unexplored subtree can hold anything nearer.
   */
  @Property(tries = 50)
  void aBudgetOfEveryPointReturnsExactlyTheFlatResult(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 1200) int n,
      @ForAll @IntRange(min = 1, max = 40) int dimension,
      @ForAll boolean lowDimension,
      @ForAll Metric metric,
      @ForAll @IntRange(min = 1, max = 25) int k,
      @ForAll @IntRange(min = 1, max = 6) int numTrees,
      @ForAll @IntRange(min = 1, max = 24) int maxLeafSize) {
    Random random = new Random(seed);
    int dim = lowDimension ? 1 + dimension % 4 : dimension;
    float[][] vectors = random.nextBoolean()
        ? TestData.clustered(random, n, dim, 6, 0.3)
        : TestData.gaussian(random, n, dim);
    long[] ids = TestData.distinctIds(random, n);
    LshIndex index = LshIndex.builder(dim, metric).numTrees(numTrees).maxLeafSize(maxLeafSize).seed(seed).build();
    index.addAll(ids, vectors, AddOptions.threads(2));
    FlatIndex flat = FlatIndex.create(dim, metric);
    flat.addAll(ids, vectors);
    SearchParams everything = SearchParams.builder().searchK(n).build();
    Map<Long, float[]> byId = new HashMap<>();
    for (int i = 0; i < n; i++) {
      byId.put(ids[i], vectors[i]);
    }
    for (int q = 0; q < 6; q++) {
      float[] query = q < 2 ? TestData.gaussian(random, 1, dim)[0] : near(random, vectors[random.nextInt(n)]);
      assertSameUpToTies(metric, query, byId, flat.search(query, k), index.search(query, k, everything));
    }
  }

  /**
   * The same distances, bit for bit, and the same ids, except that among results tied at the last
   * distance either index may keep any of the tied ids; every returned distance is that id's.
   */
  private static void assertSameUpToTies(
      Metric metric, float[] query, Map<Long, float[]> byId, List<SearchResult> expected, List<SearchResult> actual) {
    assertEquals(expected.stream().map(SearchResult::distance).toList(),
        actual.stream().map(SearchResult::distance).toList(), "distances");
    if (expected.isEmpty()) {
      return;
    }
    float last = expected.get(expected.size() - 1).distance();
    assertEquals(expected.stream().filter(r -> r.distance() < last).collect(Collectors.toSet()),
        actual.stream().filter(r -> r.distance() < last).collect(Collectors.toSet()), "results nearer than the last");
    float[] q = metric.normalizes() ? metric.storedForm(query) : query;
    for (SearchResult r : actual) {
      float[] v = byId.get(r.id());
      assertEquals(metric.distance(q, metric.normalizes() ? metric.storedForm(v) : v), r.distance(), "id " + r.id());
    }
    assertEquals(actual.size(), actual.stream().map(SearchResult::id).distinct().count(), "distinct ids");
  }

  private static float[] near(Random random, float[] v) {
    float[] q = v.clone();
    for (int i = 0; i < q.length; i++) {
      q[i] += (float) (random.nextGaussian() * 0.05);
    }
    return q;
  }

  @Property(tries = 15)
  void recallNeverDecreasesAsTheBudgetGrows(
      @ForAll long seed,
      @ForAll @IntRange(min = 50, max = 1500) int n,
      @ForAll @IntRange(min = 2, max = 48) int dim,
      @ForAll Metric metric) {
    Random random = new Random(seed);
    float[][] vectors = TestData.clustered(random, n, dim, 10, 0.5);
    long[] ids = TestData.distinctIds(random, n);
    LshIndex index = LshIndex.builder(dim, metric).numTrees(4).maxLeafSize(8).seed(seed).build();
    index.addAll(ids, vectors);
    int k = 10;
    int[] budgets = {1, 5, 10, 20, 40, 80, 160, 320, 640, 1280, n};
    for (float[] query : TestData.clustered(random, 6, dim, 10, 0.5)) {
      int[] exact = TestData.exactNearest(metric, vectors, null, query, k);
      List<SearchResult> previous = List.of();
      double previousRecall = 0;
      for (int budget : budgets) {
        List<SearchResult> results = index.search(query, k, SearchParams.builder().searchK(budget).build());
        double recall = TestData.recall(metric, vectors, query, exact, results);
        assertTrue(recall >= previousRecall, "budget " + budget + ": recall " + recall + " < " + previousRecall);
        for (int i = 0; i < previous.size(); i++) {
          assertTrue(results.get(i).distance() <= previous.get(i).distance(),
              "budget " + budget + " rank " + i + ": " + results.get(i) + " is worse than " + previous.get(i));
        }
        previous = results;
        previousRecall = recall;
      }
      assertEquals(1.0, previousRecall, 1e-9, "a budget of every point is exact");
    }
  }

  @Property(tries = 40)
  void everyIdSitsInExactlyOneLeafOfEachTree(
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 400) int n,
      @ForAll @IntRange(min = 1, max = 24) int dim,
      @ForAll Metric metric,
      @ForAll @IntRange(min = 1, max = 5) int numTrees,
      @ForAll @IntRange(min = 1, max = 12) int maxLeafSize,
      @ForAll boolean batch) {
    Random random = new Random(seed);
    LshIndex index = LshIndex.builder(dim, metric).numTrees(numTrees).maxLeafSize(maxLeafSize).seed(seed).build();
    Map<Long, float[]> live = new HashMap<>();
    long[] ids = TestData.distinctIds(random, n);
    float[][] vectors = TestData.gaussian(random, n, dim);
    if (batch) {
      index.addAll(ids, vectors, AddOptions.threads(2));
    } else {
      for (int i = 0; i < n; i++) {
        index.add(ids[i], vectors[i]);
      }
    }
    for (int i = 0; i < n; i++) {
      live.put(ids[i], vectors[i]);
    }
    check(index);
    List<Long> order = new ArrayList<>(live.keySet());
    for (int step = 0; step < n; step++) {
      int action = random.nextInt(3);
      if (action == 0 && !order.isEmpty()) {
        long id = order.remove(random.nextInt(order.size()));
        assertTrue(index.remove(id));
        live.remove(id);
      } else if (action == 1 && !order.isEmpty()) {
        long id = order.get(random.nextInt(order.size()));
        float[] v = TestData.gaussian(random, 1, dim)[0];
        index.add(id, v);
        live.put(id, v);
      } else {
        long id = 1_000_000_000L + step;
        float[] v = TestData.gaussian(random, 1, dim)[0];
        index.add(id, v);
        live.put(id, v);
        order.add(id);
      }
    }
    assertEquals(live.size(), index.size());
    check(index);
    for (Map.Entry<Long, float[]> e : live.entrySet()) {
      List<SearchResult> hit = index.search(e.getValue(), 1,
          SearchParams.builder().searchK(live.size()).filter(id -> id == e.getKey()).build());
      assertEquals(e.getKey(), hit.get(0).id());
    }
  }

  @Property(tries = 40)
  void noLeafExceedsMaxLeafSizeUnlessAllItsPointsAreIdentical(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 500) int n,
      @ForAll @IntRange(min = 1, max = 16) int dim,
      @ForAll Metric metric,
      @ForAll @IntRange(min = 1, max = 8) int distinct,
      @ForAll @IntRange(min = 1, max = 10) int maxLeafSize,
      @ForAll boolean batch) {
    Random random = new Random(seed);
    float[][] pool = TestData.gaussian(random, distinct, dim);
    float[][] vectors = new float[n][];
    for (int i = 0; i < n; i++) {
      float[] v = pool[random.nextInt(distinct)].clone();
      if (random.nextInt(4) == 0) {
        int c = random.nextInt(dim);
        v[c] = Math.nextUp(v[c]);
      }
      vectors[i] = v;
    }
    long[] ids = TestData.distinctIds(random, n);
    LshIndex index = LshIndex.builder(dim, metric).numTrees(3).maxLeafSize(maxLeafSize).seed(seed).build();
    if (batch) {
      index.addAll(ids, vectors, AddOptions.threads(2));
    } else {
      for (int i = 0; i < n; i++) {
        index.add(ids[i], vectors[i]);
      }
    }
    check(index);
  }

  @Property(tries = 6)
  void addingOneByOneAndBuildingFromTheBatchReachSimilarRecall(@ForAll long seed, @ForAll Metric metric) {
    Random random = new Random(seed);
    int n = 3000;
    int dim = 24;
    // queries from the data's own clusters: recall far from the data varies too much from seed to seed
    float[][] all = TestData.clustered(random, n + 120, dim, 20, 0.4);
    float[][] vectors = java.util.Arrays.copyOf(all, n);
    float[][] queries = java.util.Arrays.copyOfRange(all, n, n + 120);
    long[] ids = TestData.distinctIds(random, n);
    LshIndex batch = LshIndex.builder(dim, metric).seed(seed).build();
    batch.addAll(ids, vectors, AddOptions.threads(2));
    LshIndex incremental = LshIndex.builder(dim, metric).seed(seed).build();
    for (int i = 0; i < n; i++) {
      incremental.add(ids[i], vectors[i]);
    }
    SearchParams params = SearchParams.builder().searchK(300).build();
    double batchRecall = 0;
    double incrementalRecall = 0;
    for (float[] q : queries) {
      int[] exact = TestData.exactNearest(metric, vectors, null, q, 10);
      batchRecall += TestData.recall(metric, vectors, q, exact, batch.search(q, 10, params)) / queries.length;
      incrementalRecall += TestData.recall(metric, vectors, q, exact, incremental.search(q, 10, params)) / queries.length;
    }
    assertTrue(Math.abs(batchRecall - incrementalRecall) <= 0.1,
        metric + ": batch recall " + batchRecall + ", one by one " + incrementalRecall);
  }

  private static void check(LshIndex index) {
    ForestChecks.check(index.forest(), index.vectors(), index.size());
  }
}
