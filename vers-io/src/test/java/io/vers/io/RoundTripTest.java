package io.vers.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.Index;
import io.vers.api.IndexProvider;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.api.testkit.TestData;
import io.vers.flat.FlatIndex;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saving and loading preserves every index exactly, for every algorithm on the class path: the
 * properties iterate over {@link Indexes#available()}, so each algorithm module added to the test
 * class path is covered without a change here.
 */
class RoundTripTest {

  @Test
  void theAlgorithmsUnderTestIncludeFlat() {
    assertTrue(Indexes.available().contains("flat"), "available: " + Indexes.available());
  }

  @Property(tries = 50)
  void everyAlgorithmLoadsWithIdenticalResultsAndKeepsAcceptingWrites(
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 300) int operations,
      @ForAll @IntRange(min = 1, max = 24) int dim,
      @ForAll Metric metric) throws IOException {
    Path dir = Files.createTempDirectory("vers-io-roundtrip");
    try {
      for (String algorithm : Indexes.available()) {
        roundTrip(algorithm, new Random(seed), operations, dim, metric, dir.resolve(algorithm + ".vers"));
      }
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
  }

  private static void roundTrip(String algorithm, Random random, int operations, int dim, Metric metric, Path file)
      throws IOException {
    Index index = Indexes.create(algorithm, dim, metric);
    Model model = new Model(random, dim);
    model.apply(index, operations);

    IndexIO.save(index, file);
    String where = algorithm + " " + metric + " dim " + dim + " after " + operations + " operations";
    IndexFileHeader header = IndexIO.readHeader(file);
    assertEquals(List.of(algorithm, dim, metric, index.size(), Files.size(file)),
        List.of(header.algorithm(), header.dimension(), header.metric(), header.size(), header.fileBytes()), where);
    Index loaded = IndexIO.load(file);
    assertSameIndex(index, loaded, model, random, where);

    byte[] fileBytes = Files.readAllBytes(file);
    assertArrayEquals(fileBytes, TestFiles.bytesOf(index), where + ": stream and file saves differ");
    ByteArrayOutputStream copied = new ByteArrayOutputStream();
    IndexIO.saveSnapshot(index.snapshot(), copied);
    assertArrayEquals(fileBytes, copied.toByteArray(), where + ": saving in place and saving a copy differ");
    try (InputStream in = new ByteArrayInputStream(fileBytes)) {
      assertSameIndex(index, IndexIO.load(in), model, random, where + " (stream)");
    }
    try (InputStream in = new ByteArrayInputStream(TestFiles.bytesOf(loaded))) {
      assertSameIndex(index, IndexIO.load(in), model, random, where + " (saved again after loading)");
    }

    model.apply(loaded, 1 + operations / 3);
    model.check(loaded, metric, random, where + ", then written to after loading");
  }

  /** The loaded index answers every query exactly as the original. */
  private static void assertSameIndex(Index original, Index loaded, Model model, Random random, String where) {
    assertSame(original.getClass(), loaded.getClass(), where);
    assertEquals(original.algorithm(), loaded.algorithm(), where);
    assertEquals(original.dimension(), loaded.dimension(), where);
    assertEquals(original.metric(), loaded.metric(), where);
    assertEquals(original.size(), loaded.size(), where);
    assertEquals(original.parameters(), loaded.parameters(), where);
    for (long id : model.live.keySet()) {
      assertTrue(loaded.contains(id), where + ": lost id " + id);
    }
    for (long id : model.removed) {
      assertFalse(loaded.contains(id), where + ": removed id " + id + " is back");
    }
    List<SearchParams> settings = searchSettings(Indexes.provider(original.algorithm()));
    for (float[] query : model.queries(random, 6)) {
      for (int k : new int[] {1, 7, original.size() + 2}) {
        for (SearchParams params : settings) {
          assertEquals(original.search(query, k, params), loaded.search(query, k, params),
              where + ": k=" + k + " " + params);
        }
      }
    }
  }

  /** Default settings, a filter, and each of the provider's search knobs at a low and a high value. */
  private static List<SearchParams> searchSettings(IndexProvider provider) {
    List<SearchParams> settings = new ArrayList<>();
    settings.add(SearchParams.DEFAULT);
    settings.add(SearchParams.builder().filter(id -> Math.floorMod(id, 3) == 0).build());
    for (ParameterSpec knob : provider.searchParameters()) {
      int low = (int) Math.max(1, knob.min());
      int high = (int) Math.min(knob.max(), Math.max(low, 64));
      settings.add(SearchParams.builder().set(knob.name(), low).build());
      settings.add(SearchParams.builder().set(knob.name(), high).build());
    }
    return settings;
  }

  /** A random mix of adds, upserts, removes and batches, with the expected contents alongside. */
  private static final class Model {
    final Random random;
    final int dim;
    final Map<Long, float[]> live = new LinkedHashMap<>();
    final List<Long> liveIds = new ArrayList<>();
    final Set<Long> removed = new HashSet<>();

    Model(Random random, int dim) {
      this.random = random;
      this.dim = dim;
    }

    void apply(Index index, int operations) {
      for (int i = 0; i < operations; i++) {
        int op = random.nextInt(20);
        if (op < 10 || liveIds.isEmpty()) {
          put(index, newId(), vector());
        } else if (op < 13) {
          put(index, liveIds.get(random.nextInt(liveIds.size())), vector());
        } else if (op < 17) {
          long id = liveIds.get(random.nextInt(liveIds.size()));
          assertTrue(index.remove(id), "remove of live id " + id);
          forget(id);
        } else if (op < 18) {
          long absent = newId();
          if (!live.containsKey(absent)) {
            assertFalse(index.remove(absent), "remove of absent id " + absent);
          }
        } else {
          int n = 1 + random.nextInt(20);
          long[] ids = new long[n];
          float[][] vectors = new float[n][];
          for (int j = 0; j < n; j++) {
            ids[j] = j > 0 && random.nextInt(8) == 0 ? ids[j - 1] : newId();
            vectors[j] = vector();
          }
          index.addAll(ids, vectors);
          for (int j = 0; j < n; j++) {
            record(ids[j], vectors[j]);
          }
        }
      }
      assertEquals(live.size(), index.size(), "size after the operations");
    }

    private void put(Index index, long id, float[] vector) {
      index.add(id, vector);
      record(id, vector);
    }

    private void record(long id, float[] vector) {
      if (live.put(id, vector) == null) {
        liveIds.add(id);
      }
      removed.remove(id);
    }

    private void forget(long id) {
      live.remove(id);
      int at = liveIds.indexOf(id);
      liveIds.set(at, liveIds.get(liveIds.size() - 1));
      liveIds.remove(liveIds.size() - 1);
      removed.add(id);
    }

    private long newId() {
      return random.nextInt(4) == 0 ? random.nextInt(200) - 100 : random.nextLong();
    }

    private float[] vector() {
      return TestData.gaussian(random, 1, dim)[0];
    }

    /** Random queries and some stored vectors. */
    List<float[]> queries(Random r, int count) {
      List<float[]> queries = new ArrayList<>(List.of(TestData.gaussian(r, count, dim)));
      for (int i = 0; i < 2 && !liveIds.isEmpty(); i++) {
        queries.add(live.get(liveIds.get(r.nextInt(liveIds.size()))));
      }
      return queries;
    }

    /** The index holds exactly the model's contents and answers with true distances. */
    void check(Index index, Metric metric, Random r, String where) {
      assertEquals(live.size(), index.size(), where);
      for (long id : liveIds) {
        assertTrue(index.contains(id), where + ": lost id " + id);
      }
      for (long id : removed) {
        assertFalse(index.contains(id), where + ": removed id " + id + " is present");
      }
      for (float[] query : queries(r, 4)) {
        int k = 10;
        List<SearchResult> results = index.search(query, k);
        assertEquals(Math.min(k, live.size()), results.size(), where + ": result count");
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < results.size(); i++) {
          SearchResult hit = results.get(i);
          assertTrue(seen.add(hit.id()), where + ": duplicate " + hit.id());
          float[] vector = live.get(hit.id());
          assertNotNull(vector, where + ": returned id " + hit.id() + " is not stored");
          assertTrue(TestData.close(TestData.distance(metric, query, vector), hit.distance()),
              where + ": wrong distance for " + hit);
          assertTrue(i == 0 || results.get(i - 1).distance() <= hit.distance(), where + ": unsorted " + results);
        }
      }
    }
  }

  // ---------------------------------------------------------------- examples

  @Test
  void everyAlgorithmRoundTripsWhenEmpty(@TempDir Path dir) throws IOException {
    for (String algorithm : Indexes.available()) {
      Index empty = Indexes.create(algorithm, 5, Metric.COSINE);
      Path file = dir.resolve(algorithm + ".vers");
      IndexIO.save(empty, file);
      Index loaded = IndexIO.load(file);
      assertEquals(0, loaded.size(), algorithm);
      assertTrue(loaded.search(new float[] {1, 2, 3, 4, 5}, 3).isEmpty(), algorithm);
      loaded.add(9, new float[] {1, 0, 0, 0, 0});
      assertEquals(9, loaded.search(new float[] {1, 0.1f, 0, 0, 0}, 1).get(0).id(), algorithm);
    }
  }

  @Test
  void typedLoadReturnsTheIndexClassOrSaysWhatTheFileHolds(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("flat.vers");
    IndexIO.save(TestFiles.smallFlat(10, 3, 1), file);
    FlatIndex flat = IndexIO.load(file, FlatIndex.class);
    assertEquals(10, flat.size());
    try (InputStream in = Files.newInputStream(file)) {
      assertEquals(10, IndexIO.load(in, FlatIndex.class).size());
    }
    ClassCastException e = assertThrows(ClassCastException.class, () -> IndexIO.load(file, OtherIndex.class));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("'flat'")
        && e.getMessage().contains(OtherIndex.class.getName()), e.getMessage());
  }

  /** An index type no file holds. */
  interface OtherIndex extends Index {}
}
