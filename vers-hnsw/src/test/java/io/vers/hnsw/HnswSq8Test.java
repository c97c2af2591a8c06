package io.vers.hnsw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.AddOptions;
import io.vers.api.CorruptIndexException;
import io.vers.api.Index;
import io.vers.api.IndexProvider;
import io.vers.api.IndexSnapshot;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.api.testkit.Sift5k;
import io.vers.api.testkit.TestData;
import io.vers.spi.storage.ScalarQuantizer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** sq8 quantization of {@link HnswIndex}: training, re-ranking, retraining, snapshots and edge cases. */
class HnswSq8Test {
  private static final IndexProvider PROVIDER = Indexes.provider("hnsw");

  private static HnswIndex build(int dim, Metric metric, boolean keep, float[][] vectors, long[] ids) {
    HnswIndex index = HnswIndex.builder(dim, metric).quantization("sq8").keepVectors(keep).efConstruction(64).build();
    index.addAll(ids, vectors, AddOptions.threads(2));
    return index;
  }

  private static long[] sequence(int n) {
    long[] ids = new long[n];
    Arrays.setAll(ids, i -> i);
    return ids;
  }

  @Test
  void trainsAtTheThresholdAndDropsTheFloatsOnlyWithoutKeepVectors() {
    Random random = new Random(1);
    int dim = 8;
    float[][] vectors = TestData.gaussian(random, ScalarQuantizer.TRAIN_AT, dim);
    for (boolean keep : new boolean[] {true, false}) {
      HnswIndex index = HnswIndex.builder(dim, Metric.L2).quantization("sq8").keepVectors(keep).build();
      for (int i = 0; i < vectors.length - 1; i++) {
        index.add(i, vectors[i]);
      }
      assertFalse(index.vectors().quantized(), "below TRAIN_AT the index keeps floats only");
      assertArrayEquals(vectors[5], index.vector(5).orElseThrow());
      index.add(vectors.length - 1, vectors[vectors.length - 1]);
      assertTrue(index.vectors().quantized(), "trained at TRAIN_AT");
      assertEquals(keep, index.vectors().hasFloats());
      float[] back = index.vector(5).orElseThrow();
      if (keep) {
        assertArrayEquals(vectors[5], back);
      } else {
        for (int d = 0; d < dim; d++) {
          assertEquals(vectors[5][d], back[d], 0.05, "decoded component " + d);
        }
      }
      assertEquals(Map.of("m", 16, "efConstruction", 200, "efSearch", 80, "seed", 42L, "keepPrunedConnections", true,
          "quantization", "sq8", "keepVectors", keep), index.parameters());
    }
  }

  @Test
  void keptVectorsGiveExactDistancesAndCodesGiveDecodedOnes() {
    Random random = new Random(2);
    int dim = 24;
    int n = 3000;
    float[][] vectors = TestData.clustered(random, n, dim, 10, 0.5);
    for (Metric metric : Metric.values()) {
      HnswIndex keep = build(dim, metric, true, vectors, sequence(n));
      HnswIndex codes = build(dim, metric, false, vectors, sequence(n));
      for (float[] q : TestData.clustered(random, 10, dim, 10, 0.5)) {
        for (SearchResult r : keep.search(q, 10)) {
          assertTrue(TestData.close(TestData.distance(metric, q, vectors[(int) r.id()]), r.distance()), metric + " " + r);
        }
        for (SearchResult r : codes.search(q, 10)) {
          float[] decoded = codes.vector(r.id()).orElseThrow();
          double expected = TestData.distance(metric, q, decoded); // COSINE: to the decoded vector's direction
          expected = metric == Metric.DOT ? expected : Math.max(0, expected);
          assertEquals(expected, r.distance(), 1e-3 * Math.max(1, Math.abs(expected)), metric + " " + r);
        }
        assertEquals(keep.search(q, 10, SearchParams.builder().ef(n).build()), keep.searchExact(q, 10, SearchParams.DEFAULT),
            "exhaustive search with kept vectors is exact");
      }
    }
  }



  @Test
  void keptVectorsRecallOnSift5kIsTheFloatIndexsLessOneHundredth() throws Exception {
    Sift5k data = Sift5k.load();
    long[] ids = sequence(data.base.length);
    HnswIndex floats = HnswIndex.builder(128, Metric.L2).build();
    floats.addAll(ids, data.base, AddOptions.threads(2));
    HnswIndex sq8 = HnswIndex.builder(128, Metric.L2).quantization("sq8").build();
    sq8.addAll(ids, data.base, AddOptions.threads(2));
    assertTrue(sq8.vectors().reranks());
    double none = recall(floats, data);
    double kept = recall(sq8, data);
    assertTrue(kept >= none - 0.01, "sq8 keepVectors recall@10 " + kept + " vs float " + none);
  }

  static double recall(Index index, Sift5k data) {
    double total = 0;
    for (int q = 0; q < data.queries.length; q++) {
      int[] truth = Arrays.copyOf(data.groundTruth[q], 10);
      total += TestData.recall(Metric.L2, data.base, data.queries[q], truth, index.search(data.queries[q], 10));
    }
    return total / data.queries.length;
  }

  @Test
  void snapshotRoundTripsGiveIdenticalResults() throws Exception {
    Random random = new Random(3);
    int dim = 16;
    int n = 2500;
    float[][] vectors = TestData.gaussian(random, n, dim);
    for (boolean keep : new boolean[] {true, false}) {
      HnswIndex index = build(dim, Metric.COSINE, keep, vectors, sequence(n));
      for (int i = 0; i < 300; i++) {
        index.remove(random.nextInt(n));
      }
      IndexSnapshot snapshot = index.snapshot();
      assertEquals(keep, snapshot.arrays().containsKey("vectors"));
      assertTrue(snapshot.arrays().containsKey("codes"));
      HnswIndex restored = (HnswIndex) PROVIDER.restore(snapshot);
      assertEquals(index.parameters(), restored.parameters());
      assertEquals(index.farOutsideCount(), restored.farOutsideCount());
      for (float[] q : TestData.gaussian(random, 30, dim)) {
        assertEquals(index.search(q, 10), restored.search(q, 10));
        assertEquals(index.searchExact(q, 10, SearchParams.DEFAULT), restored.searchExact(q, 10, SearchParams.DEFAULT));
      }
      for (int i = 0; i < 50; i++) {
        long id = random.nextInt(n);
        assertEquals(index.vector(id).map(Arrays::toString), restored.vector(id).map(Arrays::toString));
      }
    }
  }

  @Test
  void aVersion1SnapshotRestoresAsUnquantized() throws Exception {
    Random random = new Random(4);
    float[][] vectors = TestData.gaussian(random, 300, 6);
    HnswIndex index = HnswIndex.builder(6, Metric.L2).build();
    index.addAll(sequence(300), vectors);
    HnswSnapshotsTest.Editable v1 = new HnswSnapshotsTest.Editable(index.snapshot());
    v1.version = 1;
    HnswIndex restored = (HnswIndex) PROVIDER.restore(v1.build());
    assertFalse(restored.config().sq8());
    for (float[] q : TestData.gaussian(random, 10, 6)) {
      assertEquals(index.search(q, 5), restored.search(q, 5));
    }
  }

  @Test
  void hostileQuantizedSnapshotsAreRejected() {
    Random random = new Random(5);
    int dim = 4;
    float[][] vectors = TestData.gaussian(random, 1200, dim);
    HnswIndex keep = build(dim, Metric.L2, true, vectors, sequence(1200));
    HnswIndex codes = build(dim, Metric.L2, false, vectors, sequence(1200));
    List<Map.Entry<String, Consumer<HnswSnapshotsTest.Editable>>> cases = List.of(
        Map.entry("short codes", s -> s.arrays.put("codes", new byte[7])),
        Map.entry("codes as ints", s -> s.arrays.put("codes", new int[1200 * (dim + 4)])),
        Map.entry("a NaN norm", s -> Arrays.fill((byte[]) s.arrays.get("codes"), dim, dim + 4, (byte) -1)),
        Map.entry("a negative norm", s -> ((byte[]) s.arrays.get("codes"))[dim + 3] = (byte) 0x80),
        Map.entry("a norm its codes do not give", s -> ((byte[]) s.arrays.get("codes"))[dim + 3] += 1),
        Map.entry("no lows", s -> s.arrays.remove("lows")),
        Map.entry("short highs", s -> s.arrays.put("highs", new float[dim - 1])),
        Map.entry("an inverted range", s -> s.floats("lows")[1] = s.floats("highs")[1] + 1),
        Map.entry("an infinite range", s -> s.floats("highs")[0] = Float.POSITIVE_INFINITY),
        Map.entry("a negative far-outside count", s -> s.scalars.put("farOutside", -1L)),
        Map.entry("no far-outside count", s -> s.scalars.remove("farOutside")),
        Map.entry("codes under quantization=none", s -> s.parameters.put("quantization", "none")),
        Map.entry("an unknown quantization", s -> s.parameters.put("quantization", "pq")),
        Map.entry("codes in a version 1 snapshot", s -> {
          s.version = 1;
          s.parameters.remove("quantization");
          s.parameters.remove("keepVectors");
        }));
    for (HnswIndex index : List.of(keep, codes)) {
      for (Map.Entry<String, Consumer<HnswSnapshotsTest.Editable>> c : cases) {
        HnswSnapshotsTest.Editable editable = new HnswSnapshotsTest.Editable(index.snapshot());
        c.getValue().accept(editable);
        assertThrows(CorruptIndexException.class, () -> PROVIDER.restore(editable.build()), c.getKey());
      }
    }
    HnswSnapshotsTest.Editable floatsAdded = new HnswSnapshotsTest.Editable(codes.snapshot());
    floatsAdded.arrays.put("vectors", new float[1200 * dim]);
    assertThrows(CorruptIndexException.class, () -> PROVIDER.restore(floatsAdded.build()), "floats without keepVectors");
    HnswSnapshotsTest.Editable floatsRemoved = new HnswSnapshotsTest.Editable(keep.snapshot());
    floatsRemoved.arrays.remove("vectors");
    assertThrows(CorruptIndexException.class, () -> PROVIDER.restore(floatsRemoved.build()), "keepVectors, no floats");
  }

  @Test
  void vectorsFarOutsideTheRangesAreClippedFoundAndTriggerRetraining() {
    Random random = new Random(6);
    int dim = 8;
    int n = 2000;
    float[][] vectors = TestData.gaussian(random, n, dim);
    for (boolean keep : new boolean[] {true, false}) {
      HnswIndex index = build(dim, Metric.L2, keep, vectors, sequence(n));
      float[] lowsBefore = index.vectors().quantizer().lows();
      assertEquals(0, index.farOutsideCount());
      int far = 0;
      for (int i = 0; i < ScalarQuantizer.RETRAIN_MIN - 1; i++) {
        float[] v = TestData.gaussian(random, 1, dim)[0];
        v[i % dim] += 40; // far beyond the learned range of about [-3.3, 3.3]
        index.add(n + i, v);
        far++;
        SearchResult hit = index.search(v, 1, SearchParams.builder().ef(200).build()).get(0);
        assertEquals(n + i, hit.id(), "a clipped vector is still found by its own vector");
      }
      assertEquals(far, index.farOutsideCount());
      assertEquals(0, index.retrainCount(), "below RETRAIN_MIN far-outside vectors");
      float[] v = TestData.gaussian(random, 1, dim)[0];
      v[0] -= 40;
      index.add(n + far, v);
      assertEquals(1, index.retrainCount(), "RETRAIN_MIN far-outside vectors, over 1% of the index");
      assertEquals(0, index.farOutsideCount(), "the count restarts with the new ranges");
      assertFalse(Arrays.equals(lowsBefore, index.vectors().quantizer().lows()), "the ranges were learned again");
      for (int i = 0; i <= far; i++) {
        float[] stored = index.vector(n + i).orElseThrow();
        assertEquals(n + i, index.search(stored, 1, SearchParams.builder().ef(200).build()).get(0).id());
      }
    }
  }

  @Test
  void edgeCasesDimensionOneIdenticalVectorsRemovalAndUpsert() {
    Random random = new Random(7);
    for (Metric metric : Metric.values()) {
      for (boolean keep : new boolean[] {true, false}) {
        int n = 1500;
        float[][] line = new float[n][1];
        for (int i = 0; i < n; i++) {
          line[i][0] = metric == Metric.COSINE ? (i % 2 == 0 ? 1 : -1) : i - n / 2f;
        }
        HnswIndex one = build(1, metric, keep, line, sequence(n));
        assertTrue(one.vectors().quantized());
        assertEquals(10, one.search(new float[] {3}, 10).size());

        float[][] same = new float[n][4];
        for (float[] v : same) {
          Arrays.fill(v, 0.5f);
        }
        HnswIndex identical = build(4, metric, keep, same, sequence(n)); // zero-width ranges
        List<SearchResult> hits = identical.search(same[0], 10);
        assertEquals(10, hits.size());
        for (SearchResult r : hits) {
          assertTrue(Float.isFinite(r.distance()));
        }

        float[][] vectors = TestData.gaussian(random, n, 12);
        HnswIndex index = build(12, metric, keep, vectors, sequence(n));
        for (int i = 0; i < 600; i++) {
          assertTrue(index.remove(i));
        }
        float[] moved = TestData.gaussian(random, 1, 12)[0];
        index.add(700, moved);
        assertEquals(n - 600, index.size());
        for (float[] q : TestData.gaussian(random, 5, 12)) {
          for (SearchResult r : index.search(q, 20)) {
            assertTrue(r.id() >= 600, "removed id " + r.id());
          }
        }
        if (metric != Metric.DOT) { // under DOT a vector need not be its own nearest
          assertEquals(700, index.search(moved, 1, SearchParams.builder().ef(100).build()).get(0).id(),
              metric + " keep=" + keep + ": the upserted vector is found");
        }
      }
    }
  }

  /**
   * {@code ef} bounds the walk as without codes, and {@code oversample} only how many of its candidates
   * are re-ranked: with {@code ef = k} every oversample re-ranks the same {@code k}, while a larger
   * {@code ef} with the same oversample walks further and finds more of the exact neighbours.
   */
  @Test
  void efBoundsTheWalkAndOversampleTheReRanking() {
    Random random = new Random(9);
    int dim = 32;
    int n = 4000;
    float[][] vectors = TestData.clustered(random, n, dim, 20, 1.5);
    HnswIndex index = build(dim, Metric.L2, true, vectors, sequence(n));
    float[][] queries = TestData.clustered(random, 50, dim, 20, 1.5);
    double narrow = 0;
    double wide = 0;
    for (float[] q : queries) {
      List<SearchResult> tight = index.search(q, 10, SearchParams.builder().ef(10).set("oversample", 1).build());
      assertEquals(tight, index.search(q, 10, SearchParams.builder().ef(10).set("oversample", 5).build()));
      for (SearchResult r : tight) {
        assertTrue(TestData.close(TestData.distance(Metric.L2, q, vectors[(int) r.id()]), r.distance()), "exact: " + r);
      }
      int[] exact = TestData.exactNearest(Metric.L2, vectors, null, q, 10);
      narrow += TestData.recall(Metric.L2, vectors, q, exact, tight);
      wide += TestData.recall(Metric.L2, vectors, q, exact,
          index.search(q, 10, SearchParams.builder().ef(50).set("oversample", 5).build()));
    }
    assertTrue(wide > narrow, "recall with ef 50: " + wide / queries.length + ", with ef 10: " + narrow / queries.length);
  }

  @Test
  void oversampleIsAKnobAndBatchRowsEqualSingleSearches() {
    Random random = new Random(8);
    int dim = 16;
    int n = 2000;
    float[][] vectors = TestData.clustered(random, n, dim, 8, 0.5);
    HnswIndex index = build(dim, Metric.L2, true, vectors, sequence(n));
    float[][] queries = TestData.clustered(random, 20, dim, 8, 0.5);
    SearchParams params = SearchParams.builder().ef(20).set("oversample", 1.5).build();
    var batch = index.searchBatch(queries, 10, params, 2);
    for (int i = 0; i < queries.length; i++) {
      assertEquals(index.search(queries[i], 10, params), batch.row(i));
    }
    assertThrows(io.vers.api.IllegalParameterException.class,
        () -> index.search(queries[0], 10, SearchParams.builder().set("oversample", 0.5).build()));
  }
}
