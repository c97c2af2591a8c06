package io.vers.api.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.DimensionMismatchException;
import io.vers.api.IllegalParameterException;
import io.vers.api.Index;
import io.vers.api.IndexProvider;
import io.vers.api.IndexSnapshot;
import io.vers.api.Indexes;
import io.vers.api.InvalidVectorException;
import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.api.SnapshotArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/**
 * The behaviour every {@link Index} promises, run by each algorithm module against its provider,
 * found by name. Subclass it in the module's tests and supply the hooks; every property and test here
 * then runs for that algorithm.
 *
 * <p>Expected results come from {@link TestData}'s own brute force, not from the library. The checks of
 * batch, range and exact search, vectors and ids back, knobs and target recall are in
 * {@link SearchApiContract}.
 */
public abstract class IndexContract extends SearchApiContract {
  /** Recall@10 the algorithm promises at default parameters on clustered synthetic data. */
  protected abstract double declaredRecall();

  /** Recall@10 the algorithm promises at default parameters on sift5k. */
  protected abstract double sift5kRecall();

  /** The algorithms discoverable when only vers-api and this module are on the class path. */
  protected Set<String> expectedAlgorithms() {
    return Set.of("flat", algorithm());
  }

  // ---------------------------------------------------------------- discovery

  @Test
  void discoveryListsExactlyThisModulesAlgorithms() {
    assertEquals(expectedAlgorithms(), Set.copyOf(Indexes.available()));
    IndexProvider provider = Indexes.provider(algorithm().toUpperCase(java.util.Locale.ROOT));
    assertEquals(algorithm(), provider.name());
    Index index = create(3, Metric.L2);
    assertEquals(algorithm(), index.algorithm());
    assertEquals(3, index.dimension());
    assertEquals(Metric.L2, index.metric());
    assertEquals(0, index.size());
  }

  // ---------------------------------------------------------------- properties

  @Property(tries = 30)
  void resultsAreSortedUniqueBoundedAndTrue(
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 1500) int n,
      @ForAll @IntRange(min = 1, max = 256) int dim,
      @ForAll Metric metric,
      @ForAll @IntRange(min = 1, max = 40) int k) {
    Random random = new Random(seed);
    float[][] vectors = TestData.gaussian(random, n, dim);
    long[] ids = TestData.distinctIds(random, n);
    Index index = build(dim, metric, propertyParams(), ids, vectors);
    assertEquals(n, index.size());
    Map<Long, float[]> byId = byId(ids, reference(index, ids, vectors));
    for (float[] query : TestData.gaussian(random, 5, dim)) {
      List<SearchResult> results = index.search(query, k);
      assertEquals(Math.min(k, n), results.size(), "result count");
      checkSortedUniqueTrue(metric, query, results, byId);
    }
  }

  @Property(tries = 25)
  void exhaustiveSearchIsExact(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 800) int n,
      @ForAll @IntRange(min = 1, max = 128) int dim,
      @ForAll Metric metric,
      @ForAll @IntRange(min = 1, max = 30) int k) {
    Random random = new Random(seed);
    float[][] vectors = TestData.clustered(random, n, dim, 8, 0.5);
    long[] ids = TestData.distinctIds(random, n);
    Index index = build(dim, metric, propertyParams(), ids, vectors);
    for (float[] query : TestData.gaussian(random, 5, dim)) {
      List<SearchResult> results = index.search(query, k, exhaustive(index));
      int[] exact = TestData.exactNearest(metric, vectors, null, query, k);
      assertEquals(exact.length, results.size());
      for (int i = 0; i < exact.length; i++) {
        double expected = TestData.distance(metric, query, vectors[exact[i]]);
        assertTrue(TestData.close(expected, results.get(i).distance()),
            "rank " + i + ": expected distance " + expected + ", got " + results.get(i));
      }
    }
  }

  @Property(tries = 25)
  void removedIdsAreNeverReturned(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 1000) int n,
      @ForAll @IntRange(min = 1, max = 64) int dim,
      @ForAll Metric metric,
      @ForAll @IntRange(min = 0, max = 100) int removePercent) {
    Random random = new Random(seed);
    float[][] vectors = TestData.gaussian(random, n, dim);
    long[] ids = TestData.distinctIds(random, n);
    Index index = build(dim, metric, propertyParams(), ids, vectors);
    Set<Long> removed = new HashSet<>();
    for (long id : ids) {
      if (random.nextInt(100) < removePercent) {
        assertTrue(index.remove(id));
        removed.add(id);
      }
    }
    long absent = Long.MIN_VALUE + 17;
    if (java.util.Arrays.stream(ids).noneMatch(id -> id == absent)) {
      assertFalse(index.remove(absent), "removing an absent id");
    }
    assertEquals(n - removed.size(), index.size());
    for (long id : removed) {
      assertFalse(index.contains(id));
      assertFalse(index.remove(id), "second remove of " + id);
    }
    Map<Long, float[]> byId = byId(ids, vectors);
    int k = 10;
    for (float[] query : TestData.gaussian(random, 5, dim)) {
      for (SearchParams params : List.of(SearchParams.DEFAULT, exhaustive(index))) {
        List<SearchResult> results = index.search(query, k, params);
        assertEquals(Math.min(k, n - removed.size()), results.size());
        checkSortedUniqueTrue(metric, query, results, byId);
        for (SearchResult r : results) {
          assertFalse(removed.contains(r.id()), "removed id " + r.id() + " returned");
        }
      }
    }
  }

  @Property(tries = 25)
  void upsertReplacesTheVector(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 500) int n,
      @ForAll @IntRange(min = 1, max = 64) int dim,
      @ForAll Metric metric) {
    Random random = new Random(seed);
    float[][] vectors = TestData.gaussian(random, n, dim);
    long[] ids = TestData.distinctIds(random, n);
    Index index = build(dim, metric, propertyParams(), ids, vectors);
    float[][] replacements = TestData.gaussian(random, Math.min(n, 20), dim);
    for (int i = 0; i < replacements.length; i++) {
      index.add(ids[i], replacements[i]);
      vectors[i] = replacements[i];
    }
    assertEquals(n, index.size());
    Map<Long, float[]> byId = byId(ids, vectors);
    for (int i = 0; i < replacements.length; i++) {
      // k = n: with ties (dimension 1 under COSINE has only two directions) any k < n may cut the id.
      List<SearchResult> results = index.search(replacements[i], n, exhaustive(index));
      checkSortedUniqueTrue(metric, replacements[i], results, byId);
      long id = ids[i];
      SearchResult hit = results.stream().filter(r -> r.id() == id).findFirst().orElse(null);
      if (metric != Metric.DOT) {
        assertTrue(hit != null, "upserted id " + id + " not found by its new vector");
        assertTrue(TestData.close(TestData.distance(metric, replacements[i], replacements[i]), hit.distance()));
      }
    }
  }

  @Property(tries = 25)
  void filterIsHonouredAndFillsK(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 1500) int n,
      @ForAll @IntRange(min = 1, max = 64) int dim,
      @ForAll Metric metric,
      @ForAll @IntRange(min = 1, max = 50) int k,
      @ForAll @IntRange(min = 1, max = 50) int modulus) {
    Random random = new Random(seed);
    float[][] vectors = TestData.gaussian(random, n, dim);
    long[] ids = TestData.distinctIds(random, n);
    Index index = build(dim, metric, propertyParams(), ids, vectors);
    LongPredicate filter = id -> Math.floorMod(id * 0x9E3779B97F4A7C15L, modulus) == 0;
    long accepted = java.util.Arrays.stream(ids).filter(filter::test).count();
    Map<Long, float[]> byId = byId(ids, reference(index, ids, vectors));
    for (float[] query : TestData.gaussian(random, 3, dim)) {
      List<SearchResult> results = index.search(query, k, SearchParams.builder().filter(filter).build());
      assertEquals(Math.min(k, accepted), results.size(), "filtered result count");
      checkSortedUniqueTrue(metric, query, results, byId);
      for (SearchResult r : results) {
        assertTrue(filter.test(r.id()), "id " + r.id() + " rejected by the filter was returned");
      }
    }
  }

  // ---------------------------------------------------------------- recall

  @Test
  void recallAtDefaultParametersMeetsTheDeclaredThreshold() {
    for (Metric metric : Metric.values()) {
      Random random = new Random(7 + metric.ordinal());
      int n = 5000;
      int dim = 32;
      float[][] vectors = TestData.clustered(random, n, dim, 40, 0.6);
      long[] ids = TestData.distinctIds(random, n);
      Index index = build(dim, metric, Map.of(), ids, vectors);
      double recall = meanRecall(index, metric, vectors, TestData.clustered(random, 200, dim, 40, 0.6), 10);
      assertTrue(recall >= declaredRecall(),
          algorithm() + " " + metric + " recall@10 " + recall + " below the declared " + declaredRecall());
    }
  }

  @Test
  void recallOnSift5kMeetsTheDeclaredThreshold() throws Exception {
    Sift5k data = Sift5k.load();
    int n = data.base.length;
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
    }
    Index index = build(128, Metric.L2, Map.of(), ids, data.base);
    double total = 0;
    for (int q = 0; q < data.queries.length; q++) {
      int[] truth = java.util.Arrays.copyOf(data.groundTruth[q], 10);
      total += TestData.recall(Metric.L2, data.base, data.queries[q], truth, index.search(data.queries[q], 10));
    }
    double recall = total / data.queries.length;
    assertTrue(recall >= sift5kRecall(),
        algorithm() + " sift5k recall@10 " + recall + " below the declared " + sift5kRecall());
  }

  protected static double meanRecall(Index index, Metric metric, float[][] vectors, float[][] queries, int k) {
    double total = 0;
    for (float[] query : queries) {
      int[] exact = TestData.exactNearest(metric, vectors, null, query, k);
      total += TestData.recall(metric, vectors, query, exact, index.search(query, k));
    }
    return total / queries.length;
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void badInputIsRejectedWithTypedExceptions() {
    Index index = create(4, Metric.COSINE);
    assertTrue(index.search(new float[] {1, 0, 0, 0}, 5).isEmpty(), "search on an empty index");
    assertThrows(DimensionMismatchException.class, () -> index.add(1, new float[3]));
    assertThrows(DimensionMismatchException.class, () -> index.search(new float[5], 1));
    assertThrows(InvalidVectorException.class, () -> index.add(1, new float[] {1, Float.NaN, 0, 0}));
    assertThrows(InvalidVectorException.class, () -> index.add(1, new float[] {1, Float.POSITIVE_INFINITY, 0, 0}));
    assertThrows(InvalidVectorException.class, () -> index.search(new float[] {Float.NaN, 0, 0, 0}, 1));
    assertThrows(InvalidVectorException.class, () -> index.add(1, new float[4]), "zero vector under COSINE");
    assertThrows(NullPointerException.class, () -> index.add(1, null));
    assertThrows(NullPointerException.class, () -> index.search(null, 1));
    assertThrows(IllegalArgumentException.class, () -> index.search(new float[] {1, 0, 0, 0}, 0));
    assertThrows(IllegalArgumentException.class, () -> index.addAll(new long[] {1, 2}, new float[][] {{1, 0, 0, 0}}));
    IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
        () -> index.addAll(new long[] {1, 2}, new float[][] {{1, 0, 0, 0}, {1, 0, Float.NaN, 0}}));
    assertTrue(batch.getMessage().contains("vectors[1]"), batch.getMessage());
    assertEquals(0, index.size(), "a rejected batch stores nothing");
    assertThrows(IllegalArgumentException.class, () -> Indexes.create(algorithm(), 0, Metric.L2));

    IllegalParameterException unknown = assertThrows(IllegalParameterException.class,
        () -> Indexes.create(algorithm(), 4, Metric.L2, Map.of("noSuchParameter", 1)));
    assertTrue(unknown.getMessage().contains("noSuchParameter"), unknown.getMessage());
    for (ParameterSpec spec : Indexes.provider(algorithm()).parameters()) {
      if (spec.type() == ParameterSpec.Type.BOOLEAN) {
        continue;
      }
      if (spec.type() == ParameterSpec.Type.CHOICE) {
        IllegalParameterException e = assertThrows(IllegalParameterException.class,
            () -> Indexes.create(algorithm(), 4, Metric.L2, Map.of(spec.name(), "no-such-choice")));
        assertTrue(e.getMessage().contains(spec.name()) && e.getMessage().contains(spec.range()), e.getMessage());
        continue;
      }
      for (double bad : new double[] {spec.min() - 1, spec.max() + 1}) {
        if (Double.isInfinite(bad) || Math.abs(bad) > 9e15) {
          continue;
        }
        Object value = spec.type() == ParameterSpec.Type.DOUBLE ? (Object) bad : (Object) (long) bad;
        IllegalParameterException e = assertThrows(IllegalParameterException.class,
            () -> Indexes.create(algorithm(), 4, Metric.L2, Map.of(spec.name(), value)),
            spec.name() + "=" + value);
        assertTrue(e.getMessage().contains(spec.name()) && e.getMessage().contains(spec.range()), e.getMessage());
      }
    }
  }

  // ---------------------------------------------------------------- memory

  @Test
  void ramBytesUsedMatchesTheHeap() {
    Random random = new Random(3);
    int n = 8000;
    int dim = 48;
    Index index = build(dim, Metric.L2, Map.of(), TestData.distinctIds(random, n), TestData.gaussian(random, n, dim));
    long measured = GraphLayout.parseInstance(index).totalSize();
    long reported = index.ramBytesUsed();
    double ratio = reported / (double) measured;
    assertTrue(ratio > 0.9 && ratio < 1.1,
        algorithm() + " ramBytesUsed " + reported + " vs measured heap " + measured + " (ratio " + ratio + ")");
  }

  // ---------------------------------------------------------------- concurrency

  @Test
  void concurrentWritersAndReadersLoseNothing() throws Exception {
    int dim = 16;
    Index index = Indexes.create(algorithm(), dim, Metric.L2, configured(propertyParams()));
    Map<Long, float[]> live = new ConcurrentHashMap<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    long deadline = System.nanoTime() + 1_500_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int writer = w;
      threads.add(new Thread(() -> {
        Random random = new Random(100 + writer);
        try {
          for (int i = 0; i < 3000 && System.nanoTime() < deadline; i++) {
            long id = writer * 1_000_000L + i;
            float[] v = TestData.gaussian(random, 1, dim)[0];
            index.add(id, v);
            live.put(id, v);
            if (i % 5 == 4) {
              long victim = writer * 1_000_000L + random.nextInt(i + 1);
              if (live.remove(victim) != null) {
                assertTrue(index.remove(victim));
              }
            }
          }
        } catch (Throwable t) {
          failures.add(t);
        }
      }));
    }
    for (int r = 0; r < 2; r++) {
      int reader = r;
      threads.add(new Thread(() -> {
        Random random = new Random(200 + reader);
        try {
          while (!stop.get()) {
            float[] q = TestData.gaussian(random, 1, dim)[0];
            List<SearchResult> results = index.search(q, 10);
            for (int i = 1; i < results.size(); i++) {
              assertTrue(results.get(i - 1).distance() <= results.get(i).distance());
            }
            index.contains(random.nextInt(3000));
          }
        } catch (Throwable t) {
          failures.add(t);
        }
      }));
    }
    threads.forEach(Thread::start);
    for (int i = 0; i < 2; i++) {
      threads.get(i).join();
    }
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    if (!failures.isEmpty()) {
      throw new AssertionError("a thread failed", failures.get(0));
    }
    assertEquals(live.size(), index.size());
    SearchParams exhaustive = exhaustive(index);
    for (Map.Entry<Long, float[]> e : live.entrySet()) {
      assertTrue(index.contains(e.getKey()), "lost id " + e.getKey());
      List<SearchResult> hits = index.search(e.getValue(), 3, exhaustive);
      assertTrue(hits.stream().anyMatch(h -> h.id() == e.getKey()), "id " + e.getKey() + " not found by its vector");
    }
  }

  // ---------------------------------------------------------------- snapshots

  @Test
  void withSnapshotReadsTheSameStateAsSnapshotInAnyPieces() throws Exception {
    int dim = 12;
    Sample sample = sample(21, 900, dim);
    Index index = sample.index();
    long[] ids = sample.ids();
    Random random = sample.random();
    for (int i = 0; i < 150; i++) {
      index.remove(ids[random.nextInt(ids.length)]);
    }
    for (int i = 0; i < 100; i++) {
      index.add(ids[random.nextInt(ids.length)], TestData.gaussian(random, 1, dim)[0]);
    }
    IndexSnapshot copy = index.snapshot();
    assertTrue(copy.arrays().values().stream().noneMatch(SnapshotArray::isView), "snapshot() holds no view");
    Index restored = index.withSnapshot(view -> {
      SnapshotAssertions.assertSameState(copy, view);
      view.arrays().forEach((name, array) -> SnapshotAssertions.assertReadsInPieces(copy.arrays().get(name), array,
          random, name));
      return Indexes.provider(algorithm()).restore(view.materialize());
    });
    for (float[] q : TestData.gaussian(random, 20, dim)) {
      assertEquals(index.search(q, 10), restored.search(q, 10));
    }
  }

  @Test
  void withSnapshotMakesWritesWaitButNotSearches() throws Exception {
    Sample sample = sample(22, 300, 8);
    Index index = sample.index();
    float[][] vectors = sample.vectors();
    long[] ids = sample.ids();
    long newId = Arrays.stream(ids).max().getAsLong() + 1;
    float[] query = vectors[0];
    List<SearchResult> before = index.search(query, 5);
    Thread writer = new Thread(() -> index.add(newId, query));
    index.withSnapshot(snapshot -> {
      writer.start();
      awaitBlockedOrDone(writer);
      FutureTask<List<SearchResult>> search = new FutureTask<>(() -> index.search(query, 5));
      new Thread(search).start();
      assertEquals(before, search.get(60, TimeUnit.SECONDS), "a search while a snapshot is open and a writer waits");
      assertTrue(writer.isAlive(), "a write went ahead while a snapshot was open");
      assertEquals(ids.length, snapshot.size());
      assertThrows(IllegalStateException.class, () -> index.add(newId + 1, query), "a write from the action");
      return null;
    });
    writer.join();
    assertTrue(index.contains(newId));
    assertFalse(index.contains(newId + 1));
    assertEquals(ids.length + 1, index.size());
  }

  @Test
  void withSnapshotFromASearchFilterCompletesWhileAWriterWaits() throws Exception {
    Sample sample = sample(23, 400, 8);
    Index index = sample.index();
    float[][] vectors = sample.vectors();
    long[] ids = sample.ids();
    AtomicInteger sizes = new AtomicInteger(-1);
    long newId = Arrays.stream(ids).max().getAsLong() + 1;
    Thread[] writer = new Thread[1];
    FutureTask<List<SearchResult>> search = new FutureTask<>(() -> index.search(vectors[0], 5,
        SearchParams.builder().filter(id -> {
          if (writer[0] == null) { // a writer waits while this search runs; then the filter saves
            writer[0] = new Thread(() -> index.add(newId, vectors[1]));
            writer[0].start();
            awaitBlockedOrDone(writer[0]);
            sizes.set(index.withSnapshot(IndexSnapshot::size));
          }
          return true;
        }).build()));
    new Thread(search).start();
    assertEquals(5, search.get(60, TimeUnit.SECONDS).size(), "a snapshot from a search filter with a writer waiting");
    assertTrue(sizes.get() == ids.length || sizes.get() == ids.length + 1, "snapshot size " + sizes.get());
    writer[0].join(60_000);
    assertFalse(writer[0].isAlive());
    assertTrue(index.contains(newId));
  }

  /** An index of this algorithm over {@code n} Gaussian vectors under distinct ids, with its inputs. */
  private record Sample(Index index, long[] ids, float[][] vectors, Random random) {}

  private Sample sample(long seed, int n, int dim) {
    Random random = new Random(seed);
    float[][] vectors = TestData.gaussian(random, n, dim);
    long[] ids = TestData.distinctIds(random, n);
    return new Sample(build(dim, Metric.L2, propertyParams(), ids, vectors), ids, vectors, random);
  }

  /** Waits up to 10 s for {@code thread} to block or finish. */
  private static void awaitBlockedOrDone(Thread thread) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline
        && (thread.getState() == Thread.State.NEW || thread.getState() == Thread.State.RUNNABLE)) {
      Thread.onSpinWait();
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Results are sorted, unique, known, and each distance is the metric's formula. */
  protected static void checkSortedUniqueTrue(
      Metric metric, float[] query, List<SearchResult> results, Map<Long, float[]> byId) {
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < results.size(); i++) {
      SearchResult r = results.get(i);
      assertTrue(seen.add(r.id()), "duplicate id " + r.id());
      if (i > 0) {
        assertTrue(results.get(i - 1).distance() <= r.distance(), "not sorted at " + i + ": " + results);
      }
      float[] v = byId.get(r.id());
      assertTrue(v != null, "unknown id " + r.id());
      double expected = TestData.distance(metric, query, v);
      assertTrue(TestData.close(expected, r.distance()),
          "id " + r.id() + ": distance " + r.distance() + " but the formula gives " + expected);
    }
  }
}
