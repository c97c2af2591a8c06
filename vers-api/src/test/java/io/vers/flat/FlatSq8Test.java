package io.vers.flat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.AddOptions;
import io.vers.api.BatchResults;
import io.vers.api.CorruptIndexException;
import io.vers.api.Index;
import io.vers.api.IndexProvider;
import io.vers.api.IndexSnapshot;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.api.SnapshotArray;
import io.vers.api.testkit.Sift5k;
import io.vers.api.testkit.TestData;
import io.vers.spi.storage.ScalarQuantizer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** {@code quantization=sq8} of the flat index, beyond the contract kit. */
class FlatSq8Test {
  private static final Map<String, Object> KEEP = Map.of("quantization", "sq8", "keepVectors", true);
  private static final Map<String, Object> NO_KEEP = Map.of("quantization", "sq8", "keepVectors", false);

  private static FlatIndex build(Map<String, Object> params, Metric metric, float[][] vectors) {
    long[] ids = new long[vectors.length];
    Arrays.setAll(ids, i -> i);
    return (FlatIndex) Indexes.build("flat", vectors[0].length, metric, params, ids, vectors, AddOptions.threads(2));
  }

  /** Mean recall@k of {@code index} against exact answers over {@code vectors} (positions are ids). */
  private static double recall(Index index, Metric metric, float[][] vectors, float[][] queries, int k,
      SearchParams params) {
    double total = 0;
    for (float[] q : queries) {
      int[] exact = TestData.exactNearest(metric, vectors, null, q, k);
      List<SearchResult> got = index.search(q, k, params);
      long hits = got.stream().filter(r -> Arrays.stream(exact).anyMatch(e -> e == r.id())).count();
      total += hits / (double) exact.length;
    }
    return total / queries.length;
  }

  @Test
  void sift5kRecallWithKeptVectorsMatchesTheFloatIndex() throws Exception {
    Sift5k data = Sift5k.load();
    FlatIndex none = build(Map.of(), Metric.L2, data.base);
    FlatIndex keep = build(KEEP, Metric.L2, data.base);
    FlatIndex noKeep = build(NO_KEEP, Metric.L2, data.base);
    assertTrue(keep.codes().trained() && noKeep.codes().trained());
    assertNull(noKeep.floats(), "floats dropped");
    double[] recall = new double[3];
    FlatIndex[] indexes = {none, keep, noKeep};
    for (int q = 0; q < data.queries.length; q++) {
      int[] truth = Arrays.copyOf(data.groundTruth[q], 10);
      for (int i = 0; i < 3; i++) {
        List<SearchResult> got = indexes[i].search(data.queries[q], 10);
        recall[i] += got.stream().filter(r -> Arrays.stream(truth).anyMatch(t -> t == r.id())).count() / 10.0;
      }
    }
    for (int i = 0; i < 3; i++) {
      recall[i] /= data.queries.length;
    }
    assertTrue(recall[1] >= recall[0] - 0.01, "sq8 kept " + recall[1] + " vs float " + recall[0]);
    assertTrue(recall[2] >= 0.90, "sq8 codes only " + recall[2]);
  }

  @Test
  void everyMetricRanksWellAgainstTheFloatVectors() {
    for (Metric metric : Metric.values()) {
      Random random = new Random(31 + metric.ordinal());
      float[][] vectors = TestData.clustered(random, 4000, 48, 30, 0.6);
      float[][] queries = TestData.clustered(random, 100, 48, 30, 0.6);
      double keep = recall(build(KEEP, metric, vectors), metric, vectors, queries, 10, SearchParams.DEFAULT);
      double codes = recall(build(NO_KEEP, metric, vectors), metric, vectors, queries, 10, SearchParams.DEFAULT);
      double one = recall(build(KEEP, metric, vectors), metric, vectors, queries, 10,
          SearchParams.builder().set("oversample", 1).build());
      assertTrue(keep >= 0.99, metric + " kept vectors: recall " + keep);
      assertTrue(codes >= 0.85, metric + " codes only: recall " + codes);
      assertTrue(keep >= one, metric + " oversample 3 " + keep + " below oversample 1 " + one);
    }
  }

  @Test
  void trainsOnTheWriteThatReachesTrainAtAndOnAWholeBatch() {
    int dim = 8;
    Random random = new Random(2);
    float[][] vectors = TestData.gaussian(random, ScalarQuantizer.TRAIN_AT + 500, dim);
    FlatIndex single = (FlatIndex) Indexes.create("flat", dim, Metric.L2, KEEP);
    for (int i = 0; i < ScalarQuantizer.TRAIN_AT - 1; i++) {
      single.add(i, vectors[i]);
    }
    assertFalse(single.codes().trained(), "floats only below TRAIN_AT");
    assertEquals(single.searchExact(vectors[5], 10, SearchParams.DEFAULT), single.search(vectors[5], 10));
    single.add(ScalarQuantizer.TRAIN_AT - 1, vectors[ScalarQuantizer.TRAIN_AT - 1]);
    assertTrue(single.codes().trained());
    assertEquals(1, single.codes().trainings());
    assertEquals(ScalarQuantizer.TRAIN_AT, single.codes().size());

    FlatIndex batch = (FlatIndex) Indexes.create("flat", dim, Metric.L2, NO_KEEP);
    batch.addAll(new long[] {-1}, new float[][] {vectors[0]});
    long[] ids = new long[vectors.length];
    Arrays.setAll(ids, i -> i);
    batch.addAll(ids, vectors);
    assertEquals(1, batch.codes().trainings(), "one training for the whole batch");
    assertEquals(vectors.length + 1, batch.size());
    assertNull(batch.floats());
    // learned from the whole batch: below 2,000 vectors the range is the whole span of the values
    float[] lows = batch.codes().quantizer().lows();
    for (int d = 0; d < dim; d++) {
      float min = Float.MAX_VALUE;
      for (float[] v : vectors) {
        min = Math.min(min, v[d]);
      }
      assertEquals(min, lows[d], "low of dimension " + d);
    }
  }

  @Test
  void outOfRangeVectorsAreClippedFoundAndRetrainedFor() {
    for (Map<String, Object> config : List.of(KEEP, NO_KEEP)) {
      int dim = 8;
      Random random = new Random(5);
      int n = ScalarQuantizer.TRAIN_AT;
      float[][] base = new float[n][dim];
      for (float[] v : base) {
        for (int d = 0; d < dim; d++) {
          v[d] = random.nextFloat();
        }
      }
      FlatIndex index = build(config, Metric.L2, base);
      assertEquals(1, index.codes().trainings());
      float hi = index.codes().quantizer().highs()[0];
      // far outside on one dimension each, in range on the others: clipped to the range's edge
      int far = ScalarQuantizer.RETRAIN_MIN - 1;
      float[][] outside = new float[far][];
      for (int i = 0; i < far; i++) {
        float[] v = new float[dim];
        for (int d = 0; d < dim; d++) {
          v[d] = random.nextFloat();
        }
        v[i % dim] = 10 + i;
        outside[i] = v;
        index.add(n + i, v);
      }
      assertEquals(far, index.codes().farOutside(), config + ": far-outside count");
      assertEquals(1, index.codes().trainings(), config + ": not retrained below RETRAIN_MIN");
      assertEquals(hi, index.codes().quantizer().highs()[0]);
      for (int i = 0; i < far; i++) {
        List<SearchResult> hit = index.search(outside[i], 1);
        assertEquals(n + i, hit.get(0).id(), config + ": clipped vector " + i + " found by itself");
      }
      float[] last = new float[dim];
      Arrays.fill(last, 0.5f);
      last[3] = 1000;
      index.add(n + far, last);
      assertTrue(ScalarQuantizer.shouldRetrain(far + 1, index.size()));
      assertEquals(2, index.codes().trainings(), config + ": retrained at the write that met the policy");
      assertEquals(0, index.codes().farOutside(), config + ": count reset");
      if (config == KEEP) {
        assertTrue(index.codes().quantizer().highs()[3] > 100, config + ": ranges learned again, from the floats");
      } else { // learned from the decoded codes, which were clipped to the old ranges: no wider
        assertTrue(index.codes().quantizer().highs()[3] <= hi + 0.01f, config + ": ranges from the codes");
      }
      for (int i = 0; i < far; i++) {
        assertEquals(n + i, index.search(outside[i], 1).get(0).id(), config + ": found after retraining");
      }
      assertEquals(n + far, index.search(last, 1).get(0).id());
      for (int i = 0; i < 50; i++) {
        assertEquals(i, index.search(base[i], 1).get(0).id(), config + ": in-range vector " + i);
      }
    }
  }

  @Test
  void snapshotRoundTripsGiveIdenticalResults() throws Exception {
    Random random = new Random(8);
    float[][] vectors = TestData.clustered(random, 3000, 24, 20, 0.5);
    float[][] queries = TestData.clustered(random, 30, 24, 20, 0.5);
    for (Metric metric : Metric.values()) {
      for (Map<String, Object> config : List.of(KEEP, NO_KEEP, Map.<String, Object>of())) {
        FlatIndex index = build(config, metric, vectors);
        for (int i = 0; i < 200; i++) {
          index.remove(i * 7);
        }
        index.add(123456, queries[0]);
        Index restored = Indexes.provider("flat").restore(index.snapshot());
        assertEquals(index.parameters(), restored.parameters());
        assertEquals(index.size(), restored.size());
        assertEquals(index.ramBytesUsed(), restored.ramBytesUsed(), index.ramBytesUsed() / 5.0);
        for (float[] q : queries) {
          assertEquals(index.search(q, 10), restored.search(q, 10), metric + " " + config);
          assertEquals(index.searchExact(q, 10, SearchParams.DEFAULT), restored.searchExact(q, 10, SearchParams.DEFAULT));
          assertEquals(index.searchRange(q, 0.5f, 20, SearchParams.DEFAULT),
              restored.searchRange(q, 0.5f, 20, SearchParams.DEFAULT));
        }
        assertArrayEquals(index.vector(5).orElseThrow(), restored.vector(5).orElseThrow());
        // still writable, and retrains on the restored state
        restored.add(-5, queries[1]);
        assertEquals(-5, restored.search(queries[1], 1).get(0).id());
      }
    }
  }

  @Test
  void snapshotsOfTheFirstStateVersionRestoreAsUnquantized() throws Exception {
    IndexSnapshot v1 = IndexSnapshot.builder("flat", 1, 2, Metric.L2, 2)
        .longs("ids", new long[] {7, 9}).floats("vectors", new float[] {1, 0, 0, 1}).build();
    Index index = Indexes.provider("flat").restore(v1);
    assertEquals("none", index.parameters().get("quantization"));
    assertEquals(9, index.search(new float[] {0, 2}, 1).get(0).id());
  }

  @Test
  void hostileSnapshotsAreRefused() throws Exception {
    Random random = new Random(9);
    FlatIndex keep = build(KEEP, Metric.L2, TestData.gaussian(random, 1100, 4));
    FlatIndex noKeep = build(NO_KEEP, Metric.L2, TestData.gaussian(random, 1100, 4));
    IndexSnapshot good = keep.snapshot();
    IndexSnapshot goodCodes = noKeep.snapshot();
    byte[] negative = negativeNorm(goodCodes);
    byte[] doubled = doubledNorm(goodCodes);
    List<IndexSnapshot> bad = List.of(
        edit(good, b -> b.floats("lows", new float[3])),
        edit(good, b -> b.floats("lows", new float[] {0, 0, 0, Float.NaN})),
        edit(good, b -> b.floats("highs", new float[] {-100, -100, -100, -100})),
        edit(good, b -> b.bytes("codes", new byte[17])),
        edit(good, b -> b.scalar("farOutside", -1)),
        edit(good, b -> b.scalar("farOutside", Long.MAX_VALUE)),
        without(good, "vectors"),
        without(good, "lows"),
        without(good, "codes"),
        without(goodCodes, "farOutside"),
        edit(goodCodes, b -> b.floats("vectors", new float[1100 * 4])),
        edit(goodCodes, b -> b.parameter("quantization", "none")),
        edit(goodCodes, b -> b.parameter("quantization", "int4")),
        edit(goodCodes, b -> b.bytes("codes", negative)),
        edit(goodCodes, b -> b.bytes("codes", doubled)));
    for (int i = 0; i < bad.size(); i++) {
      IndexSnapshot s = bad.get(i);
      assertThrows(CorruptIndexException.class, () -> Indexes.provider("flat").restore(s), "hostile snapshot " + i);
    }
    Indexes.provider("flat").restore(good);
    Indexes.provider("flat").restore(goodCodes);
  }

  private static byte[] negativeNorm(IndexSnapshot s) throws CorruptIndexException {
    byte[] codes = s.bytes("codes").clone();
    int at = 4; // the norm of ordinal 0, little-endian: set its sign bit
    codes[at + 3] |= (byte) 0x80;
    codes[at + 2] |= 1;
    return codes;
  }

  /** The codes with ordinal 0's norm doubled: finite and positive, but not what its codes give. */
  private static byte[] doubledNorm(IndexSnapshot s) throws CorruptIndexException {
    byte[] codes = s.bytes("codes").clone();
    ByteBuffer record = ByteBuffer.wrap(codes).order(ByteOrder.LITTLE_ENDIAN);
    record.putFloat(4, record.getFloat(4) * 2); // dimension 4: the norm follows four code bytes
    return codes;
  }

  private static IndexSnapshot edit(IndexSnapshot s, Consumer<IndexSnapshot.Builder> change) {
    IndexSnapshot.Builder b = copy(s, null);
    change.accept(b);
    return b.build();
  }

  private static IndexSnapshot without(IndexSnapshot s, String name) {
    return copy(s, name).build();
  }

  /** A builder holding {@code s}'s state except the array or scalar {@code skip}. */
  private static IndexSnapshot.Builder copy(IndexSnapshot s, String skip) {
    IndexSnapshot.Builder b = IndexSnapshot.builder(s.algorithm(), s.stateVersion(), s.dimension(), s.metric(),
        s.size());
    Map<String, String> params = new LinkedHashMap<>(s.parameters());
    params.forEach(b::parameter);
    s.scalars().forEach((name, value) -> {
      if (!name.equals(skip)) {
        b.scalar(name, value);
      }
    });
    for (Map.Entry<String, SnapshotArray> e : s.arrays().entrySet()) {
      if (!e.getKey().equals(skip)) {
        b.array(e.getKey(), e.getValue().toArray());
      }
    }
    return b;
  }

  @Test
  void dimensionOneAndIdenticalVectorsWork() {
    for (Metric metric : Metric.values()) {
      for (Map<String, Object> config : List.of(KEEP, NO_KEEP)) {
        Random random = new Random(3);
        float[][] line = new float[1500][1];
        for (int i = 0; i < line.length; i++) {
          line[i][0] = (float) (random.nextGaussian() * 5 + (metric == Metric.COSINE ? 0.1 : 0));
        }
        FlatIndex index = build(config, metric, line);
        assertTrue(index.codes().trained());
        float[] q = {2.5f};
        List<SearchResult> got = index.search(q, 10);
        assertEquals(10, got.size());
        if (metric == Metric.L2) {
          for (SearchResult r : got) {
            assertTrue(Math.abs(line[(int) r.id()][0] - 2.5f) < 0.2f, config + " " + r + " far from 2.5");
          }
        } else {
          for (SearchResult r : got) { // DOT and COSINE: the largest positive values / the positive direction
            assertTrue(line[(int) r.id()][0] > 0, metric + " " + config + " " + r);
          }
        }

        float[][] same = new float[1200][];
        for (int i = 0; i < same.length; i++) {
          same[i] = new float[] {3f, -1f, 0.5f};
        }
        FlatIndex flat = build(config, metric, same);
        assertTrue(flat.codes().trained());
        float[] lows = flat.codes().quantizer().lows();
        assertArrayEquals(lows, flat.codes().quantizer().highs(), "zero-width ranges");
        List<SearchResult> all = flat.search(same[0], 5);
        assertEquals(5, all.size());
        for (SearchResult r : all) {
          assertEquals(all.get(0).distance(), r.distance(), 1e-6f);
          assertTrue(Math.abs(r.distance() - TestData.distance(metric, same[0], same[0])) < 1e-3, r.toString());
        }
        assertArrayEquals(metric.storedForm(same[0]), flat.vector(7).orElseThrow(), 1e-6f);
        // every other vector is far outside a zero-width range; RETRAIN_MIN of them retrain
        float[][] others = TestData.gaussian(random, ScalarQuantizer.RETRAIN_MIN, 3);
        for (int i = 0; i < others.length; i++) {
          flat.add(-1 - i, others[i]);
          assertEquals(i < others.length - 1 ? i + 1 : 0, flat.codes().farOutside());
        }
        assertEquals(2, flat.codes().trainings());
        for (int i = 0; i < others.length; i++) {
          List<SearchResult> hit = flat.search(others[i], 1);
          assertEquals(1, hit.size());
          if (config == KEEP && metric != Metric.DOT) { // the ranges now span the others: each finds itself
            assertEquals(-1 - i, hit.get(0).id(), metric + " " + config + " other " + i);
          }
        }
      }
    }
  }

  @Test
  void removalAndUpsertKeepFloatsAndCodesInStep() {
    for (Map<String, Object> config : List.of(KEEP, NO_KEEP)) {
      Random random = new Random(10);
      float[][] vectors = TestData.clustered(random, 2500, 16, 10, 0.5);
      FlatIndex index = build(config, Metric.L2, vectors);
      for (int i = 0; i < 2500; i += 2) {
        assertTrue(index.remove(i));
      }
      float[][] fresh = new float[100][];
      for (int i = 0; i < fresh.length; i++) {
        fresh[i] = vectors[2 * i].clone(); // in range: a removed vector's
        index.add(2 * i + 1, fresh[i]); // upsert
      }
      assertEquals(1250, index.size());
      assertEquals(1250, index.codes().size());
      if (config == KEEP) {
        assertEquals(1250, index.floats().size());
      }
      for (int i = 0; i < fresh.length; i++) {
        SearchResult hit = index.search(fresh[i], 1).get(0);
        assertEquals(2 * i + 1, hit.id(), config + " upserted " + i);
        float[] back = index.vector(2 * i + 1).orElseThrow();
        float[] lows = index.codes().quantizer().lows();
        float[] highs = index.codes().quantizer().highs();
        for (int d = 0; d < 16; d++) {
          if (config == KEEP) {
            assertEquals(fresh[i][d], back[d]);
          } else { // decoded: clipped to the range, within half a step
            float clipped = Math.max(lows[d], Math.min(highs[d], fresh[i][d]));
            assertEquals(clipped, back[d], (highs[d] - lows[d]) / 255 / 2 + 1e-4f);
          }
        }
      }
      for (int i = 201; i < 2500; i += 2) {
        assertEquals(i, index.search(vectors[i], 1).get(0).id(), config + " kept " + i);
      }
      float[][] queries = TestData.gaussian(random, 20, 16);
      BatchResults batch = index.searchBatch(queries, 7, SearchParams.builder().filter(id -> id % 3 != 0).build(), 2);
      for (int q = 0; q < queries.length; q++) {
        List<SearchResult> row = batch.row(q);
        assertEquals(index.search(queries[q], 7, SearchParams.builder().filter(id -> id % 3 != 0).build()), row);
        row.forEach(r -> assertTrue(r.id() % 2 == 1 && r.id() % 3 != 0, "removed or filtered id " + r));
      }
    }
  }

  @Test
  void parametersComeThroughTheRegistry() {
    Index index = Indexes.create("flat", 4, Metric.COSINE, Map.of("quantization", "sq8"));
    assertEquals(Map.of("quantization", "sq8", "keepVectors", true), index.parameters());
    assertEquals(Map.of("quantization", "none", "keepVectors", true),
        Indexes.create("flat", 4, Metric.L2).parameters());
    assertEquals(List.of("quantization", "keepVectors"),
        Indexes.provider("flat").parameters().stream().map(p -> p.name()).toList());
    assertEquals(List.of("oversample"), Indexes.provider("flat").searchParameters().stream().map(p -> p.name()).toList());
    IndexProvider flat = Indexes.provider("flat");
    assertEquals(List.of(), flat.searchParameters(Indexes.create("flat", 4, Metric.L2).parameters(), 10),
        "quantization=none reads no knob");
    assertEquals(List.of(), flat.searchParameters(build(NO_KEEP, Metric.L2, new float[][] {{1, 2, 3, 4}}).parameters(),
        10), "sq8 without kept vectors reads no knob");
    assertEquals(List.of("oversample"), flat.searchParameters(build(KEEP, Metric.L2, new float[][] {{1, 2, 3, 4}})
        .parameters(), 10).stream().map(p -> p.name()).toList());
  }
}
