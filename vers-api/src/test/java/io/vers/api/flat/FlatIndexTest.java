package io.vers.api.flat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vers.api.Index;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.api.SearchResult;
import io.vers.api.testkit.TestData;
import java.util.List;
import java.util.Random;
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
}
