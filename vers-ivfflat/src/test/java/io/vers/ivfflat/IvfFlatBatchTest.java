package io.vers.ivfflat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.AddOptions;
import io.vers.api.BatchResults;
import io.vers.api.Metric;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.api.testkit.TestData;
import io.vers.flat.FlatIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongPredicate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The batch search returns, row by row, exactly what one search per query returns (ids, distances,
 * order), whatever the nprobe, filter, metric, thread count or state of training; range search with
 * every list probed is exact.
 */
class IvfFlatBatchTest {
  private static final List<LongPredicate> FILTERS = List.of(
      id -> Math.floorMod(id, 3) != 0,
      id -> Math.floorMod(id, 97) == 0); // so few accepted that further lists are scanned

  @Property(tries = 30)
  void batchRowsEqualSingleSearches(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 2500) int n,
      @ForAll @IntRange(min = 1, max = 40) int dim,
      @ForAll Metric metric,
      @ForAll @IntRange(min = 1, max = 40) int k,
      @ForAll @IntRange(min = 1, max = 3) int threads) {
    Random random = new Random(seed);
    float[][] vectors = TestData.clustered(random, n, dim, 10, 0.5);
    long[] ids = TestData.distinctIds(random, n);
    IvfFlatIndex index = IvfFlatIndex.builder(dim, metric).seed(seed).build(ids, vectors, AddOptions.threads(2));
    float[][] queries = queries(random, vectors, 70, dim);
    int nlist = index.nlist();
    for (int nprobe : new int[] {1, 2, Math.max(1, nlist / 3), nlist, nlist + 5}) {
      SearchParams plain = SearchParams.builder().nprobe(Math.max(1, nprobe)).build();
      assertBatchEqualsSingles(index, queries, k, plain, threads);
      for (LongPredicate filter : FILTERS) {
        assertBatchEqualsSingles(index, queries, k, plain.toBuilder().filter(filter).build(), threads);
      }
    }
    assertBatchEqualsSingles(index, queries, k, SearchParams.DEFAULT, threads);
  }

  @Test
  void batchRowsEqualSingleSearchesUnderATargetRecall() {
    Random random = new Random(21);
    int dim = 24;
    float[][] vectors = TestData.clustered(random, 4000, dim, 30, 0.6);
    long[] ids = TestData.distinctIds(random, vectors.length);
    IvfFlatIndex index = IvfFlatIndex.builder(dim, Metric.L2).build(ids, vectors, AddOptions.threads(2));
    // Half the queries come from the data's clusters, half from elsewhere (remote: more lists probed).
    float[][] queries = queries(random, vectors, 120, dim);
    for (double target : new double[] {0.8, 0.95, 0.99}) {
      SearchParams params = SearchParams.builder().targetRecall(target).build();
      for (int threads : new int[] {1, 2}) {
        assertBatchEqualsSingles(index, queries, 10, params, threads);
        assertBatchEqualsSingles(index, queries, 10, params.toBuilder().filter(FILTERS.get(0)).build(), threads);
      }
    }
  }

  @Test
  void beforeTrainingTheBatchIsExactLikeTheSingleSearch() {
    Random random = new Random(22);
    int dim = 12;
    IvfFlatIndex index = IvfFlatIndex.builder(dim, Metric.COSINE).nlist(20).nprobe(1).build();
    FlatIndex flat = FlatIndex.create(dim, Metric.COSINE);
    float[][] vectors = TestData.clustered(random, 500, dim, 5, 0.5);
    for (int i = 0; i < vectors.length; i++) {
      index.add(i, vectors[i]);
      flat.add(i, vectors[i]);
    }
    index.remove(7);
    flat.remove(7);
    assertFalse(index.isTrained());
    float[][] queries = queries(random, vectors, 50, dim);
    for (SearchParams params : List.of(SearchParams.DEFAULT, SearchParams.builder().nprobe(3).build(),
        SearchParams.builder().filter(FILTERS.get(1)).build())) {
      for (int threads : new int[] {1, 3}) {
        assertBatchEqualsSingles(index, queries, 15, params, threads);
        BatchResults batch = index.searchBatch(queries, 15, params, threads);
        for (int i = 0; i < queries.length; i++) {
          assertEquals(flat.search(queries[i], 15, params.filterOnly()), batch.row(i), "exact before training, row " + i);
        }
      }
    }
  }

  /**
   * Probing every list gives exactly the flat index's answer (ids, distances, order) at any dimension:
   * both compute distances with the same kernel. Filtered too, and through the batch.
   */
  @Property(tries = 20)
  void probingEveryListEqualsTheFlatIndexAtAnyDimension(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 800) int n,
      @ForAll @IntRange(min = 1, max = 300) int dim,
      @ForAll Metric metric,
      @ForAll @IntRange(min = 1, max = 30) int k) {
    Random random = new Random(seed);
    float[][] vectors = TestData.clustered(random, n, dim, 6, 0.7);
    long[] ids = TestData.distinctIds(random, n);
    IvfFlatIndex ivf = IvfFlatIndex.builder(dim, metric).seed(seed).build(ids, vectors, AddOptions.threads(2));
    FlatIndex flat = FlatIndex.create(dim, metric);
    flat.addAll(ids, vectors);
    SearchParams all = SearchParams.builder().nprobe(Math.max(1, ivf.nlist())).build();
    float[][] queries = queries(random, vectors, 6, dim);
    for (LongPredicate filter : new LongPredicate[] {null, FILTERS.get(0)}) {
      SearchParams params = filter == null ? all : all.toBuilder().filter(filter).build();
      BatchResults batch = ivf.searchBatch(queries, k, params, 2);
      for (int i = 0; i < queries.length; i++) {
        List<SearchResult> expected = flat.search(queries[i], k, params.filterOnly());
        assertEquals(expected, ivf.search(queries[i], k, params), "dimension " + dim);
        assertEquals(expected, batch.row(i), "batch, dimension " + dim);
        assertEquals(expected, ivf.searchExact(queries[i], k, params), "exact, dimension " + dim);
      }
    }
  }

  @Test
  void anEmptyBatchAndAnEmptyIndex() {
    IvfFlatIndex index = IvfFlatIndex.builder(3, Metric.L2).build();
    assertEquals(0, index.searchBatch(new float[0][], 4, SearchParams.DEFAULT, 2).count());
    BatchResults none = index.searchBatch(new float[][] {{1, 2, 3}, {0, 0, 1}}, 4, SearchParams.DEFAULT, 2);
    assertEquals(2, none.count());
    assertEquals(0, none.size(0));
    assertEquals(BatchResults.NO_ID, none.id(1, 3));
  }

  @Property(tries = 25)
  void rangeSearchProbingEveryListIsExact(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 1500) int n,
      @ForAll @IntRange(min = 1, max = 32) int dim,
      @ForAll Metric metric,
      @ForAll @IntRange(min = 1, max = 60) int limit,
      @ForAll boolean filtered,
      @ForAll boolean trained) {
    Random random = new Random(seed);
    float[][] vectors = TestData.clustered(random, n, dim, 8, 0.6);
    long[] ids = TestData.distinctIds(random, n);
    IvfFlatIndex index = trained
        ? IvfFlatIndex.builder(dim, metric).seed(seed).build(ids, vectors, AddOptions.threads(2))
        : IvfFlatIndex.builder(dim, metric).nlist(Math.max(1, n)).build();
    if (!trained) {
      index.addAll(ids, vectors);
    }
    FlatIndex flat = FlatIndex.create(dim, metric);
    flat.addAll(ids, vectors);
    SearchParams all = SearchParams.builder().nprobe(Math.max(1, index.nlist())).build();
    if (filtered) {
      all = all.toBuilder().filter(FILTERS.get(0)).build();
    }
    for (float[] query : queries(random, vectors, 6, dim)) {
      List<SearchResult> everything = flat.search(query, n, all.filterOnly());
      for (int at : new int[] {0, everything.size() / 3, everything.size() - 1}) {
        if (everything.isEmpty()) {
          break;
        }
        float radius = everything.get(Math.max(0, at)).distance();
        List<SearchResult> expected = flat.searchRange(query, radius, limit, all.filterOnly());
        assertEquals(expected, index.searchRange(query, radius, limit, all), "radius " + radius);
        List<SearchResult> exact = index.searchExact(query, limit, all);
        assertEquals(flat.search(query, limit, all.filterOnly()), exact);
        int within = 0;
        while (within < exact.size() && exact.get(within).distance() <= radius) {
          within++;
        }
        assertEquals(exact.subList(0, within), index.searchRange(query, radius, limit, all),
            "range equals the exact answer cut at the radius");
      }
    }
  }

  @Test
  void rangeSearchAtTheDefaultNprobeKeepsItsRadiusAndLimit() {
    Random random = new Random(23);
    float[][] vectors = TestData.clustered(random, 3000, 16, 10, 0.5);
    long[] ids = TestData.distinctIds(random, vectors.length);
    IvfFlatIndex index = IvfFlatIndex.builder(16, Metric.L2).nprobe(2).build(ids, vectors);
    for (float[] query : queries(random, vectors, 10, 16)) {
      List<SearchResult> exact = index.searchExact(query, 50, SearchParams.DEFAULT);
      float radius = exact.get(49).distance();
      List<SearchResult> got = index.searchRange(query, radius, 20, SearchParams.DEFAULT);
      assertTrue(got.size() <= 20);
      for (int i = 0; i < got.size(); i++) {
        assertTrue(got.get(i).distance() <= radius);
        assertTrue(i == 0 || got.get(i - 1).distance() <= got.get(i).distance());
      }
      List<SearchResult> targeted =
          index.searchRange(query, radius, 20, SearchParams.builder().targetRecall(0.99).build());
      assertTrue(targeted.size() <= 20);
    }
  }

  /** Half the queries from the data's clusters, half from new centres. */
  private static float[][] queries(Random random, float[][] vectors, int count, int dim) {
    float[][] out = new float[count][];
    float[][] elsewhere = TestData.clustered(random, count, dim, 6, 0.5);
    for (int i = 0; i < count; i++) {
      if (i % 2 == 0) {
        float[] base = vectors[random.nextInt(vectors.length)];
        out[i] = new float[dim];
        for (int j = 0; j < dim; j++) {
          out[i][j] = base[j] + (float) (random.nextGaussian() * 0.1);
        }
      } else {
        out[i] = elsewhere[i];
      }
    }
    return out;
  }

  private static void assertBatchEqualsSingles(IvfFlatIndex index, float[][] queries, int k, SearchParams params,
      int threads) {
    int dim = index.dimension();
    float[] rowMajor = new float[queries.length * dim];
    for (int i = 0; i < queries.length; i++) {
      System.arraycopy(queries[i], 0, rowMajor, i * dim, dim);
    }
    List<BatchResults> answers = new ArrayList<>();
    answers.add(index.searchBatch(queries, k, params, threads));
    answers.add(index.searchBatch(rowMajor, queries.length, k, params, threads));
    for (int i = 0; i < queries.length; i++) {
      List<SearchResult> single = index.search(queries[i], k, params);
      for (BatchResults batch : answers) {
        assertEquals(single, batch.row(i), "row " + i + " of " + params + " at " + threads + " threads");
        for (int j = single.size(); j < k; j++) {
          assertEquals(BatchResults.NO_ID, batch.id(i, j));
        }
      }
    }
  }
}
