package io.vers.ivfflat;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.LongPredicate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Invariants of the inverted file, checked against the flat index and an independent brute force. */
class IvfFlatPropertiesTest {
  /**
   * Probing every list is exact search, and ties resolve by ordinal as in the flat index: after the same
   * adds, upserts and removals, both return identical results, with and without a filter.
   */
  @Property(tries = 40)
  void probingEveryListGivesExactlyTheFlatResult(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 600) int n,
      @ForAll @IntRange(min = 1, max = 48) int dim,
      @ForAll Metric metric,
      @ForAll @IntRange(min = 1, max = 30) int k,
      @ForAll @IntRange(min = 0, max = 200) int writes) {
    Random random = new Random(seed);
    float[][] vectors = TestData.clustered(random, n, dim, 5, 0.7);
    long[] ids = TestData.distinctIds(random, n);
    IvfFlatIndex ivf = IvfFlatIndex.builder(dim, metric).seed(seed).build(ids, vectors, AddOptions.threads(2));
    FlatIndex flat = FlatIndex.create(dim, metric);
    flat.addAll(ids, vectors);
    applyRandomWrites(random, writes, ids, dim, (id, v) -> {
      ivf.add(id, v);
      flat.add(id, v);
    }, id -> {
      assertEquals(flat.remove(id), ivf.remove(id));
    });
    assertEquals(flat.size(), ivf.size());
    SearchParams all = SearchParams.builder().nprobe(Math.max(1, ivf.nlist())).build();
    LongPredicate odd = id -> (id & 1) == 1;
    for (float[] query : TestData.gaussian(random, 5, dim)) {
      assertEquals(flat.search(query, k), ivf.search(query, k, all));
      assertEquals(flat.search(query, k, SearchParams.builder().filter(odd).build()),
          ivf.search(query, k, all.toBuilder().filter(odd).build()));
    }
  }

  /**
   * For fixed data and queries, recall (against an independent brute force) never drops as nprobe grows,
   * and is complete once every list is probed.
   */
  @Property(tries = 15)
  void recallDoesNotDecreaseAsNprobeGrows(
      @ForAll long seed,
      @ForAll @IntRange(min = 50, max = 1500) int n,
      @ForAll @IntRange(min = 2, max = 32) int dim,
      @ForAll Metric metric,
      @ForAll @IntRange(min = 1, max = 20) int k) {
    Random random = new Random(seed);
    float[][] vectors = TestData.clustered(random, n, dim, 12, 0.8);
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
    }
    IvfFlatIndex index = IvfFlatIndex.builder(dim, metric).seed(seed).build(ids, vectors, AddOptions.threads(2));
    float[][] queries = TestData.clustered(random, 8, dim, 12, 0.8);
    int[][] exact = new int[queries.length][];
    for (int q = 0; q < queries.length; q++) {
      exact[q] = TestData.exactNearest(metric, vectors, null, queries[q], k);
    }
    double previous = -1;
    for (int nprobe = 1; nprobe <= index.nlist(); nprobe++) {
      SearchParams params = SearchParams.builder().nprobe(nprobe).build();
      double recall = 0;
      for (int q = 0; q < queries.length; q++) {
        List<SearchResult> found = index.search(queries[q], k, params);
        assertEquals(Math.min(k, n), found.size());
        recall += TestData.recall(metric, vectors, queries[q], exact[q], found);
      }
      recall /= queries.length;
      assertTrue(recall >= previous, "recall fell from " + previous + " to " + recall + " at nprobe " + nprobe);
      previous = recall;
    }
    assertEquals(1.0, previous, 1e-9, "recall with every list probed");
  }

  /** Through training, adds, upserts (moving vectors between lists) and removals, every id is in exactly one list. */
  @Property(tries = 30)
  void everyStoredIdSitsInExactlyOneList(
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 400) int n,
      @ForAll @IntRange(min = 1, max = 16) int dim,
      @ForAll Metric metric,
      @ForAll @IntRange(min = 1, max = 12) int nlist,
      @ForAll @IntRange(min = 0, max = 600) int writes,
      @ForAll boolean builtFromData) {
    Random random = new Random(seed);
    float[][] vectors = TestData.gaussian(random, n, dim);
    long[] ids = TestData.distinctIds(random, n);
    IvfFlatBuilder builder = IvfFlatIndex.builder(dim, metric).nlist(nlist).seed(seed);
    IvfFlatIndex index;
    if (builtFromData) {
      index = builder.build(ids, vectors, AddOptions.threads(2));
    } else {
      index = builder.build();
      index.addAll(ids, vectors, AddOptions.threads(2));
    }
    Map<Long, float[]> live = new HashMap<>();
    for (int i = 0; i < n; i++) {
      live.put(ids[i], vectors[i]);
    }
    applyRandomWrites(random, writes, ids, dim, (id, v) -> {
      index.add(id, v);
      live.put(id, v);
    }, id -> {
      assertEquals(live.remove(id) != null, index.remove(id));
    });
    if (live.size() >= IvfFlatIndex.MIN_POINTS_PER_LIST * nlist) {
      assertTrue(index.isTrained(), "an index holding " + live.size() + " vectors trains for nlist " + nlist);
    }
    long[][] lists = index.listIds();
    assertEquals(index.isTrained() ? index.nlist() : 1, lists.length);
    Set<Long> seen = new HashSet<>();
    for (long[] list : lists) {
      for (long id : list) {
        assertTrue(seen.add(id), "id " + id + " is in two lists");
      }
    }
    assertEquals(live.keySet(), seen);
    assertEquals(live.size(), index.size());
  }

  /** A build from at least nlist vectors leaves no list empty, duplicates included. */
  @Property(tries = 30)
  void noListIsEmptyAfterTrainingOnAtLeastNlistVectors(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 80) int nlist,
      @ForAll @IntRange(min = 0, max = 400) int extra,
      @ForAll @IntRange(min = 1, max = 32) int dim,
      @ForAll Metric metric,
      @ForAll @IntRange(min = 0, max = 80) int duplicatePercent) {
    Random random = new Random(seed);
    int n = nlist + extra;
    float[][] vectors = TestData.gaussian(random, n, dim);
    for (int i = 1; i < n; i++) {
      if (random.nextInt(100) < duplicatePercent) {
        vectors[i] = vectors[random.nextInt(i)].clone();
      }
    }
    long[] ids = TestData.distinctIds(random, n);
    IvfFlatIndex index = IvfFlatIndex.builder(dim, metric).nlist(nlist).seed(seed)
        .build(ids, vectors, AddOptions.threads(2));
    assertEquals(nlist, index.nlist());
    long[][] lists = index.listIds();
    for (int l = 0; l < lists.length; l++) {
      assertTrue(lists[l].length > 0, "list " + l + " of " + nlist + " is empty after training on " + n);
    }
  }

  /** Random upserts of existing ids, adds of new ids and removals, applied through the callbacks. */
  static void applyRandomWrites(Random random, int writes, long[] ids, int dim, Writer add, Remover remove) {
    List<Long> known = new ArrayList<>();
    for (long id : ids) {
      known.add(id);
    }
    long fresh = 1L << 40;
    for (int w = 0; w < writes; w++) {
      int kind = random.nextInt(3);
      if (kind == 0 || known.isEmpty()) {
        long id = fresh++;
        known.add(id);
        add.add(id, TestData.gaussian(random, 1, dim)[0]);
      } else if (kind == 1) {
        add.add(known.get(random.nextInt(known.size())), TestData.gaussian(random, 1, dim)[0]);
      } else {
        remove.remove(known.get(random.nextInt(known.size())));
      }
    }
  }

  @FunctionalInterface
  interface Writer {
    void add(long id, float[] vector);
  }

  @FunctionalInterface
  interface Remover {
    void remove(long id);
  }
}
