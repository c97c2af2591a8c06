package io.vers.hnsw;

import static io.vers.api.testkit.SnapshotAssertions.assertSameState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
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
import io.vers.api.SnapshotArray;
import io.vers.api.testkit.TestData;
import io.vers.spi.RamUsage;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class HnswSnapshotsTest {
  private static final IndexProvider PROVIDER = Indexes.provider("hnsw");
  private static final int DIM = 12;

  /** An index with upper levels, tombstones and upserted ids. */
  private static HnswIndex sample(long seed) {
    Random random = new Random(seed);
    float[][] vectors = TestData.clustered(random, 2000, DIM, 12, 0.5);
    long[] ids = TestData.distinctIds(random, vectors.length);
    HnswIndex index = HnswIndex.builder(DIM, Metric.COSINE).m(6).efConstruction(40).seed(seed).build();
    index.addAll(ids, vectors, AddOptions.threads(2));
    for (int i = 0; i < 200; i++) {
      index.remove(ids[i]);
    }
    for (int i = 200; i < 300; i++) {
      index.add(ids[i], TestData.gaussian(random, 1, DIM)[0]);
    }
    return index;
  }

  @Test
  void aRestoredIndexAnswersExactlyAsTheOriginal() throws Exception {
    HnswIndex original = sample(1);
    assertTrue(original.tombstoneCount() > 0);
    Index restored = PROVIDER.restore(original.snapshot());
    assertEquals(original.size(), restored.size());
    assertEquals(original.parameters(), restored.parameters());
    assertTrue(restored.ramBytesUsed() <= original.ramBytesUsed(), "a restored index has no spare capacity");
    Random random = new Random(9);
    for (float[] q : TestData.gaussian(random, 50, DIM)) {
      assertEquals(original.search(q, 10), restored.search(q, 10));
      SearchParams wide = SearchParams.builder().ef(150).build();
      assertEquals(original.search(q, 25, wide), restored.search(q, 25, wide));
      SearchParams filtered = SearchParams.builder().filter(id -> (id & 3) == 1).build();
      assertEquals(original.search(q, 10, filtered), restored.search(q, 10, filtered));
    }
    // A snapshot of the restored index restores to the same state again.
    assertSameState(restored.snapshot(), PROVIDER.restore(restored.snapshot()).snapshot());
  }

  @Test
  void insertionsAfterARestoreContinueTheSameLevelSequence() throws Exception {
    Random random = new Random(4);
    float[][] vectors = TestData.gaussian(random, 1200, DIM);
    long[] ids = TestData.distinctIds(random, vectors.length);
    HnswIndex original = HnswIndex.builder(DIM, Metric.L2).m(5).efConstruction(30).seed(Long.MAX_VALUE - 3).build();
    original.addAll(java.util.Arrays.copyOf(ids, 1000), java.util.Arrays.copyOf(vectors, 1000));
    HnswIndex restored = (HnswIndex) PROVIDER.restore(original.snapshot());
    for (int i = 1000; i < 1200; i++) {
      original.add(ids[i], vectors[i]);
      restored.add(ids[i], vectors[i]);
    }
    IndexSnapshot b = restored.snapshot();
    assertSameState(original.snapshot(), b);
    assertEquals(Long.MAX_VALUE - 3, b.scalars().get("seed"), "the seed survives exactly");
  }

  @Test
  void restoringAdoptsTheLargeArraysAndNeedsLittleExtraHeap() throws Exception {
    Random random = new Random(6);
    int dim = 16;
    float[][] vectors = TestData.gaussian(random, 6000, dim);
    HnswIndex original = HnswIndex.builder(dim, Metric.L2).efConstruction(32).build();
    original.addAll(TestData.distinctIds(random, vectors.length), vectors, AddOptions.threads(2));
    IndexSnapshot snapshot = original.snapshot();
    HnswIndex restored = (HnswIndex) PROVIDER.restore(snapshot);
    assertSame(snapshot.floats("vectors"), restored.vectors().floats().page(0), "vectors adopted");
    long copied = 0;
    for (Map.Entry<String, SnapshotArray> array : snapshot.arrays().entrySet()) {
      if (!array.getKey().equals("vectors") && !array.getKey().equals("links0")) {
        copied += bytes(array.getValue().toArray());
      }
    }
    // Peak heap while loading: the snapshot's arrays that were not adopted, plus the new index.
    double peak = (copied + restored.ramBytesUsed()) / (double) restored.ramBytesUsed();
    assertTrue(peak < 1.5, "loading peaks at " + peak + " times the index (dimension 16, m 16)");
    double measured = org.openjdk.jol.info.GraphLayout.parseInstance(restored).totalSize();
    assertEquals(1.0, restored.ramBytesUsed() / measured, 0.1, "ramBytesUsed of a restored index vs its heap");
  }

  @Test
  void withSnapshotReadsTheLargeArraysInPlace() {
    HnswIndex index = sample(3);
    List<String> viewed = index.withSnapshot(s -> s.arrays().entrySet().stream().filter(e -> e.getValue().isView())
        .map(Map.Entry::getKey).sorted().toList());
    assertEquals(List.of("ids", "links0", "vectors"), viewed, "the arrays read in place");
    assertTrue(index.snapshot().arrays().values().stream().noneMatch(SnapshotArray::isView));
  }

  private static long bytes(Object array) {
    if (array instanceof int[]) {
      return RamUsage.sizeOf((int[]) array);
    } else if (array instanceof long[]) {
      return RamUsage.sizeOf((long[]) array);
    } else if (array instanceof float[]) {
      return RamUsage.sizeOf((float[]) array);
    }
    return RamUsage.sizeOf((byte[]) array);
  }

  // ---------------------------------------------------------------- corrupt input

  @Test
  void restoreRejectsEveryKindOfCorruption() {
    HnswIndex index = sample(2);
    int m = 6;
    int stride0 = 1 + 2 * m;
    List<Case> cases = List.of(
        new Case("a link ordinal past the last node", s -> links0(s)[1] = (int) nodes(s)),
        new Case("a negative link ordinal", s -> links0(s)[stride0 * 3 + 1] = -1),
        new Case("a self link", s -> links0(s)[stride0 * 5 + 1] = 5),
        new Case("too many neighbours", s -> links0(s)[0] = 2 * m + 1),
        new Case("a negative count", s -> links0(s)[0] = -1),
        new Case("an upper link to a node without that level", s -> {
          byte[] levels = (byte[]) s.arrays.get("levels");
          int[] links = (int[]) s.arrays.get("links");
          int low = 0;
          while (levels[low] != 0) {
            low++;
          }
          int count = links[0];
          assertTrue(count > 0, "sample must have upper links");
          links[1] = low;
        }),
        new Case("an upper link count above m", s -> ((int[]) s.arrays.get("links"))[0] = m + 1),
        new Case("a level above the cap", s -> ((byte[]) s.arrays.get("levels"))[0] = 100),
        new Case("a negative level", s -> ((byte[]) s.arrays.get("levels"))[0] = -1),
        new Case("levels that do not match the upper links", s -> {
          byte[] levels = (byte[]) s.arrays.get("levels");
          int i = 0;
          while (levels[i] != 0) {
            i++;
          }
          levels[i] = 1;
        }),
        new Case("a short vector array", s -> s.arrays.put("vectors", new float[s.floats("vectors").length - 1])),
        new Case("a short links0 array", s -> s.arrays.put("links0", new int[links0(s).length - 1])),
        new Case("a short id array", s -> s.arrays.put("ids", new long[(int) nodes(s) - 1])),
        new Case("a NaN in a vector", s -> s.floats("vectors")[7] = Float.NaN),
        new Case("an entry point outside the graph", s -> s.scalars.put("entryNode", nodes(s))),
        new Case("an entry level that is not its node's", s -> s.scalars.put("entryLevel",
            s.scalars.get("entryLevel") + 1)),
        new Case("no entry point for live nodes", s -> {
          s.scalars.put("entryNode", -1L);
          s.scalars.put("entryLevel", -1L);
        }),
        new Case("a node count that does not match the arrays", s -> s.scalars.put("nodes", nodes(s) + 1)),
        new Case("a negative level draw count", s -> s.scalars.put("levelDraws", -5L)),
        new Case("a size that does not match the tombstones", s -> s.size++),
        new Case("tombstones out of order", s -> {
          int[] deleted = (int[]) s.arrays.get("deleted");
          int t = deleted[0];
          deleted[0] = deleted[1];
          deleted[1] = t;
        }),
        new Case("a tombstone outside the graph", s -> {
          int[] deleted = (int[]) s.arrays.get("deleted");
          deleted[deleted.length - 1] = (int) nodes(s);
        }),
        new Case("a live id stored twice", s -> {
          long[] ids = (long[]) s.arrays.get("ids");
          int[] deleted = (int[]) s.arrays.get("deleted");
          int a = firstLive(deleted, 0);
          int b = firstLive(deleted, a + 1);
          ids[b] = ids[a];
        }),
        new Case("an invalid parameter", s -> s.parameters.put("m", "0")),
        new Case("an unknown parameter", s -> s.parameters.put("lanes", "3")),
        new Case("a missing array", s -> s.arrays.remove("links")),
        new Case("an array of the wrong type", s -> s.arrays.put("levels", new int[(int) nodes(s)])),
        new Case("a missing scalar", s -> s.scalars.remove("seed")),
        new Case("another algorithm's state", s -> s.algorithm = "flat"),
        new Case("a newer state version", s -> s.version = HnswIndex.STATE_VERSION + 1));
    for (Case c : cases) {
      Editable editable = new Editable(index.snapshot());
      c.corruption.accept(editable);
      CorruptIndexException e = assertThrows(CorruptIndexException.class, () -> PROVIDER.restore(editable.build()),
          "accepted " + c.what);
      assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), c.what);
    }
    // The untouched snapshot restores: every failure above came from its corruption.
    assertEquals(index.size(), assertDoesNotThrow(() -> PROVIDER.restore(index.snapshot())).size());
  }

  private static Index assertDoesNotThrow(ThrowingSupplier supplier) {
    try {
      return supplier.get();
    } catch (CorruptIndexException e) {
      throw new AssertionError("a valid snapshot was rejected", e);
    }
  }

  private interface ThrowingSupplier {
    Index get() throws CorruptIndexException;
  }

  private static int firstLive(int[] deleted, int from) {
    int node = from;
    while (java.util.Arrays.binarySearch(deleted, node) >= 0) {
      node++;
    }
    return node;
  }

  private static int[] links0(Editable s) {
    return (int[]) s.arrays.get("links0");
  }

  private static long nodes(Editable s) {
    return s.scalars.get("nodes");
  }

  private record Case(String what, Consumer<Editable> corruption) {}

  /** A snapshot taken apart for editing: fresh copies of its arrays, maps and header. */
  static final class Editable {
    String algorithm;
    int version;
    int dimension;
    Metric metric;
    int size;
    final Map<String, String> parameters;
    final Map<String, Long> scalars;
    final Map<String, Object> arrays = new java.util.LinkedHashMap<>();

    Editable(IndexSnapshot s) {
      algorithm = s.algorithm();
      version = s.stateVersion();
      dimension = s.dimension();
      metric = s.metric();
      size = s.size();
      parameters = new java.util.LinkedHashMap<>(s.parameters());
      scalars = new java.util.LinkedHashMap<>(s.scalars());
      s.arrays().forEach((name, array) -> arrays.put(name, copy(array.toArray())));
    }

    float[] floats(String name) {
      return (float[]) arrays.get(name);
    }

    private static Object copy(Object array) {
      if (array instanceof int[]) {
        return ((int[]) array).clone();
      } else if (array instanceof long[]) {
        return ((long[]) array).clone();
      } else if (array instanceof float[]) {
        return ((float[]) array).clone();
      }
      return ((byte[]) array).clone();
    }

    IndexSnapshot build() {
      IndexSnapshot.Builder b = IndexSnapshot.builder(algorithm, version, dimension, metric, size);
      parameters.forEach(b::parameter);
      scalars.forEach(b::scalar);
      arrays.forEach(b::array);
      return b.build();
    }
  }
}
