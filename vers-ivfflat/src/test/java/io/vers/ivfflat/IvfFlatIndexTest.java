package io.vers.ivfflat;

import static io.vers.api.testkit.SnapshotAssertions.assertSameState;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.AddOptions;
import io.vers.api.CorruptIndexException;
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
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class IvfFlatIndexTest {
  private static final int DIM = 16;

  // ---------------------------------------------------------------- routes and parameters

  @Test
  void nameRouteAndTypedRouteBuildTheSameIndex() {
    Random random = new Random(1);
    float[][] vectors = TestData.clustered(random, 3000, DIM, 20, 0.6);
    long[] ids = TestData.distinctIds(random, vectors.length);
    Index byName = Indexes.build("ivfflat", DIM, Metric.L2,
        Map.of("num_clusters", 40, "num_attempts", 2, "max_iterations", 7, "nprobe", 5, "seed", 9),
        ids, vectors, AddOptions.threads(2));
    IvfFlatIndex typed = IvfFlatIndex.builder(DIM, Metric.L2).nlist(40).attempts(2).maxIterations(7).nprobe(5).seed(9)
        .build(ids, vectors, AddOptions.threads(2));
    assertTrue(byName instanceof IvfFlatIndex);
    assertEquals(typed.parameters(), byName.parameters());
    assertEquals(Map.of("nlist", 40, "nprobe", 5, "attempts", 2, "maxIterations", 7, "seed", 9L,
        "quantization", "none", "keepVectors", true), typed.parameters());
    assertSameState(typed.snapshot(), byName.snapshot());
    for (float[] query : TestData.gaussian(random, 10, DIM)) {
      assertEquals(typed.search(query, 10), byName.search(query, 10));
    }
  }

  @Test
  void emptyIndexesFromBothRoutesAgree() {
    Index byName = Indexes.create("ivfflat", DIM, Metric.COSINE, Map.of("nlist", 8, "max-iterations", 3));
    IvfFlatIndex typed = IvfFlatIndex.builder(DIM, Metric.COSINE).nlist(8).maxIterations(3).build();
    assertEquals(typed.parameters(), byName.parameters());
    assertFalse(typed.isTrained());
    Random random = new Random(2);
    float[][] vectors = TestData.gaussian(random, 400, DIM);
    long[] ids = TestData.distinctIds(random, 400);
    typed.addAll(ids, vectors);
    byName.addAll(ids, vectors);
    assertSameState(typed.snapshot(), byName.snapshot());
  }

  @Test
  void parametersAreValidatedOnBothRoutes() {
    assertThrows(IllegalParameterException.class, () -> IvfFlatIndex.builder(DIM, Metric.L2).nlist(0).build());
    assertThrows(IllegalParameterException.class, () -> IvfFlatIndex.builder(DIM, Metric.L2).nprobe(0).build());
    assertThrows(IllegalParameterException.class, () -> IvfFlatIndex.builder(DIM, Metric.L2).attempts(101).build());
    IllegalParameterException twice = assertThrows(IllegalParameterException.class,
        () -> Indexes.create("ivfflat", DIM, Metric.L2, Map.of("nlist", 4, "num_clusters", 4)));
    assertTrue(twice.getMessage().contains("given twice"), twice.getMessage());
    assertThrows(IllegalArgumentException.class, () -> IvfFlatIndex.builder(0, Metric.L2));
  }

  @Test
  void providerDescribesItsParameters() {
    IndexProvider provider = Indexes.provider("ivfflat");
    assertTrue(provider instanceof IvfFlatIndexProvider);
    List<ParameterSpec> specs = provider.parameters();
    assertEquals(List.of("nlist", "nprobe", "attempts", "maxIterations", "seed", "quantization", "keepVectors"),
        specs.stream().map(ParameterSpec::name).toList());
    assertTrue(specs.get(0).matches("num_clusters"));
    assertTrue(specs.get(2).matches("num_attempts"));
    assertTrue(specs.get(3).matches("max_iterations"));
    List<ParameterSpec> search = provider.searchParameters();
    assertEquals(2, search.size());
    assertEquals("nprobe", search.get(0).name());
    assertEquals("oversample", search.get(1).name());
    assertEquals(IvfFlatIndex.DEFAULT_NPROBE, search.get(0).defaultValue());
    SearchParams.builder().set(search.get(0).name(), 3).build();
  }

  @Test
  void buildDoesNotDependOnTheThreadCount() {
    Random random = new Random(3);
    float[][] vectors = TestData.clustered(random, 4000, 24, 30, 0.7);
    long[] ids = TestData.distinctIds(random, vectors.length);
    IvfFlatBuilder builder = IvfFlatIndex.builder(24, Metric.L2).attempts(2);
    assertSameState(builder.build(ids, vectors, AddOptions.threads(1)).snapshot(),
        builder.build(ids, vectors, AddOptions.threads(3)).snapshot());
  }

  @Test
  void automaticNlistIsFourTimesTheSquareRootAndAtMostN() {
    assertEquals(979, IvfFlatIndex.automaticNlist(60_000));
    assertEquals(277, IvfFlatIndex.automaticNlist(4_800));
    assertEquals(1, IvfFlatIndex.automaticNlist(1));
    assertEquals(3, IvfFlatIndex.automaticNlist(3));
    Random random = new Random(4);
    float[][] vectors = TestData.gaussian(random, 4800, 4);
    long[] ids = TestData.distinctIds(random, vectors.length);
    assertEquals(277, IvfFlatIndex.builder(4, Metric.L2).build(ids, vectors).nlist());
    assertEquals(5, IvfFlatIndex.builder(4, Metric.L2).nlist(50).build(new long[] {1, 2, 3, 4, 5},
        new float[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}, {1, 1, 0, 0}}).nlist());
  }

  @Test
  void duplicateIdsInABuildKeepTheLastVector() {
    float[][] vectors = {{0, 0}, {10, 10}, {5, 5}, {20, 20}};
    long[] ids = {7, 8, 7, 9};
    IvfFlatIndex index = IvfFlatIndex.builder(2, Metric.L2).nlist(2).build(ids, vectors);
    assertEquals(3, index.size());
    List<SearchResult> hit = index.search(new float[] {5, 5}, 1, SearchParams.builder().nprobe(2).build());
    assertEquals(new SearchResult(7, 0f), hit.get(0));
    FlatIndex flat = FlatIndex.create(2, Metric.L2);
    flat.addAll(ids, vectors);
    assertEquals(flat.search(new float[] {6, 6}, 3), index.search(new float[] {6, 6}, 3));
  }

  // ---------------------------------------------------------------- training policy

  @Test
  void anEmptyIndexSearchesExactlyUntilItHoldsEnoughToTrain() {
    int nlist = 4;
    int threshold = IvfFlatIndex.MIN_POINTS_PER_LIST * nlist;
    IvfFlatIndex index = IvfFlatIndex.builder(DIM, Metric.L2).nlist(nlist).nprobe(1).build();
    FlatIndex flat = FlatIndex.create(DIM, Metric.L2);
    Random random = new Random(5);
    float[][] vectors = TestData.clustered(random, threshold, DIM, 4, 0.5);
    for (int i = 0; i < threshold - 1; i++) {
      index.add(i, vectors[i]);
      flat.add(i, vectors[i]);
    }
    assertFalse(index.isTrained());
    assertEquals(0, index.nlist());
    for (float[] query : TestData.gaussian(random, 5, DIM)) {
      assertEquals(flat.search(query, 10), index.search(query, 10), "exact while untrained, whatever nprobe");
    }
    index.add(threshold - 1, vectors[threshold - 1]);
    assertTrue(index.isTrained());
    assertEquals(nlist, index.nlist());
    assertEquals(nlist, index.parameters().get("nlist"));
    assertEquals(threshold, index.size());
    for (int i = 0; i < threshold; i++) {
      List<SearchResult> hits = index.search(vectors[i], 1, SearchParams.builder().nprobe(nlist).build());
      assertEquals(0f, hits.get(0).distance());
    }
  }

  @Test
  void automaticNlistTrainsAtTheDocumentedSize() {
    int first = 1;
    while (first < IvfFlatIndex.MIN_POINTS_PER_LIST * IvfFlatIndex.automaticNlist(first)) {
      first++;
    }
    assertEquals(24_258, first);
    assertEquals(622, IvfFlatIndex.automaticNlist(first));
    IvfFlatIndex index = IvfFlatIndex.builder(2, Metric.L2).build();
    assertEquals(622, index.nlistFor(24_258));
    assertEquals(979, index.nlistFor(60_000));
  }

  @Test
  void trainReclustersAGrownIndexAndKeepsEveryVector() {
    Random random = new Random(6);
    float[][] first = TestData.clustered(random, 100, DIM, 5, 0.5);
    long[] firstIds = TestData.distinctIds(random, 100);
    IvfFlatIndex index = IvfFlatIndex.builder(DIM, Metric.COSINE).build(firstIds, first);
    assertEquals(40, index.nlist());
    float[][] more = TestData.clustered(random, 2400, DIM, 5, 0.5);
    long[] moreIds = new long[more.length];
    for (int i = 0; i < more.length; i++) {
      moreIds[i] = 1_000_000 + i;
    }
    index.addAll(moreIds, more, AddOptions.threads(2));
    assertEquals(40, index.nlist(), "centroids stay until the next train");
    index.train(2);
    assertEquals(IvfFlatIndex.automaticNlist(2500), index.nlist());
    assertEquals(2500, index.size());
    SearchParams all = SearchParams.builder().nprobe(index.nlist()).build();
    for (int i = 0; i < more.length; i += 97) {
      assertEquals(moreIds[i], index.search(more[i], 1, all).get(0).id());
    }
    float[] centroids = index.centroids();
    for (int c = 0; c < index.nlist(); c++) {
      double norm = 0;
      for (int j = 0; j < DIM; j++) {
        norm += centroids[c * DIM + j] * centroids[c * DIM + j];
      }
      assertEquals(1.0, norm, 1e-4, "COSINE trains spherical k-means: unit centroids");
    }
  }

  @Test
  void trainingDuringConcurrentWritesAndSearchesLosesNothing() throws Exception {
    int nlist = 6;
    IvfFlatIndex index = IvfFlatIndex.builder(DIM, Metric.L2).nlist(nlist).build();
    Map<Long, float[]> live = new ConcurrentHashMap<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int writer = w;
      writers.add(new Thread(() -> {
        Random random = new Random(10 + writer);
        try {
          for (int i = 0; i < 1500; i++) {
            long id = writer * 1_000_000L + i;
            float[] v = TestData.gaussian(random, 1, DIM)[0];
            index.add(id, v);
            live.put(id, v);
            if (i % 7 == 6) {
              long victim = writer * 1_000_000L + random.nextInt(i);
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
    Thread reader = new Thread(() -> {
      Random random = new Random(20);
      try {
        while (!stop.get()) {
          List<SearchResult> hits = index.search(TestData.gaussian(random, 1, DIM)[0], 10);
          for (int i = 1; i < hits.size(); i++) {
            assertTrue(hits.get(i - 1).distance() <= hits.get(i).distance());
          }
        }
      } catch (Throwable t) {
        failures.add(t);
      }
    });
    writers.forEach(Thread::start);
    reader.start();
    for (Thread t : writers) {
      t.join();
    }
    stop.set(true);
    reader.join();
    if (!failures.isEmpty()) {
      throw new AssertionError("a thread failed", failures.get(0));
    }
    assertTrue(index.isTrained());
    assertEquals(live.size(), index.size());
    SearchParams all = SearchParams.builder().nprobe(nlist).build();
    for (Map.Entry<Long, float[]> e : live.entrySet()) {
      assertEquals(e.getKey(), index.search(e.getValue(), 1, all).get(0).id());
    }
  }

  // ---------------------------------------------------------------- search

  @Test
  void moreListsAreScannedWhenTheProbedOnesHoldFewerThanK() {
    Random random = new Random(7);
    float[][] vectors = TestData.clustered(random, 400, DIM, 40, 0.3);
    long[] ids = TestData.distinctIds(random, vectors.length);
    IvfFlatIndex index = IvfFlatIndex.builder(DIM, Metric.L2).nlist(40).nprobe(1).build(ids, vectors);
    for (float[] query : TestData.gaussian(random, 5, DIM)) {
      assertEquals(100, index.search(query, 100).size());
      assertEquals(400, index.search(query, 1000).size());
      List<SearchResult> filtered =
          index.search(query, 30, SearchParams.builder().filter(id -> Math.floorMod(id, 7) == 0).build());
      long accepted = java.util.Arrays.stream(ids).filter(id -> Math.floorMod(id, 7) == 0).count();
      assertEquals(Math.min(30, accepted), filtered.size());
    }
  }

  @Test
  void nprobeBeyondNlistIsExactSearch() {
    Random random = new Random(8);
    float[][] vectors = TestData.gaussian(random, 500, DIM);
    long[] ids = TestData.distinctIds(random, vectors.length);
    IvfFlatIndex index = IvfFlatIndex.builder(DIM, Metric.DOT).nlist(10).build(ids, vectors);
    FlatIndex flat = FlatIndex.create(DIM, Metric.DOT);
    flat.addAll(ids, vectors);
    float[] query = TestData.gaussian(random, 1, DIM)[0];
    assertEquals(flat.search(query, 20), index.search(query, 20, SearchParams.builder().nprobe(1_000).build()));
  }

  @Test
  void upsertMovesAVectorToItsNewList() {
    float[][] vectors = new float[200][];
    long[] ids = new long[200];
    for (int i = 0; i < 200; i++) {
      vectors[i] = new float[] {i < 100 ? 0 : 100, i % 10};
      ids[i] = i;
    }
    IvfFlatIndex index = IvfFlatIndex.builder(2, Metric.L2).nlist(2).nprobe(1).build(ids, vectors);
    index.add(5, new float[] {100, 3.5f});
    assertEquals(new SearchResult(5, 0f), index.search(new float[] {100, 3.5f}, 1).get(0));
    assertFalse(index.search(new float[] {0, 5}, 99).stream().anyMatch(r -> r.id() == 5),
        "nprobe 1 near the first cluster no longer sees id 5");
    assertEquals(200, index.size());
  }

  @Test
  void progressIsReportedUpToTheTotal() {
    Random random = new Random(9);
    float[][] vectors = TestData.gaussian(random, 3000, 8);
    long[] ids = TestData.distinctIds(random, 3000);
    IvfFlatIndex index = IvfFlatIndex.builder(8, Metric.L2).build(ids, vectors);
    List<long[]> reports = new CopyOnWriteArrayList<>();
    long[] more = new long[3000];
    for (int i = 0; i < more.length; i++) {
      more[i] = 1L << 50 | i;
    }
    index.addAll(more, vectors, AddOptions.threads(2).withProgress((done, total) -> reports.add(new long[] {done, total})));
    assertFalse(reports.isEmpty());
    for (int i = 1; i < reports.size(); i++) {
      assertTrue(reports.get(i)[0] > reports.get(i - 1)[0], "progress is monotonic");
    }
    assertArrayEquals(new long[] {3000, 3000}, reports.get(reports.size() - 1));
    assertEquals(6000, index.size());
  }

  // ---------------------------------------------------------------- snapshots

  @Test
  void snapshotRoundTripIsIdentical() throws Exception {
    Random random = new Random(11);
    for (Metric metric : Metric.values()) {
      float[][] vectors = TestData.clustered(random, 1500, DIM, 10, 0.6);
      long[] ids = TestData.distinctIds(random, vectors.length);
      IvfFlatIndex trained = IvfFlatIndex.builder(DIM, metric).nprobe(3).build(ids, vectors);
      trained.remove(ids[0]);
      trained.add(ids[1], vectors[2]);
      IvfFlatIndex untrained = IvfFlatIndex.builder(DIM, metric).build();
      untrained.addAll(ids, vectors);
      untrained.remove(ids[3]);
      for (IvfFlatIndex original : List.of(trained, untrained)) {
        IndexSnapshot snapshot = original.snapshot();
        Index restored = new IvfFlatIndexProvider().restore(snapshot);
        assertSameState(snapshot, restored.snapshot());
        assertEquals(original.parameters(), restored.parameters());
        assertEquals(original.size(), restored.size());
        assertEquals(original.nlist(), ((IvfFlatIndex) restored).nlist());
        for (float[] query : TestData.gaussian(random, 5, DIM)) {
          assertEquals(original.search(query, 10), restored.search(query, 10));
        }
        long fresh = 1L << 62;
        restored.add(fresh, vectors[5]);
        assertTrue(restored.contains(fresh));
        assertFalse(original.contains(fresh), "the restored index does not share state with the original");
      }
    }
  }

  @Test
  void restoreRejectsCorruptSnapshots() throws Exception {
    Random random = new Random(12);
    float[][] vectors = TestData.gaussian(random, 300, 4);
    long[] ids = TestData.distinctIds(random, 300);
    IndexSnapshot good = IvfFlatIndex.builder(4, Metric.COSINE).nlist(6).build(ids, vectors).snapshot();
    IvfFlatIndexProvider provider = new IvfFlatIndexProvider();

    assertCorrupt(provider, rebuild(good, "flat", 1, good.size(), good.metric(), b -> b), "'flat'");
    assertCorrupt(provider, rebuild(good, "ivfflat", 4, good.size(), good.metric(), b -> b), "version 4");
    assertCorrupt(provider, rebuild(good, "ivfflat", 2, good.size() + 1, good.metric(), b -> b), "vectors of dimension");
    assertCorrupt(provider, replace(good, "nlist", -1L), "nlist -1");
    assertCorrupt(provider, replace(good, "nlist", 7L), "centroid floats");
    assertCorrupt(provider, replace(good, "centroids", new float[5]), "centroid floats");
    assertCorrupt(provider, replace(good, "ids", new long[299]), "ids");
    assertCorrupt(provider, replace(good, "vectors", new float[10]), "floats");
    assertCorrupt(provider, replace(good, "listSizes", new int[3]), "3 list sizes");
    int[] sizes = good.ints("listSizes").clone();
    sizes[2] = -1;
    assertCorrupt(provider, replace(good, "listSizes", sizes), "list 2 -1 entries");
    sizes = good.ints("listSizes").clone();
    sizes[0] += 301;
    assertCorrupt(provider, replace(good, "listSizes", sizes), "entries where 300 remain");
    sizes = good.ints("listSizes").clone();
    sizes[5] -= 1;
    assertCorrupt(provider, replace(good, "listSizes", sizes), "lists of 299 entries in all");
    int[] ords = good.ints("ords").clone();
    ords[1] = ords[0];
    assertCorrupt(provider, replace(good, "ords", ords), "twice");
    ords[1] = 300;
    assertCorrupt(provider, replace(good, "ords", ords), "outside [0, 300)");
    assertCorrupt(provider, replace(good, "ords", new int[299]), "299 ordinals");
    IndexSnapshot v1 = versionOne(good);
    assertEquals(300, new IvfFlatIndexProvider().restore(v1).size());
    int[] badList = v1.ints("lists").clone();
    badList[17] = 6;
    assertCorrupt(provider, replace(v1, "lists", badList), "in list 6");
    badList[17] = -1;
    assertCorrupt(provider, replace(v1, "lists", badList), "in list -1");
    assertCorrupt(provider, replace(v1, "lists", new int[3]), "list numbers");
    long[] duplicate = good.longs("ids").clone();
    duplicate[9] = duplicate[4];
    assertCorrupt(provider, replace(good, "ids", duplicate), "twice");
    float[] nan = good.floats("vectors").clone();
    nan[13] = Float.NaN;
    assertCorrupt(provider, replace(good, "vectors", nan), "finite");
    float[] infiniteCentroid = good.floats("centroids").clone();
    infiniteCentroid[2] = Float.POSITIVE_INFINITY;
    assertCorrupt(provider, replace(good, "centroids", infiniteCentroid), "finite");
    float[] notUnit = good.floats("vectors").clone();
    notUnit[0] *= 3;
    notUnit[1] *= 3;
    notUnit[2] *= 3;
    notUnit[3] *= 3;
    assertCorrupt(provider, replace(good, "vectors", notUnit), "unit");
    assertCorrupt(provider, replace(good, "ords", new long[300]), "expected int[]");
    assertCorrupt(provider, without(good, "ords"), "no array 'ords'");
    assertCorrupt(provider, without(v1, "lists"), "no array 'lists'");
    assertCorrupt(provider, withParameter(good, "nprobe", "0"), "nprobe");
    assertCorrupt(provider, withParameter(good, "bogus", "1"), "bogus");
  }

  @Test
  void aVersionOneSnapshotStillRestores() throws Exception {
    Random random = new Random(13);
    float[][] vectors = TestData.clustered(random, 1200, DIM, 8, 0.6);
    long[] ids = TestData.distinctIds(random, vectors.length);
    IvfFlatIndex original = IvfFlatIndex.builder(DIM, Metric.L2).nprobe(4).build(ids, vectors);
    for (int i = 0; i < 100; i++) {
      original.remove(ids[random.nextInt(ids.length)]);
    }
    Index restored = new IvfFlatIndexProvider().restore(versionOne(original.snapshot()));
    assertEquals(original.size(), restored.size());
    SearchParams all = SearchParams.builder().nprobe(original.nlist()).build();
    for (float[] query : TestData.gaussian(random, 20, DIM)) {
      assertEquals(original.search(query, 10), restored.search(query, 10));
      assertEquals(original.search(query, 10, all), restored.search(query, 10, all));
    }
    assertSameState(restored.snapshot(), new IvfFlatIndexProvider().restore(restored.snapshot()).snapshot());
  }

  @Test
  void restoreReadsTheVectorsInPlaceAndListsGrowOutOfThem() throws Exception {
    Random random = new Random(14);
    float[][] vectors = TestData.clustered(random, 3000, DIM, 8, 0.6);
    long[] ids = TestData.distinctIds(random, vectors.length);
    IndexSnapshot snapshot = IvfFlatIndex.builder(DIM, Metric.L2).build(ids, vectors).snapshot();
    IvfFlatIndex restored = (IvfFlatIndex) new IvfFlatIndexProvider().restore(snapshot);
    double layout = org.openjdk.jol.info.GraphLayout.parseInstance(restored).totalSize();
    assertEquals(1.0, restored.ramBytesUsed() / layout, 0.1, "ramBytesUsed of a restored index vs its heap");
    long nonEmpty = java.util.Arrays.stream(restored.listIds()).filter(list -> list.length > 0).count();
    float[] adopted = snapshot.floats("vectors");
    assertEquals(nonEmpty, restored.listsReading(adopted), "every non-empty list reads the adopted array");
    Map<Long, float[]> live = new java.util.HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      live.put(ids[i], vectors[i]);
    }
    for (int i = 0; i < 300; i++) { // removals and upserts move entries within the shared array's regions
      long id = ids[random.nextInt(ids.length)];
      if (random.nextBoolean()) {
        restored.remove(id);
        live.remove(id);
      } else {
        float[] moved = TestData.gaussian(random, 1, DIM)[0];
        restored.add(id, moved);
        live.put(id, moved);
      }
    }
    SearchParams all = SearchParams.builder().nprobe(restored.nlist()).build();
    assertAllFound(restored, live, all);
    float[] centroids = restored.centroids();
    // Copies of the centroids join their lists until every list has grown out of the adopted array.
    for (long round = 0; restored.listsReading(adopted) > 0; round++) {
      for (int l = 0; l < restored.nlist(); l++) {
        float[] centroid = java.util.Arrays.copyOfRange(centroids, l * DIM, (l + 1) * DIM);
        restored.add(1_000_000L + round * restored.nlist() + l, centroid);
        live.put(1_000_000L + round * restored.nlist() + l, centroid);
      }
    }
    layout = org.openjdk.jol.info.GraphLayout.parseInstance(restored).totalSize();
    assertEquals(1.0, restored.ramBytesUsed() / layout, 0.1, "after the lists grew");
    assertEquals(live.size(), restored.size());
    assertAllFound(restored, live, all);
  }

  @Test
  void theAdoptedArrayIsReleasedOnceLessThanHalfOfItIsInUse() throws Exception {
    Random random = new Random(15);
    float[][] vectors = TestData.clustered(random, 3000, DIM, 8, 0.6);
    long[] ids = TestData.distinctIds(random, vectors.length);
    IndexSnapshot snapshot = IvfFlatIndex.builder(DIM, Metric.L2).build(ids, vectors).snapshot();
    IvfFlatIndex restored = (IvfFlatIndex) new IvfFlatIndexProvider().restore(snapshot);
    float[] adopted = snapshot.floats("vectors");
    long[][] lists = restored.listIds();
    int reading = restored.listsReading(adopted);
    float[] centroids = restored.centroids();
    int grown = 0;
    long movedOut = 0;
    for (int l = 0; l < lists.length && restored.listsReading(adopted) > 0; l++) {
      if (lists[l].length > 0) { // a copy of the centroid joins the full list, which grows out
        restored.add(1_000_000L + l, java.util.Arrays.copyOfRange(centroids, l * DIM, (l + 1) * DIM));
        grown++;
        movedOut += lists[l].length;
      }
    }
    assertEquals(0, restored.listsReading(adopted));
    assertTrue(grown < reading, grown + " of " + reading + " lists grew before the array was released");
    assertTrue(2 * movedOut > vectors.length && 2 * (movedOut - lists[lastGrown(lists, grown)].length) <= vectors.length,
        "released when more than half had moved out: " + movedOut + " of " + vectors.length);
    double layout = org.openjdk.jol.info.GraphLayout.parseInstance(restored).totalSize();
    assertEquals(1.0, restored.ramBytesUsed() / layout, 0.1, "after the release");
    Map<Long, float[]> live = new java.util.HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      live.put(ids[i], vectors[i]);
    }
    assertAllFound(restored, live, SearchParams.builder().nprobe(restored.nlist()).build());
  }

  /** The index of the {@code grown}-th non-empty list. */
  private static int lastGrown(long[][] lists, int grown) {
    for (int l = 0, seen = 0; l < lists.length; l++) {
      if (lists[l].length > 0 && ++seen == grown) {
        return l;
      }
    }
    throw new AssertionError("fewer than " + grown + " non-empty lists");
  }

  /** Every id is among the hits at distance 0 for its own vector. */
  private static void assertAllFound(Index index, Map<Long, float[]> live, SearchParams exhaustive) {
    for (Map.Entry<Long, float[]> e : live.entrySet()) {
      // copies of one centroid tie at distance 0, so look past them
      List<SearchResult> hits = index.search(e.getValue(), 400, exhaustive);
      assertTrue(hits.stream().anyMatch(h -> h.id() == e.getKey() && h.distance() == 0),
          "id " + e.getKey() + " is found by its vector");
    }
  }

  /** The same state in layout version 1: vectors by ordinal and the list of each ordinal. */
  private static IndexSnapshot versionOne(IndexSnapshot v2) throws Exception {
    int n = v2.size();
    int dim = v2.dimension();
    float[] listMajor = v2.floats("vectors");
    int[] ords = v2.ints("ords");
    int[] sizes = v2.ints("listSizes");
    float[] byOrdinal = new float[n * dim];
    int[] listOfOrd = new int[n];
    for (int l = 0, entry = 0; l < sizes.length; l++) {
      for (int i = 0; i < sizes[l]; i++, entry++) {
        System.arraycopy(listMajor, entry * dim, byOrdinal, ords[entry] * dim, dim);
        listOfOrd[ords[entry]] = l;
      }
    }
    IndexSnapshot.Builder b = IndexSnapshot.builder(v2.algorithm(), 1, dim, v2.metric(), n);
    v2.parameters().forEach(b::parameter);
    v2.scalars().forEach(b::scalar);
    return b.floats("centroids", v2.floats("centroids")).longs("ids", v2.longs("ids"))
        .floats("vectors", byOrdinal).ints("lists", listOfOrd).build();
  }

  // ---------------------------------------------------------------- helpers

  private static void assertCorrupt(IvfFlatIndexProvider provider, IndexSnapshot snapshot, String expected) {
    CorruptIndexException e = assertThrows(CorruptIndexException.class, () -> provider.restore(snapshot));
    assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' should mention " + expected);
  }

  private static IndexSnapshot rebuild(IndexSnapshot from, String algorithm, int version, int size, Metric metric,
      UnaryOperator<IndexSnapshot.Builder> change) {
    IndexSnapshot.Builder b = IndexSnapshot.builder(algorithm, version, from.dimension(), metric, size);
    from.parameters().forEach(b::parameter);
    from.scalars().forEach(b::scalar);
    from.arrays().forEach(b::array);
    return change.apply(b).build();
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

  private static IndexSnapshot withParameter(IndexSnapshot from, String name, String value) {
    return rebuild(from, from.algorithm(), from.stateVersion(), from.size(), from.metric(), b -> b.parameter(name, value));
  }
}
