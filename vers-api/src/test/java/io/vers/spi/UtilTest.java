package io.vers.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.SearchResult;
import io.vers.api.SnapshotArray;
import io.vers.api.testkit.SnapshotAssertions;
import io.vers.spi.storage.VectorStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class UtilTest {
  @Property(tries = 200)
  void boundedMaxQueueKeepsTheKSmallest(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int n, @ForAll @IntRange(min = 1, max = 50) int k) {
    Random random = new Random(seed);
    NeighborQueue queue = new NeighborQueue(4, true);
    List<Float> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float d = (float) random.nextGaussian() * 100;
      all.add(d);
      queue.insertWithOverflow(i, d, k);
    }
    Collections.sort(all);
    List<SearchResult> results = queue.drainToResults(ord -> ord);
    assertEquals(Math.min(k, n), results.size());
    for (int i = 0; i < results.size(); i++) {
      assertEquals(all.get(i), results.get(i).distance());
    }
  }

  @Property(tries = 200)
  void minQueuePopsInOrder(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int n) {
    Random random = new Random(seed);
    NeighborQueue queue = new NeighborQueue(1, false);
    for (int i = 0; i < n; i++) {
      queue.add(i, random.nextFloat() * 2 - 1);
    }
    float last = Float.NEGATIVE_INFINITY;
    while (!queue.isEmpty()) {
      float d = queue.topDistance();
      queue.pop();
      assertTrue(d >= last);
      last = d;
    }
  }

  @Test
  void encodingRoundTripsAndOrders() {
    float[] values = {-1e30f, -2f, -0f, 0f, 1e-30f, 3.5f, Float.MAX_VALUE};
    for (int i = 0; i < values.length; i++) {
      long e = NeighborQueue.encode(values[i], 77);
      assertEquals(values[i], NeighborQueue.decodeDistance(e));
      assertEquals(77, NeighborQueue.decodeOrdinal(e));
      if (i > 0) {
        assertTrue(NeighborQueue.encode(values[i - 1], 5) < e);
      }
    }
  }

  @Test
  void visitedSetClearsByEpochAndGrows() {
    VisitedSet set = new VisitedSet(4);
    assertTrue(set.visit(3));
    assertFalse(set.visit(3));
    set.clear(4);
    assertTrue(set.visit(3));
    assertTrue(set.visit(100));
    assertTrue(set.isVisited(100));
    assertFalse(set.isVisited(1000));
  }

  @Test
  void vectorStorePagesKeepVectorsIntact() {
    int dim = 3000; // about 1,398 vectors per page
    VectorStore store = new VectorStore(dim);
    Random random = new Random(5);
    List<float[]> written = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      float[] v = new float[dim];
      v[random.nextInt(dim)] = i;
      v[0] = i;
      written.add(v);
      assertEquals(i, store.append(v));
    }
    for (int i = 0; i < written.size(); i++) {
      assertArrayEquals(written.get(i), store.get(i));
    }
    store.move(2999, 0);
    assertArrayEquals(written.get(2999), store.get(0));
    store.truncate(2999);
    assertEquals(2999, store.size());
    float[] flat = (float[]) store.view(2999).toArray();
    SnapshotAssertions.assertReadsInPieces(SnapshotArray.of(flat), store.view(2999), random, "vectors");
    VectorStore copy = VectorStore.fromArray(dim, flat, 2999);
    for (int i = 0; i < 2999; i++) {
      assertArrayEquals(store.get(i), copy.get(i));
    }
    assertEquals(2999, copy.append(written.get(5)));
    assertArrayEquals(written.get(5), copy.get(2999));
  }

  @Test
  void vectorStoreAppendsRowsOfALargerArray() {
    VectorStore store = new VectorStore(3);
    float[] rows = {1, 2, 3, 4, 5, 6, 7};
    assertEquals(0, store.append(rows, 3));
    assertEquals(1, store.append(rows, 0));
    assertArrayEquals(new float[] {4, 5, 6}, store.get(0));
    assertArrayEquals(new float[] {1, 2, 3}, store.get(1));
    assertThrows(IndexOutOfBoundsException.class, () -> store.append(rows, 5));
    assertThrows(IndexOutOfBoundsException.class, () -> store.append(rows, -1));
    assertEquals(2, store.size());
  }

  @Test
  void idMapTracksBothDirections() {
    IdMap map = new IdMap(1);
    assertEquals(-1, map.put(Long.MIN_VALUE, 0));
    assertEquals(-1, map.put(0, 1));
    assertEquals(1, map.put(0, 7));
    assertEquals(7, map.get(0));
    assertEquals(0, map.idOf(7));
    assertEquals(Long.MIN_VALUE, map.idOf(0));
    assertEquals(7, map.remove(0));
    assertEquals(-1, map.remove(0));
    assertFalse(map.contains(0));
    assertEquals(1, map.size());
  }
}
