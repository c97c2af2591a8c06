package io.vers.lsh;

import static io.vers.api.testkit.SnapshotAssertions.assertSameState;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.AddOptions;
import io.vers.api.IllegalParameterException;
import io.vers.api.Index;
import io.vers.api.IndexProvider;
import io.vers.api.IndexSnapshot;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.api.testkit.TestData;
import io.vers.flat.FlatIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

class LshIndexTest {
  private static final Random RANDOM = new Random(11);

  @Test
  void nameRouteEqualsTypedRoute() {
    for (Metric metric : Metric.values()) {
      Random random = new Random(5);
      float[][] vectors = TestData.clustered(random, 900, 12, 6, 0.4);
      long[] ids = TestData.distinctIds(random, 900);
      Index byName = Indexes.build("lsh", 12, metric,
          Map.of("num_trees", 5, "max_node_size", 7, "search_k", 50, "seed", 99), ids, vectors, AddOptions.threads(2));
      LshIndex typed = LshIndex.builder(12, metric).numTrees(5).maxLeafSize(7).searchK(50).seed(99).build();
      typed.addAll(ids, vectors, AddOptions.threads(1));
      assertEquals(typed.parameters(), byName.parameters());
      assertEquals(Map.of("numTrees", 5, "maxLeafSize", 7, "searchK", 50, "seed", 99L), typed.parameters());
      assertSameState(typed.snapshot(), byName.snapshot());
      for (float[] q : TestData.gaussian(random, 5, 12)) {
        assertEquals(typed.search(q, 10), byName.search(q, 10));
      }
    }
  }

  @Test
  void providerDescribesItsParameters() {
    IndexProvider provider = Indexes.provider("lsh");
    assertTrue(provider instanceof LshIndexProvider);
    assertEquals(List.of("numTrees", "maxLeafSize", "searchK", "seed"),
        provider.parameters().stream().map(ParameterSpec::name).toList());
    ParameterSpec maxLeafSize = provider.parameters().get(1);
    assertTrue(maxLeafSize.matches("max_node_size") && maxLeafSize.matches("MAX-LEAF-SIZE"));
    assertTrue(provider.parameters().get(0).matches("num_trees"));
    ParameterSpec searchK = provider.searchParameters().get(0);
    assertEquals("searchK", searchK.name());
    assertEquals(LshIndex.defaultSearchK(10, LshIndex.DEFAULT_NUM_TREES), searchK.defaultValue());
    assertEquals(1000, LshIndex.defaultSearchK(10, 10));
    assertEquals(LshIndex.defaultSearchK(1, 8), LshIndex.defaultSearchK(10, 8), "k below 10 counts as 10");
    assertEquals(10 * 50 * 3, LshIndex.defaultSearchK(50, 3));
    assertEquals(Map.of("numTrees", 10, "maxLeafSize", 32, "seed", 42L), Indexes.create("lsh", 3, Metric.L2).parameters());
  }

  @Test
  void theSearchKnobsDefaultForAnIndexIsTheBudgetASearchWithoutItUses() {
    IndexProvider provider = Indexes.provider("lsh");
    assertEquals(4000, provider.searchParameters(Map.of("numTrees", 40), 10).get(0).defaultValue());
    assertEquals(750, provider.searchParameters(Map.of("numTrees", 3), 25).get(0).defaultValue());
    assertEquals(77, provider.searchParameters(Map.of("numTrees", 3, "searchK", 77), 25).get(0).defaultValue());
    assertEquals(1000, provider.searchParameters(Map.of(), 10).get(0).defaultValue());

    // DOT has no early stop, so the budget decides the results.
    Random random = new Random(8);
    float[][] vectors = TestData.clustered(random, 3000, 8, 10, 0.5);
    Index index = Indexes.build("lsh", 8, Metric.DOT, Map.of("numTrees", 2, "maxLeafSize", 8), TestData.distinctIds(
        random, 3000), vectors, AddOptions.threads(1));
    int budget = (Integer) provider.searchParameters(index.parameters(), 5).get(0).defaultValue();
    assertEquals(200, budget);
    boolean smallerDiffers = false;
    for (float[] q : TestData.gaussian(random, 30, 8)) {
      List<SearchResult> unset = index.search(q, 5);
      assertEquals(unset, index.search(q, 5, SearchParams.builder().searchK(budget).build()));
      smallerDiffers |= !unset.equals(index.search(q, 5, SearchParams.builder().searchK(budget / 4).build()));
    }
    assertTrue(smallerDiffers, "a smaller budget changes some results, so the comparison above can fail");
  }

  @Test
  void builderRejectsOutOfRangeValuesNamingTheRange() {
    IllegalParameterException e = assertThrows(IllegalParameterException.class,
        () -> LshIndex.builder(4, Metric.L2).numTrees(0));
    assertTrue(e.getMessage().contains("numTrees") && e.getMessage().contains("[1, 1024]"), e.getMessage());
    assertThrows(IllegalParameterException.class, () -> LshIndex.builder(4, Metric.L2).maxLeafSize(0));
    assertThrows(IllegalParameterException.class, () -> LshIndex.builder(4, Metric.L2).searchK(0));
    assertThrows(IllegalArgumentException.class, () -> LshIndex.builder(0, Metric.L2));
  }

  @Test
  void snapshotRoundTripIsIdentical() throws Exception {
    for (Metric metric : Metric.values()) {
      Random random = new Random(21);
      int dim = 10;
      float[][] vectors = TestData.gaussian(random, 700, dim);
      long[] ids = TestData.distinctIds(random, 700);
      LshIndex index = LshIndex.builder(dim, metric).numTrees(4).maxLeafSize(6).build();
      index.addAll(ids, vectors, AddOptions.threads(2));
      for (int i = 0; i < 100; i++) {
        index.remove(ids[i]);
        index.add(5000 + i, TestData.gaussian(random, 1, dim)[0]);
      }
      IndexSnapshot snapshot = index.snapshot();
      Index restored = Indexes.provider("lsh").restore(snapshot);
      assertSameState(snapshot, restored.snapshot());
      assertEquals(index.parameters(), restored.parameters());
      assertEquals(index.size(), restored.size());
      ForestChecks.check(((LshIndex) restored).forest(), ((LshIndex) restored).vectors(), restored.size());
      for (float[] q : TestData.gaussian(random, 10, dim)) {
        assertEquals(index.search(q, 7), restored.search(q, 7));
      }
      float[][] more = TestData.gaussian(random, 200, dim);
      for (int i = 0; i < more.length; i++) {
        index.add(9000 + i, more[i]);
        restored.add(9000 + i, more[i]);
      }
      assertSameState(index.snapshot(), restored.snapshot());
    }
  }

  @Test
  void emptyIndexesRoundTrip() throws Exception {
    LshIndex fresh = LshIndex.builder(5, Metric.COSINE).numTrees(2).build();
    LshIndex emptied = LshIndex.builder(5, Metric.L2).numTrees(3).maxLeafSize(2).build();
    emptied.addAll(new long[] {1, 2, 3, 4, 5}, TestData.gaussian(RANDOM, 5, 5));
    for (long id = 1; id <= 5; id++) {
      assertTrue(emptied.remove(id));
    }
    for (LshIndex index : List.of(fresh, emptied)) {
      Index restored = Indexes.provider("lsh").restore(index.snapshot());
      assertSameState(index.snapshot(), restored.snapshot());
      assertEquals(0, restored.size());
      assertTrue(restored.search(new float[] {1, 2, 3, 4, 5}, 3).isEmpty());
      restored.add(7, new float[] {1, 0, 0, 0, 0});
      assertEquals(7, restored.search(new float[] {1, 0, 0, 0, 0}, 3).get(0).id());
    }
  }

  @Test
  void identicalPointsShareOneLeafAndAreAllFound() {
    LshIndex index = LshIndex.builder(3, Metric.L2).numTrees(3).maxLeafSize(4).build();
    float[] same = {1, 2, 3};
    for (int i = 0; i < 50; i++) {
      index.add(i, same);
      index.add(1000 + i, TestData.gaussian(RANDOM, 1, 3)[0]);
    }
    Forest f = index.forest();
    for (int t = 0; t < f.numTrees; t++) {
      int leaf = f.leafOf[t]; // the leaf of ordinal 0, which holds id 0
      int holding = 0;
      for (int i = f.leafStart[leaf]; i < f.leafStart[leaf] + f.leafSize[leaf]; i++) {
        if (Arrays.equals(same, index.vectors().get(f.pool[i]))) {
          holding++;
        }
      }
      assertEquals(50, holding, "tree " + t + " keeps the duplicates together");
    }
    ForestChecks.check(f, index.vectors(), index.size());
    List<SearchResult> hits = index.search(same, 50);
    assertEquals(50, hits.size());
    for (SearchResult hit : hits) {
      assertTrue(hit.id() < 50 && hit.distance() == 0f, hit.toString());
    }
  }

  @Test
  void selectiveFiltersStillReturnTheExactAcceptedNeighbours() {
    Random random = new Random(8);
    int n = 6000;
    int dim = 16;
    float[][] vectors = TestData.clustered(random, n, dim, 30, 0.5);
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
    }
    LshIndex index = LshIndex.builder(dim, Metric.L2).build();
    index.addAll(ids, vectors);
    FlatIndex flat = FlatIndex.create(dim, Metric.L2);
    flat.addAll(ids, vectors);
    for (int modulus : new int[] {2, 50, 700, 7000}) {
      LongPredicate filter = id -> id % modulus == 3;
      SearchParams params = SearchParams.builder().filter(filter).searchK(200).build();
      for (float[] q : TestData.gaussian(random, 5, dim)) {
        List<SearchResult> got = index.search(q, 10, params);
        List<SearchResult> exact = flat.search(q, 10, SearchParams.builder().filter(filter).build());
        assertEquals(exact.size(), got.size(), "modulus " + modulus);
        got.forEach(r -> assertTrue(filter.test(r.id())));
        if (modulus >= 700) { // answered by an exact scan; flat's block kernel may round the last bit apart
          assertEquals(exact.stream().map(SearchResult::id).toList(), got.stream().map(SearchResult::id).toList(),
              "a filter this selective is answered by an exact scan");
          for (int i = 0; i < exact.size(); i++) {
            assertEquals(exact.get(i).distance(), got.get(i).distance(), 1e-5 * exact.get(i).distance(), "rank " + i);
          }
        }
      }
    }
  }

  @Test
  void batchOnANonEmptyIndexIsAddedOneByOne() {
    Random random = new Random(3);
    LshIndex index = LshIndex.builder(8, Metric.COSINE).numTrees(3).maxLeafSize(5).build();
    index.addAll(TestData.distinctIds(random, 300), TestData.gaussian(random, 300, 8));
    long[] more = new long[200];
    for (int i = 0; i < more.length; i++) {
      more[i] = 1L << 40 | i;
    }
    List<long[]> reports = new CopyOnWriteArrayList<>();
    index.addAll(more, TestData.gaussian(random, 200, 8),
        AddOptions.threads(2).withProgress((done, total) -> reports.add(new long[] {done, total})));
    assertEquals(500, index.size());
    assertArrayEquals(new long[] {200, 200}, reports.get(reports.size() - 1));
    ForestChecks.check(index.forest(), index.vectors(), index.size());
  }

  @Test
  void bulkBuildReportsMonotoneProgressToTheEnd() {
    Random random = new Random(4);
    List<long[]> reports = new CopyOnWriteArrayList<>();
    LshIndex index = LshIndex.builder(6, Metric.L2).numTrees(7).build();
    index.addAll(TestData.distinctIds(random, 5000), TestData.gaussian(random, 5000, 6),
        AddOptions.threads(3).withProgress((done, total) -> reports.add(new long[] {done, total})));
    // one report per 1,024 vectors' worth of finished trees at most, and always the end
    assertTrue(reports.size() >= 1 && reports.size() <= 5, "reports: " + reports.size());
    for (int i = 1; i < reports.size(); i++) {
      assertTrue(reports.get(i)[0] > reports.get(i - 1)[0]);
    }
    assertArrayEquals(new long[] {5000, 5000}, reports.get(reports.size() - 1));
  }

  @Test
  void dotSearchFindsTheLargestInnerProducts() {
    Random random = new Random(12);
    int n = 4000;
    int dim = 16;
    float[][] vectors = TestData.gaussian(random, n, dim);
    for (int i = 0; i < n; i++) {
      float scale = 0.2f + 3 * random.nextFloat();
      for (int j = 0; j < dim; j++) {
        vectors[i][j] *= scale;
      }
    }
    Index index = Indexes.build("lsh", dim, Metric.DOT, Map.of(), TestData.distinctIds(random, n), vectors);
    double recall = 0;
    float[][] queries = TestData.gaussian(random, 100, dim);
    for (float[] q : queries) {
      int[] exact = TestData.exactNearest(Metric.DOT, vectors, null, q, 10);
      recall += TestData.recall(Metric.DOT, vectors, q, exact, index.search(q, 10)) / queries.length;
    }
    assertTrue(recall > 0.9, "DOT recall@10 " + recall);
  }

  @Test
  void ramBytesUsedMatchesTheHeapAfterUpdatesAndRestore() throws Exception {
    Random random = new Random(6);
    LshIndex incremental = LshIndex.builder(24, Metric.DOT).maxLeafSize(6).build();
    float[][] vectors = TestData.gaussian(random, 4000, 24);
    for (int i = 0; i < vectors.length; i++) {
      incremental.add(i, vectors[i]);
    }
    for (int i = 0; i < 1500; i++) {
      incremental.remove(random.nextInt(4000));
    }
    Index restored = Indexes.provider("lsh").restore(incremental.snapshot());
    for (Index index : List.of(incremental, restored)) {
      long measured = GraphLayout.parseInstance(index).totalSize();
      double ratio = index.ramBytesUsed() / (double) measured;
      assertTrue(ratio > 0.9 && ratio < 1.1, "ramBytesUsed " + index.ramBytesUsed() + " vs heap " + measured);
    }
  }

  @Test
  void restoreRejectsCorruptSnapshots() throws Exception {
    Random random = new Random(9);
    LshIndex index = LshIndex.builder(4, Metric.L2).numTrees(3).maxLeafSize(4).build();
    index.addAll(TestData.distinctIds(random, 60), TestData.gaussian(random, 60, 4));
    IndexSnapshot good = index.snapshot();
    IndexProvider provider = Indexes.provider("lsh");
    assertSameState(good, provider.restore(good).snapshot());
    int nodes = good.ints("children").length / 2;
    int leaves = good.ints("leafOffsets").length - 1;
    assertTrue(nodes > 3 && leaves > 6);

    List<IndexSnapshot> corrupt = new ArrayList<>();
    corrupt.add(copy(good, "hnsw", 1, null, null));
    corrupt.add(copy(good, "lsh", 2, null, null));
    corrupt.add(copy(good, "lsh", 1, Map.of("numTrees", "0"), null));
    corrupt.add(copy(good, "lsh", 1, Map.of("numTrees", "4"), null));
    corrupt.add(withArray(good, "roots", Arrays.copyOf(good.ints("roots"), 2)));
    corrupt.add(withInt(good, "children", 0, nodes + 5));
    corrupt.add(withInt(good, "children", 0, ~(leaves + 3)));
    corrupt.add(withInt(good, "children", 1, good.ints("roots")[0]));
    corrupt.add(withInt(good, "roots", 1, good.ints("roots")[0]));
    corrupt.add(withArray(good, "children", Arrays.copyOf(good.ints("children"), 2 * nodes - 1)));
    int[] extraNode = Arrays.copyOf(good.ints("children"), 2 * nodes + 2);
    extraNode[2 * nodes] = ~0;
    extraNode[2 * nodes + 1] = ~1;
    IndexSnapshot unreachable = withArray(good, "children", extraNode);
    unreachable = withArray(unreachable, "planes", Arrays.copyOf(good.floats("planes"), (nodes + 1) * 5));
    corrupt.add(unreachable);
    corrupt.add(withInt(good, "leafItems", 0, 60));
    corrupt.add(withInt(good, "leafItems", 0, -1));
    corrupt.add(withInt(good, "leafItems", 1, good.ints("leafItems")[0]));
    corrupt.add(withArray(good, "leafItems", Arrays.copyOf(good.ints("leafItems"), 179)));
    int[] offsets = good.ints("leafOffsets").clone();
    offsets[2] = offsets[1] - 1;
    corrupt.add(withArray(good, "leafOffsets", offsets));
    corrupt.add(withInt(good, "leafOffsets", leaves, 17));
    corrupt.add(withArray(good, "planes", Arrays.copyOf(good.floats("planes"), nodes * 5 - 1)));
    float[] nanPlane = good.floats("planes").clone();
    nanPlane[3] = Float.NaN;
    corrupt.add(withArray(good, "planes", nanPlane));
    float[] infVector = good.floats("vectors").clone();
    infVector[7] = Float.POSITIVE_INFINITY;
    corrupt.add(withArray(good, "vectors", infVector));
    corrupt.add(withArray(good, "vectors", Arrays.copyOf(good.floats("vectors"), 239)));
    long[] sameIds = good.longs("ids").clone();
    sameIds[5] = sameIds[4];
    corrupt.add(withArray(good, "ids", sameIds));
    corrupt.add(withArray(good, "ids", new int[60]));
    corrupt.add(withScalar(good, "scale", Float.floatToIntBits(2f)));
    corrupt.add(withScalar(good, "scale", 1L << 40));
    corrupt.add(without(good, "leafItems"));
    corrupt.add(withoutScalar(good, "randomState"));
    for (IndexSnapshot s : corrupt) {
      assertThrows(io.vers.api.CorruptIndexException.class, () -> provider.restore(s), s.toString());
    }
  }

  // ---------------------------------------------------------------- helpers

  private static IndexSnapshot copy(IndexSnapshot s, String algorithm, int version, Map<String, String> parameters,
      Map<String, Object> arrays) {
    IndexSnapshot.Builder b = IndexSnapshot.builder(algorithm, version, s.dimension(), s.metric(), s.size());
    s.parameters().forEach(b::parameter);
    if (parameters != null) {
      parameters.forEach(b::parameter);
    }
    s.scalars().forEach(b::scalar);
    s.arrays().forEach(b::array);
    if (arrays != null) {
      arrays.forEach(b::array);
    }
    return b.build();
  }

  private static IndexSnapshot withArray(IndexSnapshot s, String name, Object array) {
    return copy(s, s.algorithm(), s.stateVersion(), null, Map.of(name, array));
  }

  private static IndexSnapshot withInt(IndexSnapshot s, String name, int index, int value) throws Exception {
    int[] array = s.ints(name).clone();
    array[index] = value;
    return withArray(s, name, array);
  }

  private static IndexSnapshot withScalar(IndexSnapshot s, String name, long value) {
    IndexSnapshot.Builder b = IndexSnapshot.builder(s.algorithm(), s.stateVersion(), s.dimension(), s.metric(), s.size());
    s.parameters().forEach(b::parameter);
    s.scalars().forEach(b::scalar);
    b.scalar(name, value);
    s.arrays().forEach(b::array);
    return b.build();
  }

  private static IndexSnapshot without(IndexSnapshot s, String array) {
    IndexSnapshot.Builder b = IndexSnapshot.builder(s.algorithm(), s.stateVersion(), s.dimension(), s.metric(), s.size());
    s.parameters().forEach(b::parameter);
    s.scalars().forEach(b::scalar);
    s.arrays().forEach((name, values) -> {
      if (!name.equals(array)) {
        b.array(name, values);
      }
    });
    return b.build();
  }

  private static IndexSnapshot withoutScalar(IndexSnapshot s, String scalar) {
    IndexSnapshot.Builder b = IndexSnapshot.builder(s.algorithm(), s.stateVersion(), s.dimension(), s.metric(), s.size());
    s.parameters().forEach(b::parameter);
    s.scalars().forEach((name, value) -> {
      if (!name.equals(scalar)) {
        b.scalar(name, value);
      }
    });
    s.arrays().forEach(b::array);
    return b.build();
  }
}
