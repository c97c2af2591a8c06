package io.vers.flat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.BatchResults;
import io.vers.api.Index;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.api.testkit.TestData;
import java.util.List;
import java.util.Random;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

class FlatIndexTest {
  @Test
  void cosineNormalisesItsOwnCopyOnly() {
    FlatIndex index = FlatIndex.create(2, Metric.COSINE);
    float[] v = {3, 4};
    index.add(1, v);
    assertArrayEquals(new float[] {3, 4}, v);
    List<SearchResult> hits = index.search(new float[] {6, 8}, 1);
    assertEquals(1, hits.get(0).id());
    assertEquals(0f, hits.get(0).distance(), 1e-6f);
    assertEquals(1f, index.search(new float[] {-4, 3}, 1).get(0).distance(), 1e-6f);
  }

  @Test
  void dotRanksByLargestInnerProduct() {
    FlatIndex index = FlatIndex.create(2, Metric.DOT);
    index.add(1, new float[] {1, 0});
    index.add(2, new float[] {5, 0});
    index.add(3, new float[] {-5, 0});
    List<SearchResult> hits = index.search(new float[] {1, 0}, 3);
    assertEquals(List.of(2L, 1L, 3L), hits.stream().map(SearchResult::id).toList());
    assertEquals(-5f, hits.get(0).distance());
  }

  @Test
  void searchAllOnThreadsMatchesOneByOne() {
    Random random = new Random(1);
    float[][] data = TestData.gaussian(random, 3000, 24);
    FlatIndex index = FlatIndex.create(24, Metric.L2);
    for (int i = 0; i < data.length; i++) {
      index.add(i, data[i]);
    }
    float[][] queries = TestData.gaussian(random, 40, 24);
    List<List<SearchResult>> all = index.searchAll(queries, 7, 2);
    for (int q = 0; q < queries.length; q++) {
      assertEquals(index.search(queries[q], 7), all.get(q));
    }
  }

  @Test
  void removeKeepsTheRestFindable() {
    Index index = Indexes.create("flat", 3, Metric.L2);
    for (int i = 0; i < 100; i++) {
      index.add(i, new float[] {i, 0, 0});
    }
    for (int i = 0; i < 100; i += 3) {
      index.remove(i);
    }
    for (int i = 0; i < 100; i++) {
      List<SearchResult> hit = index.search(new float[] {i, 0, 0}, 1);
      if (i % 3 == 0) {
        assertEquals(1f, hit.get(0).distance());
      } else {
        assertEquals(i, hit.get(0).id());
      }
    }
  }

  /**
   * A batch over vectors spread across several storage pages (tiles split at page ends), with more
   * queries than one worker block, equals single searches row for row, and both equal the exact answer.
   */
  @Test
  void batchesSpanningPagesAndBlocksEqualSingleSearches() {
    int dim = 1500; // 2048 vectors per page
    int n = 2 * 2048 + 301;
    Random random = new Random(11);
    float[][] data = TestData.clustered(random, n, dim, 20, 0.3);
    float[][] queries = TestData.clustered(random, 50, dim, 20, 0.3);
    LongPredicate filter = id -> id % 5 != 2;
    for (Metric metric : List.of(Metric.L2, Metric.DOT)) {
      FlatIndex index = FlatIndex.create(dim, metric);
      for (int i = 0; i < n; i++) {
        index.add(i, data[i]);
      }
      for (SearchParams params : List.of(SearchParams.DEFAULT, SearchParams.builder().filter(filter).build())) {
        for (int k : new int[] {1, 10, 300}) {
          BatchResults batch = index.searchBatch(queries, k, params, 2);
          for (int q = 0; q < queries.length; q++) {
            List<SearchResult> single = index.search(queries[q], k, params);
            assertEquals(single, batch.row(q), metric + " k " + k + " " + params + " query " + q);
          }
          for (int q = 0; q < 3; q++) {
            int[] exact = TestData.exactNearest(metric, data, null, queries[q], n);
            List<SearchResult> got = batch.row(q);
            int rank = 0;
            for (int e : exact) {
              if (rank < k && filter.test(e) || rank < k && params.filter() == null) {
                assertTrue(TestData.close(TestData.distance(metric, queries[q], data[e]), got.get(rank).distance()),
                    metric + " rank " + rank + " of query " + q);
                rank++;
              }
            }
            assertEquals(rank, got.size());
          }
        }
      }
    }
  }
}
