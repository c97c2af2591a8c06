package io.vers.api.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.AddOptions;
import io.vers.api.BatchResults;
import io.vers.api.Calibration;
import io.vers.api.IllegalParameterException;
import io.vers.api.Index;
import io.vers.api.Indexes;
import io.vers.api.InvalidVectorException;
import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import io.vers.api.RecallMonitor;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.spi.Vectors;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongPredicate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The application API beyond one query at a time: batch search, vectors and ids back, range search,
 * strict knobs, exact search, target recall and the recall monitor. Part of {@link IndexContract}, which
 * every algorithm module runs; expected answers come from {@link TestData}'s brute force.
 */
public abstract class SearchApiContract {
  /** The provider name under test. */
  protected abstract String algorithm();

  /** Search params under which this algorithm's search is exact for {@code index}. */
  protected abstract SearchParams exhaustive(Index index);

  /** Build parameters used by the property tests; defaults unless overridden. */
  protected Map<String, Object> propertyParams() {
    return Map.of();
  }

  /**
   * Build parameters every index of this run gets on top of each test's own, for running the whole
   * contract on one configuration of an algorithm (for example {@code quantization=sq8}).
   */
  protected Map<String, Object> configuration() {
    return Map.of();
  }

  /** {@code params} with {@link #configuration()} added. */
  protected final Map<String, Object> configured(Map<String, ?> params) {
    Map<String, Object> all = new LinkedHashMap<>(params);
    all.putAll(configuration());
    return all;
  }

  /**
   * Whether this configuration's distances are to the vectors the index holds ({@link Index#vector}),
   * which differ from the vectors added: quantization without the float vectors. The checks of returned
   * distances and the exact answers recall is measured against then use the held vectors.
   */
  protected boolean distancesToHeldVectors() {
    return false;
  }

  /** The vectors distances are checked against: {@code vectors}, or what the index holds for each id. */
  protected final float[][] reference(Index index, long[] ids, float[][] vectors) {
    if (!distancesToHeldVectors()) {
      return vectors;
    }
    float[][] held = new float[ids.length][];
    for (int i = 0; i < ids.length; i++) {
      held[i] = index.vector(ids[i]).orElseThrow();
    }
    return held;
  }

  /** An empty index of this run's configuration. */
  protected final Index create(int dim, Metric metric) {
    return Indexes.create(algorithm(), dim, metric, configuration());
  }

  protected Index build(int dim, Metric metric, Map<String, ?> params, long[] ids, float[][] vectors) {
    return Indexes.build(algorithm(), dim, metric, configured(params), ids, vectors, AddOptions.threads(2));
  }

  // ---------------------------------------------------------------- batch search

  @Property(tries = 25)
  void batchRowsEqualSingleSearches(
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 1200) int n,
      @ForAll @IntRange(min = 1, max = 64) int dim,
      @ForAll Metric metric,
      @ForAll @IntRange(min = 1, max = 25) int k,
      @ForAll @IntRange(min = 0, max = 40) int queryCount,
      @ForAll @IntRange(min = 1, max = 3) int threads,
      @ForAll boolean filtered) {
    Random random = new Random(seed);
    float[][] vectors = TestData.clustered(random, n, dim, 6, 0.5);
    long[] ids = TestData.distinctIds(random, n);
    Index index = build(dim, metric, propertyParams(), ids, vectors);
    float[][] queries = TestData.clustered(random, queryCount, dim, 6, 0.5);
    LongPredicate filter = id -> Math.floorMod(id, 3) != 0;
    SearchParams params = filtered ? SearchParams.builder().filter(filter).build() : SearchParams.DEFAULT;
    float[] rowMajor = new float[queryCount * dim];
    for (int i = 0; i < queryCount; i++) {
      System.arraycopy(queries[i], 0, rowMajor, i * dim, dim);
    }
    FloatBuffer buffer = FloatBuffer.allocate(rowMajor.length + 3).put(new float[3]).put(rowMajor);
    buffer.position(3);
    List<BatchResults> answers = List.of(
        index.searchBatch(queries, k, params, threads),
        index.searchBatch(rowMajor, queryCount, k, params, threads),
        index.searchBatch(buffer, queryCount, k, params, threads));
    assertEquals(3, buffer.position(), "the buffer's position is left as it was");
    for (BatchResults batch : answers) {
      assertEquals(queryCount, batch.count());
      assertEquals(k, batch.k());
      long[] batchIds = batch.ids();
      float[] batchDistances = batch.distances();
      assertEquals(queryCount * k, batchIds.length);
      for (int i = 0; i < queryCount; i++) {
        List<SearchResult> single = index.search(queries[i], k, params);
        assertEquals(single, batch.row(i), "row " + i);
        for (int j = 0; j < k; j++) {
          boolean real = j < single.size();
          assertEquals(real ? single.get(j).id() : BatchResults.NO_ID, batchIds[i * k + j], "id " + i + "," + j);
          assertEquals(real ? single.get(j).distance() : Float.POSITIVE_INFINITY, batchDistances[i * k + j],
              "distance " + i + "," + j);
        }
      }
    }
  }

  @Test
  void batchRejectsBadArguments() {
    Index index = create(4, Metric.L2);
    index.add(1, new float[] {1, 2, 3, 4});
    float[][] queries = {{1, 0, 0, 0}};
    assertThrows(IllegalArgumentException.class, () -> index.searchBatch(queries, 0, SearchParams.DEFAULT, 1));
    assertThrows(IllegalArgumentException.class, () -> index.searchBatch(queries, 1, SearchParams.DEFAULT, 0));
    assertThrows(IllegalArgumentException.class,
        () -> index.searchBatch(new float[7], 2, 1, SearchParams.DEFAULT, 1), "7 floats for 2 queries of 4");
    assertThrows(IllegalArgumentException.class,
        () -> index.searchBatch(new float[][] {{1, 0, 0}}, 1, SearchParams.DEFAULT, 1), "a short query");
    assertThrows(IllegalArgumentException.class,
        () -> index.searchBatch(FloatBuffer.allocate(3), 1, 1, SearchParams.DEFAULT, 1), "a short buffer");
    assertEquals(0, index.searchBatch(new float[0][], 5, SearchParams.DEFAULT, 2).count());
  }

  // ---------------------------------------------------------------- vectors and ids back

  @Property(tries = 20)
  void vectorsAndIdsComeBack(
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 600) int n,
      @ForAll @IntRange(min = 1, max = 48) int dim,
      @ForAll Metric metric) {
    Random random = new Random(seed);
    float[][] vectors = TestData.gaussian(random, n, dim);
    long[] ids = TestData.distinctIds(random, n);
    Index index = build(dim, metric, propertyParams(), ids, vectors);
    Map<Long, float[]> expected = new java.util.HashMap<>(byId(ids, vectors));
    for (int i = 0; i < n / 5; i++) {
      long id = ids[random.nextInt(n)];
      if (random.nextBoolean()) {
        index.remove(id);
        expected.remove(id);
      } else {
        float[] v = TestData.gaussian(random, 1, dim)[0];
        index.add(id, v);
        expected.put(id, v);
      }
    }
    long[] stored = index.ids().toArray();
    assertEquals(expected.size(), stored.length, "ids() count");
    assertEquals(expected.keySet(), Set.copyOf(Arrays.stream(stored).boxed().toList()), "ids() set");
    for (Map.Entry<Long, float[]> e : expected.entrySet()) {
      float[] back = index.vector(e.getKey()).orElseThrow(() -> new AssertionError("no vector for " + e.getKey()));
      float[] storedForm = metric.storedForm(e.getValue());
      for (int j = 0; j < dim; j++) {
        assertTrue(Math.abs(storedForm[j] - back[j]) <= 1e-6f * Math.max(1, Math.abs(storedForm[j])),
            "component " + j + " of id " + e.getKey() + ": " + back[j] + " != " + storedForm[j]);
      }
      back[0] += 1000; // a copy: changing it changes nothing stored
      assertTrue(index.vector(e.getKey()).get()[0] < back[0] - 500, "vector() returned the stored array");
    }
    for (long id : ids) {
      if (!expected.containsKey(id)) {
        assertEquals(Optional.empty(), index.vector(id), "removed id " + id);
      }
    }
  }

  @Test
  void idsAreConsistentUnderConcurrentWrites() throws Exception {
    int dim = 8;
    Random random = new Random(5);
    int stable = 500;
    long[] stableIds = new long[stable];
    float[][] stableVectors = TestData.gaussian(random, stable, dim);
    for (int i = 0; i < stable; i++) {
      stableIds[i] = i;
    }
    Index index = build(dim, Metric.L2, propertyParams(), stableIds, stableVectors);
    AtomicBoolean stop = new AtomicBoolean();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    Set<Long> everAdded = ConcurrentHashMap.newKeySet();
    Thread writer = new Thread(() -> {
      Random r = new Random(6);
      try {
        for (int i = 0; i < 3000 && !stop.get(); i++) {
          long id = 1_000_000L + i;
          everAdded.add(id);
          index.add(id, TestData.gaussian(r, 1, dim)[0]);
          if (i % 2 == 1) {
            index.remove(1_000_000L + r.nextInt(i));
          }
        }
      } catch (Throwable t) {
        failures.add(t);
      }
    });
    writer.start();
    int reads = 0;
    while (writer.isAlive() || reads < 5) {
      long[] seen = index.ids().toArray();
      reads++;
      Set<Long> distinct = new HashSet<>();
      for (long id : seen) {
        assertTrue(distinct.add(id), "id " + id + " twice in one ids()");
        assertTrue(id < stable || everAdded.contains(id), "id " + id + " was never added");
      }
      for (long id : stableIds) {
        assertTrue(distinct.contains(id), "id " + id + ", never removed, missing from ids()");
      }
    }
    stop.set(true);
    writer.join();
    if (!failures.isEmpty()) {
      throw new AssertionError("the writer failed", failures.get(0));
    }
    assertEquals(index.size(), index.ids().count());
  }

  // ---------------------------------------------------------------- range and exact search

  @Property(tries = 25)
  void rangeSearchWithAFullBudgetIsExact(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 800) int n,
      @ForAll @IntRange(min = 1, max = 48) int dim,
      @ForAll Metric metric,
      @ForAll @IntRange(min = 0, max = 60) int within,
      @ForAll @IntRange(min = 1, max = 100) int limit) {
    Random random = new Random(seed);
    float[][] vectors = TestData.clustered(random, n, dim, 6, 0.5);
    long[] ids = TestData.distinctIds(random, n);
    Index index = build(dim, metric, propertyParams(), ids, vectors);
    for (float[] query : TestData.clustered(random, 3, dim, 6, 0.5)) {
      int[] order = TestData.exactNearest(metric, vectors, null, query, n);
      // a radius halfway between two neighbours' distances, so rounding cannot move anything across it
      int inside = Math.min(within, n);
      double below = inside == 0 ? Double.NEGATIVE_INFINITY : TestData.distance(metric, query, vectors[order[inside - 1]]);
      double above = inside == n ? Double.POSITIVE_INFINITY : TestData.distance(metric, query, vectors[order[inside]]);
      if (above - below < 1e-3 * Math.max(1, Math.abs(above))) {
        continue; // too close to call in float
      }
      float radius = inside == 0 ? (float) (above - 1) : inside == n ? (float) (below + 1) : (float) ((below + above) / 2);
      List<SearchResult> got = index.searchRange(query, radius, limit, exhaustive(index));
      assertEquals(Math.min(inside, limit), got.size(), "results within " + radius);
      Map<Long, float[]> byId = byId(ids, vectors);
      for (int i = 0; i < got.size(); i++) {
        assertTrue(got.get(i).distance() <= radius);
        assertTrue(TestData.close(TestData.distance(metric, query, vectors[order[i]]), got.get(i).distance()),
            "rank " + i + " of " + got);
        if (i > 0) {
          assertTrue(got.get(i - 1).distance() <= got.get(i).distance(), "not sorted: " + got);
        }
        assertTrue(byId.containsKey(got.get(i).id()));
      }
    }
  }

  @Test
  void rangeSearchHonoursFilterAndRejectsBadArguments() {
    Random random = new Random(9);
    int n = 400;
    float[][] vectors = TestData.gaussian(random, n, 6);
    long[] ids = TestData.distinctIds(random, n);
    Index index = build(6, Metric.L2, propertyParams(), ids, vectors);
    LongPredicate filter = id -> (id & 1) == 0;
    float[] query = vectors[0];
    List<SearchResult> got = index.searchRange(query, 5f, Integer.MAX_VALUE,
        exhaustive(index).toBuilder().filter(filter).build());
    int surely = 0;
    int maybe = 0;
    for (int i = 0; i < n; i++) {
      double d = TestData.distance(Metric.L2, query, vectors[i]);
      if (filter.test(ids[i])) {
        surely += d < 5 - 1e-3 ? 1 : 0;
        maybe += d <= 5 + 1e-3 ? 1 : 0;
      }
    }
    assertTrue(surely > 0, "the test has accepted vectors in range");
    assertTrue(got.size() >= surely && got.size() <= maybe,
        got.size() + " results; " + surely + " to " + maybe + " accepted vectors lie in range");
    for (SearchResult r : got) {
      assertTrue(filter.test(r.id()), "filtered-out id " + r.id());
      assertTrue(r.distance() <= 5f);
    }
    assertThrows(IllegalArgumentException.class, () -> index.searchRange(query, Float.NaN, 10, SearchParams.DEFAULT));
    assertThrows(IllegalArgumentException.class, () -> index.searchRange(query, 1f, 0, SearchParams.DEFAULT));
    assertThrows(IllegalArgumentException.class, () -> index.searchRange(new float[5], 1f, 3, SearchParams.DEFAULT));
    assertTrue(index.searchRange(query, -1f, 10, SearchParams.DEFAULT).isEmpty(), "no L2 distance is negative");
  }

  @Property(tries = 20)
  void searchExactIsExact(
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 800) int n,
      @ForAll @IntRange(min = 1, max = 48) int dim,
      @ForAll Metric metric,
      @ForAll @IntRange(min = 1, max = 30) int k) {
    Random random = new Random(seed);
    float[][] vectors = TestData.clustered(random, n, dim, 6, 0.5);
    long[] ids = TestData.distinctIds(random, n);
    Index index = build(dim, metric, propertyParams(), ids, vectors);
    for (float[] query : TestData.gaussian(random, 3, dim)) {
      List<SearchResult> got = index.searchExact(query, k, SearchParams.DEFAULT);
      int[] exact = TestData.exactNearest(metric, vectors, null, query, k);
      assertEquals(exact.length, got.size());
      for (int i = 0; i < exact.length; i++) {
        assertTrue(TestData.close(TestData.distance(metric, query, vectors[exact[i]]), got.get(i).distance()),
            "rank " + i + " of " + got);
      }
    }
  }

  // ---------------------------------------------------------------- strict knobs

  @Test
  void knobsTheIndexDoesNotReadAreRefused() {
    Random random = new Random(4);
    Index index = build(4, Metric.L2, propertyParams(), new long[] {1, 2, 3}, TestData.gaussian(random, 3, 4));
    float[] query = {1, 0, 0, 0};
    List<ParameterSpec> knobs = Indexes.provider(algorithm()).searchParameters();
    SearchParams unknown = SearchParams.builder().set("noSuchKnob", 3).build();
    List<Runnable> searches = List.of(
        () -> index.search(query, 2, unknown),
        () -> index.searchBatch(new float[][] {query}, 2, unknown, 1),
        () -> index.searchRange(query, 10f, 2, unknown));
    for (Runnable search : searches) {
      IllegalParameterException e = assertThrows(IllegalParameterException.class, search::run);
      assertTrue(e.getMessage().contains("noSuchKnob"), e.getMessage());
      for (ParameterSpec spec : knobs) {
        assertTrue(e.getMessage().contains(spec.name()), "the message names " + spec.name() + ": " + e.getMessage());
      }
    }
    for (String other : List.of("ef", "nprobe", "searchK")) {
      if (knobs.stream().noneMatch(s -> s.matches(other))) {
        assertThrows(IllegalParameterException.class,
            () -> index.search(query, 2, SearchParams.builder().set(other, 8).build()), other + " on " + algorithm());
      }
    }
    for (ParameterSpec spec : knobs) {
      assertEquals(2, index.search(query, 2, SearchParams.builder().set(spec.name(), spec.min()).build()).size());
      assertThrows(IllegalParameterException.class,
          () -> index.search(query, 2, SearchParams.builder().set(spec.name(), spec.min() - 1).build()));
      if (spec.max() < Integer.MAX_VALUE) {
        assertThrows(IllegalParameterException.class,
            () -> index.search(query, 2, SearchParams.builder().set(spec.name(), spec.max() + 1).build()));
      }
      assertThrows(IllegalParameterException.class, () -> index.search(query, 2,
          SearchParams.builder().set(spec.name(), spec.min()).targetRecall(0.9).build()), "knob and targetRecall");
    }
  }

  // ---------------------------------------------------------------- target recall

  @Test
  void targetRecallMeetsItsRecall() {
    Random random = new Random(11);
    int n = 5000;
    int dim = 32;
    // queries from the same distribution as the data, as a calibration on the data assumes
    float[][] all = TestData.clustered(random, n + 300, dim, 40, 0.6);
    float[][] vectors = Arrays.copyOf(all, n);
    float[][] queries = Arrays.copyOfRange(all, n, n + 300);
    long[] ids = TestData.distinctIds(random, n);
    Index index = build(dim, Metric.L2, Map.of(), ids, vectors);
    vectors = reference(index, ids, vectors);
    Calibration table = index.calibration(10);
    assertEquals(10, table.k());
    assertEquals(n, table.indexSize());
    List<ParameterSpec> knobs = Indexes.provider(algorithm()).searchParameters();
    assertEquals(knobs.isEmpty(), table.knob().isEmpty(), "an approximate index calibrates its knob");
    for (int i = 1; i < table.points().size(); i++) {
      assertTrue(table.points().get(i).value() > table.points().get(i - 1).value(), "ladder increases");
      assertTrue(table.points().get(i).recall() >= table.points().get(i - 1).recall(), "recall never falls");
    }
    for (double target : new double[] {0.9, 0.95, 0.99}) {
      SearchParams params = SearchParams.builder().targetRecall(target).build();
      double total = 0;
      for (float[] q : queries) {
        int[] exact = TestData.exactNearest(Metric.L2, vectors, null, q, 10);
        total += TestData.recall(Metric.L2, vectors, q, exact, index.search(q, 10, params));
      }
      double recall = total / queries.length;
      double reachable = Math.min(target, table.bestRecall());
      assertTrue(recall >= reachable - 0.02, algorithm() + " targetRecall " + target + " gave " + recall
          + "; the calibration " + table);
    }
    assertTrue(table.bestRecall() >= 0.99, "the ladder reaches recall 0.99: " + table);
  }

  @Test
  void calibrationIsRedoneOnceTheIndexChangedByHalf() {
    Random random = new Random(12);
    float[][] vectors = TestData.clustered(random, 400, 8, 5, 0.5);
    long[] ids = TestData.distinctIds(random, 400);
    Index index = build(8, Metric.L2, propertyParams(), ids, vectors);
    Calibration first = index.calibration(5);
    assertEquals(400, first.indexSize());
    if (first.knob().isEmpty()) { // exact: nothing to measure, nothing to keep
      assertEquals(List.of(new Calibration.Point(0, 1.0)), first.points());
      index.remove(ids[0]);
      assertEquals(399, index.calibration(5).indexSize());
      return;
    }
    assertTrue(first == index.calibration(5), "a fresh table is kept");
    for (int i = 0; i < 100; i++) {
      index.remove(ids[i]);
    }
    assertTrue(first == index.calibration(5), "a quarter changed: kept");
    for (int i = 100; i < 200; i++) {
      index.remove(ids[i]);
    }
    Calibration second = index.calibration(5);
    assertEquals(200, second.indexSize(), "half changed: measured again");
  }

  // ---------------------------------------------------------------- recall monitor

  @Test
  void recallMonitorEstimatesTheRecallOfLiveQueries() throws Exception {
    Random random = new Random(13);
    int n = 3000;
    int dim = 24;
    float[][] vectors = TestData.clustered(random, n, dim, 30, 0.6);
    long[] ids = TestData.distinctIds(random, n);
    Index index = build(dim, Metric.L2, Map.of(), ids, vectors);
    vectors = reference(index, ids, vectors);
    float[][] queries = TestData.clustered(random, 150, dim, 30, 0.6);
    double truth;
    try (RecallMonitor monitored = RecallMonitor.wrap(index, 1.0, 1.0)) {
      double total = 0;
      for (float[] q : queries) {
        List<SearchResult> got = monitored.search(q, 10);
        total += TestData.recall(Metric.L2, vectors, q, TestData.exactNearest(Metric.L2, vectors, null, q, 10), got);
        assertTrue(monitored.awaitChecked(60, TimeUnit.SECONDS), "the sample checked");
      }
      truth = total / queries.length;
      RecallMonitor.Estimate e = monitored.estimate();
      assertEquals(queries.length, e.queries(), "every query sampled and checked");
      assertEquals(0, e.dropped());
      assertEquals(truth, e.recall(), 1e-6, "the monitor's mean over every query");
      assertTrue(e.lower() <= e.recall() && e.recall() <= e.upper());
      assertEquals(index.size(), monitored.size());
    }
  }

  // ---------------------------------------------------------------- null arguments

  /** The rule of {@link Index}'s javadoc: a null argument throws NullPointerException, from every method. */
  @Test
  void nullArgumentsThrowNullPointerException() throws Exception {
    Index index = build(4, Metric.L2, propertyParams(), new long[] {1, 2}, new float[][] {{1, 0, 0, 0}, {0, 1, 0, 0}});
    float[] q = {1, 0, 0, 0};
    SearchParams p = SearchParams.DEFAULT;
    List<org.junit.jupiter.api.function.Executable> calls = List.of(
        () -> index.add(3, null),
        () -> index.addAll(null, new float[][] {q}),
        () -> index.addAll(new long[] {3}, null),
        () -> index.addAll(new long[] {3}, new float[][] {null}),
        () -> index.addAll(new long[] {3}, new float[][] {q}, null),
        () -> index.search(null, 1),
        () -> index.search(q, 1, null),
        () -> index.searchBatch((float[][]) null, 1, p, 1),
        () -> index.searchBatch(new float[][] {q}, 1, null, 1),
        () -> index.searchBatch(new float[0][], 1, null, 1),
        () -> index.searchBatch(new float[][] {null}, 1, p, 1),
        () -> index.searchBatch((float[]) null, 1, 1, p, 1),
        () -> index.searchBatch(q, 1, 1, null, 1),
        () -> index.searchBatch((FloatBuffer) null, 1, 1, p, 1),
        () -> index.searchRange(null, 1f, 1, p),
        () -> index.searchRange(q, 1f, 1, null),
        () -> index.searchExact(null, 1, p),
        () -> index.searchExact(q, 1, null),
        () -> index.withSnapshot(null));
    for (int i = 0; i < calls.size(); i++) {
      assertThrows(NullPointerException.class, calls.get(i), "call " + i);
    }
    assertEquals(2, index.size(), "no null call changed the index");
  }

  // ---------------------------------------------------------------- extreme magnitudes

  /**
   * Vectors from 1e-38 to 3e38 in magnitude, mixed signs: those whose squared norm would let a distance
   * overflow are refused with an InvalidVectorException; with the rest, results stay sorted, free of NaN
   * and infinity, and exactly min(k, n) long, under every metric.
   */
  @Property(tries = 25)
  void extremeMagnitudesAreRefusedOrRankedCorrectly(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 300) int n,
      @ForAll @IntRange(min = 1, max = 16) int dim,
      @ForAll Metric metric,
      @ForAll @IntRange(min = 1, max = 40) int k) {
    Random random = new Random(seed);
    Index index = Indexes.create(algorithm(), dim, metric, configured(propertyParams()));
    int stored = 0;
    for (int i = 0; i < n; i++) {
      float[] v = new float[dim];
      double scale = Math.pow(10, -38 + random.nextDouble() * 76.5);
      for (int j = 0; j < dim; j++) {
        v[j] = (float) Math.max(-3e38, Math.min(3e38, scale * random.nextGaussian()));
      }
      double squaredNorm = 0;
      for (float x : v) {
        squaredNorm += (double) x * x;
      }
      boolean zero = squaredNorm == 0;
      if (squaredNorm > Vectors.MAX_SQUARED_NORM || (zero && metric == Metric.COSINE)) {
        assertThrows(InvalidVectorException.class, () -> index.add(-1, v));
      } else {
        index.add(i, v);
        stored++;
      }
    }
    assertEquals(stored, index.size());
    float[] query = new float[dim];
    for (int j = 0; j < dim; j++) {
      query[j] = (float) (Math.pow(10, -10 + random.nextDouble() * 25) * random.nextGaussian());
    }
    if (metric == Metric.COSINE && isZero(query)) {
      query[0] = 1;
    }
    for (SearchParams params : List.of(SearchParams.DEFAULT, exhaustive(index))) {
      List<SearchResult> results = index.search(query, k, params);
      assertEquals(Math.min(k, stored), results.size(), "result count");
      for (int i = 0; i < results.size(); i++) {
        float d = results.get(i).distance();
        assertTrue(Float.isFinite(d), "distance " + d + " in " + results);
        assertTrue(i == 0 || results.get(i - 1).distance() <= d, "not sorted: " + results);
      }
    }
  }

  private static boolean isZero(float[] v) {
    for (float x : v) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- helpers

  protected static Map<Long, float[]> byId(long[] ids, float[][] vectors) {
    Map<Long, float[]> map = new java.util.HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      map.put(ids[i], vectors[i]);
    }
    return map;
  }
}
