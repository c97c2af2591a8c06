package io.vers.ivfflat;

import static io.vers.api.testkit.SnapshotAssertions.assertSameState;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.AddOptions;
import io.vers.api.CorruptIndexException;
import io.vers.api.Index;
import io.vers.api.IndexSnapshot;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.api.testkit.Sift5k;
import io.vers.api.testkit.SnapshotAssertions;
import io.vers.api.testkit.TestData;
import io.vers.spi.storage.ScalarQuantizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

/** sq8 quantization of ivfflat: policy, distances, recall, snapshots and edge cases. */
class IvfFlatQuantizationTest {
  private static final Map<String, Object> KEEP = Map.of("quantization", "sq8", "keepVectors", true);
  private static final Map<String, Object> CODES = Map.of("quantization", "sq8", "keepVectors", false);

  private static IvfFlatIndex build(int dim, Metric metric, Map<String, Object> params, long[] ids, float[][] v) {
    return (IvfFlatIndex) Indexes.build("ivfflat", dim, metric, params, ids, v, AddOptions.threads(2));
  }

  private static SearchParams all(IvfFlatIndex index) {
    return SearchParams.builder().nprobe(Math.max(1, index.nlist())).build();
  }

  // ---------------------------------------------------------------- policy

  @Test
  void anIndexCreatedEmptyQuantizesAtTheWriteThatReachesTrainAt() {
    Random random = new Random(1);
    int dim = 16;
    float[][] vectors = TestData.gaussian(random, ScalarQuantizer.TRAIN_AT + 10, dim);
    for (Map<String, Object> config : List.of(KEEP, CODES)) {
      IvfFlatIndex index = (IvfFlatIndex) Indexes.create("ivfflat", dim, Metric.L2, config);
      for (int i = 0; i < ScalarQuantizer.TRAIN_AT - 1; i++) {
        index.add(i, vectors[i]);
      }
      assertFalse(index.isQuantized(), "floats only below TRAIN_AT");
      assertArrayEquals(vectors[5], index.vector(5).orElseThrow(), "floats kept before training");
      index.add(ScalarQuantizer.TRAIN_AT - 1, vectors[ScalarQuantizer.TRAIN_AT - 1]);
      assertTrue(index.isQuantized(), "the write reaching TRAIN_AT learns the ranges");
      assertFalse(index.isTrained(), "k-means comes later, independently");
      boolean keep = config == KEEP;
      float[] back = index.vector(5).orElseThrow();
      assertEquals(keep, Arrays.equals(vectors[5], back), "vector(): floats if kept, else decoded");
      for (int j = 0; j < dim; j++) {
        assertEquals(vectors[5][j], back[j], 0.05f, "decoded component " + j);
      }
      // searches before k-means are exhaustive: on floats if kept, on codes otherwise
      List<SearchResult> hits = index.search(vectors[7], 1);
      assertEquals(7L, hits.get(0).id());
      assertEquals(0f, hits.get(0).distance(), keep ? 0f : 0.05f);
    }
    IvfFlatIndex none = (IvfFlatIndex) Indexes.create("ivfflat", dim, Metric.L2, Map.of());
    none.addAll(java.util.stream.LongStream.range(0, vectors.length).toArray(), vectors);
    assertFalse(none.isQuantized(), "quantization=none never quantizes");
  }

  @Test
  void aBuildSmallerThanTrainAtKeepsFloatsAndAnAddAllCountsAsOneWrite() {
    Random random = new Random(2);
    int dim = 8;
    float[][] vectors = TestData.gaussian(random, 3000, dim);
    long[] ids = new long[3000];
    Arrays.setAll(ids, i -> i);
    IvfFlatIndex index = build(dim, Metric.L2, CODES, Arrays.copyOf(ids, 1000), Arrays.copyOf(vectors, 1000));
    assertFalse(index.isQuantized());
    assertEquals(0f, index.search(vectors[3], 1).get(0).distance(), "exact on floats");
    index.addAll(Arrays.copyOfRange(ids, 1000, 3000), Arrays.copyOfRange(vectors, 1000, 3000));
    assertTrue(index.isQuantized());
    assertEquals(0, index.farOutsideCount(), "the batch that trains is not counted against its own ranges");
  }

  @Test
  void outOfRangeVectorsAreClippedFoundAndRetrainTheRangesPerThePolicy() {
    Random random = new Random(3);
    int dim = 12;
    int n = 4000;
    float[][] vectors = new float[n][dim];
    for (float[] v : vectors) {
      for (int j = 0; j < dim; j++) {
        v[j] = random.nextFloat() * 2 - 1;
      }
    }
    long[] ids = new long[n];
    Arrays.setAll(ids, i -> i);
    for (Map<String, Object> config : List.of(KEEP, CODES)) {
      IvfFlatIndex index = build(dim, Metric.L2, config, ids, vectors);
      assertTrue(index.isQuantized());
      float[][] far = new float[ScalarQuantizer.RETRAIN_MIN][dim];
      for (int i = 0; i < far.length; i++) {
        for (int j = 0; j < dim; j++) {
          far[i][j] = (random.nextFloat() * 2 - 1) * 20;
        }
        far[i][i % dim] = 30 + i; // far outside on one component at least, and distinct
      }
      for (int i = 0; i < far.length - 1; i++) {
        index.add(100_000 + i, far[i]);
      }
      assertEquals(far.length - 1, index.farOutsideCount(), "every far vector counted");
      assertEquals(0, index.quantizerRetrains(), "below RETRAIN_MIN: no retraining");
      index.add(7, vectors[8]); // an in-range upsert is not counted
      assertEquals(far.length - 1, index.farOutsideCount());
      for (int i = 0; i < far.length - 1; i += 7) {
        // clipped codes still place each far vector nearest to itself among the rest
        List<SearchResult> hit = index.search(far[i], 1, all(index));
        assertEquals(100_000L + i, hit.get(0).id(), "far vector " + i + " found while clipped");
      }
      index.add(100_000 + far.length - 1, far[far.length - 1]);
      assertTrue(ScalarQuantizer.shouldRetrain(far.length, index.size()));
      assertEquals(1, index.quantizerRetrains(), "retrained once the policy held");
      assertEquals(0, index.farOutsideCount(), "count restarted");
      for (int i = 0; i < far.length; i++) {
        List<SearchResult> hit = index.search(far[i], 1, all(index));
        assertEquals(100_000L + i, hit.get(0).id(), "far vector " + i + " found after retraining");
      }
      index.add(7, vectors[7]);
      assertEquals(7L, index.search(vectors[7], 1, all(index)).get(0).id());
    }
  }

  // ---------------------------------------------------------------- distances and recall

  @Test
  void withoutFloatsDistancesAreTheMetricsDistancesToTheDecodedVectors() {
    for (Metric metric : Metric.values()) {
      Random random = new Random(4 + metric.ordinal());
      int dim = 24;
      int n = 2000;
      float[][] vectors = TestData.clustered(random, n, dim, 10, 0.6);
      long[] ids = TestData.distinctIds(random, n);
      IvfFlatIndex index = build(dim, metric, CODES, ids, vectors);
      LongPredicate filter = id -> Math.floorMod(id, 3) != 0;
      for (float[] query : TestData.gaussian(random, 5, dim)) {
        for (SearchParams params : List.of(SearchParams.DEFAULT, all(index),
            SearchParams.builder().filter(filter).build())) {
          List<SearchResult> results = index.search(query, 15, params);
          assertEquals(15, results.size());
          checkAgainstDecoded(index, metric, query, results);
          if (params.filter() != null) {
            assertTrue(results.stream().allMatch(r -> filter.test(r.id())));
          }
        }
        List<SearchResult> exact = index.searchExact(query, 10, SearchParams.DEFAULT);
        checkAgainstDecoded(index, metric, query, exact);
        assertEquals(exact, index.search(query, 10, all(index)), "every list probed: the exact search over codes");
        float radius = exact.get(9).distance();
        List<SearchResult> range = index.searchRange(query, radius, 100, all(index));
        assertEquals(exact, range.subList(0, Math.min(10, range.size())));
      }
    }
  }

  private static void checkAgainstDecoded(IvfFlatIndex index, Metric metric, float[] query, List<SearchResult> got) {
    Set<Long> seen = new HashSet<>();
    float[] q = metric.storedForm(query);
    for (int i = 0; i < got.size(); i++) {
      SearchResult r = got.get(i);
      assertTrue(seen.add(r.id()));
      assertTrue(i == 0 || got.get(i - 1).distance() <= r.distance());
      float[] decoded = index.vector(r.id()).orElseThrow();
      double dot = 0;
      double l2 = 0;
      for (int j = 0; j < q.length; j++) {
        dot += (double) q[j] * decoded[j];
        l2 += (q[j] - (double) decoded[j]) * (q[j] - decoded[j]);
      }
      double expected = metric == Metric.L2 ? l2 : metric == Metric.DOT ? -dot : Math.max(0, 1 - dot);
      assertTrue(TestData.close(expected, r.distance()), metric + " id " + r.id() + ": " + r.distance()
          + " but the decoded vector gives " + expected);
    }
  }

  @Test
  void targetRecallWithoutFloatsMeetsItsRecallAgainstTheDecodedVectors() {
    Random random = new Random(11);
    int n = 5000;
    int dim = 32;
    float[][] all = TestData.clustered(random, n + 200, dim, 40, 0.6);
    long[] ids = new long[n];
    Arrays.setAll(ids, i -> i);
    IvfFlatIndex index = build(dim, Metric.L2, CODES, ids, Arrays.copyOf(all, n));
    float[][] decoded = new float[n][];
    for (int i = 0; i < n; i++) {
      decoded[i] = index.vector(i).orElseThrow();
    }
    double best = index.calibration(10).bestRecall();
    for (double target : new double[] {0.9, 0.95}) {
      SearchParams params = SearchParams.builder().targetRecall(target).build();
      double total = 0;
      for (int q = n; q < n + 200; q++) {
        int[] exact = TestData.exactNearest(Metric.L2, decoded, null, all[q], 10);
        total += TestData.recall(Metric.L2, decoded, all[q], exact, index.search(all[q], 10, params));
      }
      assertTrue(total / 200 >= Math.min(target, best) - 0.02, "target " + target + " gave " + total / 200);
    }
  }

  @Test
  void sift5kRecallWithKeptFloatsAtDefaultOversampleMatchesTheFloatIndex() throws Exception {
    Sift5k data = Sift5k.load();
    int n = data.base.length;
    long[] ids = new long[n];
    Arrays.setAll(ids, i -> i);
    double none = sift5kRecall(build(128, Metric.L2, Map.of(), ids, data.base), data);
    IvfFlatIndex keep = build(128, Metric.L2, KEEP, ids, data.base);
    assertTrue(keep.isQuantized());
    double quantized = sift5kRecall(keep, data);
    assertTrue(quantized >= none - 0.01, "sq8 + keepVectors recall " + quantized + " vs float " + none);
  }

  private static double sift5kRecall(Index index, Sift5k data) {
    double total = 0;
    for (int q = 0; q < data.queries.length; q++) {
      Set<Long> truth = new HashSet<>();
      for (int i = 0; i < 10; i++) {
        truth.add((long) data.groundTruth[q][i]);
      }
      total += index.search(data.queries[q], 10).stream().filter(r -> truth.contains(r.id())).count() / 10.0;
    }
    return total / data.queries.length;
  }

  @Test
  void keptFloatsAreReRankedExactly() {
    Random random = new Random(5);
    int dim = 20;
    int n = 3000;
    float[][] vectors = TestData.clustered(random, n, dim, 10, 0.6);
    long[] ids = TestData.distinctIds(random, n);
    Map<Long, float[]> byId = new HashMap<>();
    for (int i = 0; i < n; i++) {
      byId.put(ids[i], vectors[i]);
    }
    for (Metric metric : Metric.values()) {
      IvfFlatIndex index = build(dim, metric, KEEP, ids, vectors);
      IvfFlatIndex floats = build(dim, metric, Map.of(), ids, vectors);
      for (float[] query : TestData.gaussian(random, 5, dim)) {
        List<SearchResult> got = index.search(query, 10, SearchParams.builder().set("oversample", 4.0).build());
        for (SearchResult r : got) {
          assertTrue(TestData.close(TestData.distance(metric, query, byId.get(r.id())), r.distance()));
        }
        assertEquals(floats.searchExact(query, 10, SearchParams.DEFAULT), index.searchExact(query, 10,
            SearchParams.DEFAULT), "exact search over the kept floats");
        SearchParams every = SearchParams.builder().nprobe(index.nlist()).build();
        float radius = floats.searchExact(query, 25, SearchParams.DEFAULT).get(24).distance();
        assertEquals(floats.searchRange(query, radius, 1000, every), index.searchRange(query, radius, 1000, every),
            "range search: candidates within the rounding bound, then exact distances");
        // a large oversample with every list probed re-ranks everything: the exact answer
        assertEquals(floats.searchExact(query, 10, SearchParams.DEFAULT),
            index.search(query, 10, SearchParams.builder().nprobe(index.nlist()).set("oversample", 100.0).build()));
      }
    }
  }

  // ---------------------------------------------------------------- snapshots

  @Test
  void snapshotRoundTripsGiveIdenticalResults() throws Exception {
    Random random = new Random(6);
    int dim = 16;
    for (Map<String, Object> config : List.of(KEEP, CODES)) {
      for (Metric metric : Metric.values()) {
        float[][] vectors = TestData.clustered(random, 2500, dim, 12, 0.6);
        long[] ids = TestData.distinctIds(random, vectors.length);
        IvfFlatIndex original = build(dim, metric, config, ids, vectors);
        original.remove(ids[0]);
        original.add(ids[1], vectors[2]);
        original.add(1L << 60, TestData.gaussian(random, 1, dim)[0]);
        IndexSnapshot snapshot = original.snapshot();
        original.withSnapshot(view -> {
          assertSameState(snapshot, view);
          view.arrays().forEach((name, array) ->
              SnapshotAssertions.assertReadsInPieces(snapshot.arrays().get(name), array, random, name));
          return null;
        });
        assertEquals(config == KEEP, snapshot.arrays().containsKey("vectors"), "floats written only when kept");
        IvfFlatIndex restored = (IvfFlatIndex) new IvfFlatIndexProvider().restore(snapshot);
        assertSameState(snapshot, restored.snapshot());
        assertEquals(original.parameters(), restored.parameters());
        assertTrue(restored.isQuantized());
        float[][] queries = TestData.gaussian(random, 8, dim);
        for (float[] query : queries) {
          assertEquals(original.search(query, 10), restored.search(query, 10));
          assertEquals(original.searchExact(query, 10, SearchParams.DEFAULT),
              restored.searchExact(query, 10, SearchParams.DEFAULT));
          assertEquals(original.searchRange(query, 50f, 20, SearchParams.DEFAULT),
              restored.searchRange(query, 50f, 20, SearchParams.DEFAULT));
        }
        assertEquals(original.searchBatch(queries, 10, SearchParams.DEFAULT, 2).row(3),
            restored.searchBatch(queries, 10, SearchParams.DEFAULT, 2).row(3));
        assertArrayEquals(original.vector(ids[5]).orElseThrow(), restored.vector(ids[5]).orElseThrow());
        float ratio = restored.ramBytesUsed() / (float) original.ramBytesUsed();
        assertTrue(ratio > 0.7 && ratio < 1.3, "ram " + ratio);
        restored.add(ids[9], vectors[10]);
        assertFalse(Arrays.equals(original.vector(ids[9]).get(), restored.vector(ids[9]).get()) && config == KEEP
            && !Arrays.equals(vectors[9], vectors[10]), "the restored index does not share state");
      }
    }
  }

  @Test
  void aVersionTwoSnapshotRestoresAsQuantizationNone() throws Exception {
    Random random = new Random(7);
    float[][] vectors = TestData.clustered(random, 1500, 8, 6, 0.6);
    long[] ids = TestData.distinctIds(random, vectors.length);
    IvfFlatIndex original = build(8, Metric.L2, Map.of(), ids, vectors);
    IndexSnapshot v3 = original.snapshot();
    IndexSnapshot.Builder b = IndexSnapshot.builder("ivfflat", 2, 8, Metric.L2, v3.size());
    v3.parameters().forEach((k, v) -> {
      if (!k.equals("quantization") && !k.equals("keepVectors")) {
        b.parameter(k, v);
      }
    });
    b.scalar("nlist", v3.scalar("nlist"));
    for (String name : List.of("centroids", "vectors", "listSizes", "ords", "ids")) {
      b.array(name, v3.arrays().get(name));
    }
    IvfFlatIndex restored = (IvfFlatIndex) new IvfFlatIndexProvider().restore(b.build());
    assertEquals("none", restored.parameters().get("quantization"));
    assertFalse(restored.isQuantized());
    for (float[] query : TestData.gaussian(random, 5, 8)) {
      assertEquals(original.search(query, 10), restored.search(query, 10));
    }
  }

  @Test
  void hostileQuantizedSnapshotsAreCorrupt() throws Exception {
    Random random = new Random(8);
    float[][] vectors = TestData.gaussian(random, 1500, 4);
    long[] ids = TestData.distinctIds(random, vectors.length);
    IndexSnapshot codes = build(4, Metric.L2, CODES, ids, vectors).snapshot();
    IndexSnapshot none = build(4, Metric.L2, Map.of(), ids, vectors).snapshot();
    assertCorrupt(replace(codes, "lows", new float[3]), "3 range lows");
    assertCorrupt(replace(codes, "highs", new float[0]), "highs");
    float[] nan = codes.floats("lows").clone();
    nan[1] = Float.NaN;
    assertCorrupt(replace(codes, "lows", nan), "range 1");
    float[] huge = codes.floats("highs").clone();
    huge[2] = 3e38f;
    assertCorrupt(replace(codes, "highs", huge), "range 2");
    float[] swapped = codes.floats("lows").clone();
    swapped[0] = codes.floats("highs")[0] + 1;
    assertCorrupt(replace(codes, "lows", swapped), "range 0");
    assertCorrupt(replace(codes, "codes", new byte[17]), "17 code bytes");
    assertCorrupt(replace(codes, "codes", new float[6000]), "expected byte[]");
    assertCorrupt(replace(codes, "farOutside", -1L), "farOutside -1");
    assertCorrupt(without(codes, "codes"), "no array 'codes'");
    assertCorrupt(without(codes, "lows"), "no array 'lows'");
    IndexSnapshot.Builder b = IndexSnapshot.builder("ivfflat", 3, 4, Metric.L2, none.size());
    none.parameters().forEach(b::parameter);
    none.scalars().forEach(b::scalar);
    none.arrays().forEach((k, v) -> b.array(k, k.equals("lows") || k.equals("highs") ? codes.arrays().get(k) : v));
    assertCorrupt(b.build(), "quantization none");
    IndexSnapshot.Builder keep = IndexSnapshot.builder("ivfflat", 3, 4, Metric.L2, codes.size());
    codes.parameters().forEach((k, v) -> keep.parameter(k, k.equals("keepVectors") ? "true" : v));
    codes.scalars().forEach(keep::scalar);
    codes.arrays().forEach(keep::array);
    assertCorrupt(keep.build(), "no array 'vectors'");
  }

  private static void assertCorrupt(IndexSnapshot snapshot, String expected) {
    CorruptIndexException e = assertThrows(CorruptIndexException.class,
        () -> new IvfFlatIndexProvider().restore(snapshot));
    assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' should mention " + expected);
  }

  private static IndexSnapshot replace(IndexSnapshot from, String name, Object value) {
    IndexSnapshot.Builder b = IndexSnapshot.builder(from.algorithm(), from.stateVersion(), from.dimension(),
        from.metric(), from.size());
    from.parameters().forEach(b::parameter);
    from.scalars().forEach((k, v) -> b.scalar(k, k.equals(name) ? (Long) value : v));
    from.arrays().forEach((k, v) -> {
      if (k.equals(name)) {
        b.array(k, value);
      } else {
        b.array(k, v);
      }
    });
    return b.build();
  }

  private static IndexSnapshot without(IndexSnapshot from, String name) {
    IndexSnapshot.Builder b = IndexSnapshot.builder(from.algorithm(), from.stateVersion(), from.dimension(),
        from.metric(), from.size());
    from.parameters().forEach(b::parameter);
    from.scalars().forEach(b::scalar);
    from.arrays().forEach((k, v) -> {
      if (!k.equals(name)) {
        b.array(k, v);
      }
    });
    return b.build();
  }

  // ---------------------------------------------------------------- edge cases

  @Test
  void dimensionOneIdenticalVectorsRemovalAndUpsert() {
    for (Map<String, Object> config : List.of(KEEP, CODES)) {
      for (Metric metric : Metric.values()) {
        Random random = new Random(9 + metric.ordinal());
        int n = 1500;
        float[][] line = new float[n][];
        for (int i = 0; i < n; i++) {
          line[i] = new float[] {(float) random.nextGaussian() + (metric == Metric.COSINE ? 5 : 0)};
        }
        long[] ids = new long[n];
        Arrays.setAll(ids, i -> i);
        IvfFlatIndex one = build(1, metric, config, ids, line);
        assertTrue(one.isQuantized());
        assertEquals(10, one.search(new float[] {0.3f}, 10).size());
        if (metric == Metric.L2) {
          one.add(5, line[6]);
          assertTrue(one.search(line[6], 40, all(one)).stream().anyMatch(r -> r.id() == 5), "upserted in range");
        }

        float[][] same = new float[n][];
        Arrays.fill(same, new float[] {0.5f, -1f, 2f});
        IvfFlatIndex identical = build(3, metric, config, ids, same);
        assertTrue(identical.isQuantized());
        List<SearchResult> hits = identical.search(same[0], 5, all(identical));
        assertEquals(5, hits.size());
        float expected = (float) TestData.distance(metric, same[0], same[0]);
        for (SearchResult r : hits) {
          assertTrue(TestData.close(expected, r.distance()), "zero-width ranges decode exactly: " + r);
        }
        assertArrayEquals(metric.storedForm(same[0]), identical.vector(3).orElseThrow(), 1e-6f);

        for (int i = 0; i < 700; i++) {
          assertTrue(identical.remove(i));
        }
        assertEquals(n - 700, identical.size());
        assertTrue(identical.search(same[0], 900, all(identical)).stream().allMatch(r -> r.id() >= 700));
        // against zero-width ranges any other vector is far outside, and clipped to the one point
        float[] moved = {-3f, 1f, 0.25f};
        identical.add(800, moved);
        assertEquals(n - 700, identical.size());
        assertEquals(1, identical.farOutsideCount());
        assertArrayEquals(config == KEEP ? metric.storedForm(moved) : metric.storedForm(same[0]),
            identical.vector(800).orElseThrow(), 1e-6f);
      }
    }
  }

  @Test
  void codesOnlyTakeAboutAQuarterOfTheMemory() {
    Random random = new Random(10);
    int dim = 128;
    int n = 6000;
    float[][] vectors = TestData.gaussian(random, n, dim);
    long[] ids = TestData.distinctIds(random, n);
    long none = build(dim, Metric.L2, Map.of(), ids, vectors).ramBytesUsed();
    long keep = build(dim, Metric.L2, KEEP, ids, vectors).ramBytesUsed();
    long codes = build(dim, Metric.L2, CODES, ids, vectors).ramBytesUsed();
    assertTrue(keep > none && keep < none * 1.4, "keep " + keep + " vs none " + none);
    double perVector = codes / (double) n;
    assertTrue(perVector < dim + 120, "codes only (centroids included): " + perVector + " bytes per vector");
    assertTrue(codes * 2.5 < none, codes + " vs " + none); // the centroids weigh in at this size
  }

  @Test
  void batchRowsEqualSingleSearchesWithOversample() {
    Random random = new Random(14);
    int dim = 16;
    float[][] vectors = TestData.clustered(random, 3000, dim, 10, 0.6);
    long[] ids = TestData.distinctIds(random, vectors.length);
    for (Map<String, Object> config : List.of(KEEP, CODES)) {
      IvfFlatIndex index = build(dim, Metric.COSINE, config, ids, vectors);
      float[][] queries = TestData.clustered(random, 50, dim, 10, 0.6);
      for (SearchParams params : List.of(SearchParams.builder().set("oversample", 1.0).build(),
          SearchParams.builder().set("oversample", 7.5).nprobe(3).build(),
          SearchParams.builder().targetRecall(0.9).build())) {
        var batch = index.searchBatch(queries, 7, params, 3);
        List<List<SearchResult>> rows = new ArrayList<>();
        for (int i = 0; i < queries.length; i++) {
          rows.add(index.search(queries[i], 7, params));
          assertEquals(rows.get(i), batch.row(i), "row " + i);
        }
      }
    }
  }
}
