package io.vers.hnsw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.SnapshotArray;
import io.vers.api.testkit.SnapshotAssertions;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HnswGraphTest {
  @Test
  void theLevel0ViewHoldsCountsNeighboursAndZerosAcrossTheBaseAndThePages() {
    Random random = new Random(7);
    for (int m : new int[] {2, 3, 16}) {
      int stride = 1 + 2 * m;
      int baseNodes = 700;
      int nodes = 3000;
      int[] base = new int[baseNodes * stride];
      for (int node = 0; node < baseNodes; node++) {
        base[node * stride] = random.nextInt(2 * m + 1);
        for (int i = 1; i < stride; i++) {
          base[node * stride + i] = random.nextInt(nodes); // slots past the count hold leftovers
        }
      }
      HnswGraph graph = new HnswGraph(m, base, baseNodes);
      graph.ensureCapacity(nodes);
      for (int node = 0; node < nodes; node++) {
        if (node < baseNodes) {
          graph.initBaseNode(node, 0, false);
        } else {
          graph.initNode(node, 0, false);
        }
        int[] longer = random.ints(2 * m, 0, nodes).toArray();
        graph.setNeighbors(node, 0, longer, random.nextInt(2 * m + 1));
        graph.setNeighbors(node, 0, longer, random.nextInt(2 * m + 1)); // shrinks some lists
        if (random.nextInt(10) == 0) {
          graph.clearNode(node);
        }
      }
      graph.setSize(nodes);
      int[] expected = new int[nodes * stride];
      int[] buffer = new int[2 * m];
      for (int node = 0; node < nodes; node++) {
        int count = graph.copyNeighbors(node, 0, buffer);
        expected[node * stride] = count;
        System.arraycopy(buffer, 0, expected, node * stride + 1, count);
      }
      SnapshotAssertions.assertReadsInPieces(SnapshotArray.of(expected), graph.level0View(nodes), random, "m=" + m);
      assertArrayEquals(expected, (int[]) graph.level0View(nodes).toArray());
    }
  }

  @Test
  void listsGrowAcrossPagesAndKeepTheirContents() {
    HnswGraph graph = new HnswGraph(4);
    int nodes = 5000;
    graph.ensureCapacity(nodes);
    for (int node = 0; node < nodes; node++) {
      graph.initNode(node, node % 3, false);
      graph.setNeighbors(node, 0, new int[] {node, node + 1, node + 2}, 3);
      for (int level = 1; level <= node % 3; level++) {
        graph.appendNeighbor(node, level, level);
      }
    }
    graph.setSize(nodes);
    int[] buffer = new int[8];
    for (int node = 0; node < nodes; node++) {
      assertEquals(3, graph.copyNeighbors(node, 0, buffer));
      assertArrayEquals(new int[] {node, node + 1, node + 2}, Arrays.copyOf(buffer, 3));
      assertEquals(node % 3, graph.level(node));
      for (int level = 1; level <= node % 3; level++) {
        assertEquals(1, graph.copyNeighbors(node, level, buffer));
        assertEquals(level, buffer[0]);
      }
    }
  }

  @Test
  void tombstoneBitsAreIndependentUnderConcurrentUpdates() throws Exception {
    HnswGraph graph = new HnswGraph(2);
    int nodes = 20000;
    graph.ensureCapacity(nodes);
    Thread even = new Thread(() -> {
      for (int node = 0; node < nodes; node += 2) {
        graph.setDeleted(node, true);
      }
    });
    Thread odd = new Thread(() -> {
      for (int node = 1; node < nodes; node += 2) {
        graph.setDeleted(node, true);
        graph.setDeleted(node, false);
      }
    });
    even.start();
    odd.start();
    even.join();
    odd.join();
    for (int node = 0; node < nodes; node++) {
      assertEquals(node % 2 == 0, graph.isDeleted(node), "node " + node);
    }
  }

  @Test
  void anAdoptedBaseSegmentIsReadAndGrownBeyond() {
    int m = 2;
    int stride = 1 + 2 * m;
    int[] base = new int[3 * stride];
    base[0] = 2;
    base[1] = 1;
    base[2] = 2;
    base[2 * stride] = 1;
    base[2 * stride + 1] = 0;
    HnswGraph graph = new HnswGraph(m, base, 3);
    for (int node = 0; node < 3; node++) {
      graph.initBaseNode(node, 0, node == 1);
    }
    // Grow one node at a time, as insertions do, across many page boundaries of every structure.
    for (int node = 3; node < 20000; node++) {
      graph.ensureCapacity(node + 1);
      graph.initNode(node, node % 2, node % 7 == 0);
      graph.appendNeighbor(node, 0, node - 1);
    }
    graph.setSize(20000);
    for (int node = 3; node < 20000; node++) {
      assertEquals(1, graph.copyNeighbors(node, 0, new int[4]));
      assertEquals(node % 2, graph.level(node));
      assertEquals(node % 7 == 0, graph.isDeleted(node));
    }
    int[] buffer = new int[4];
    assertEquals(2, graph.copyNeighbors(0, 0, buffer));
    assertArrayEquals(new int[] {1, 2}, Arrays.copyOf(buffer, 2));
    assertEquals(0, graph.copyNeighbors(1, 0, buffer));
    assertTrue(graph.isDeleted(1));
    assertFalse(graph.isDeleted(2));
    assertEquals(1, graph.copyNeighbors(9999, 0, buffer));
    assertEquals(9998, buffer[0]);
    graph.clearNode(0);
    assertEquals(0, graph.copyNeighbors(0, 0, buffer));
  }

  /** A reader never sees a mix of two lists, however often a writer swaps them. */
  @Test
  void readersSeeWholeListsWhileAWriterRewritesThem() throws Exception {
    int m = 8;
    HnswGraph graph = new HnswGraph(m);
    graph.ensureCapacity(1);
    graph.initNode(0, 1, false);
    graph.setSize(1);
    int[] a = new int[2 * m];
    int[] b = new int[2 * m];
    for (int i = 0; i < 2 * m; i++) {
      a[i] = i;
      b[i] = 1000 + i;
    }
    AtomicBoolean stop = new AtomicBoolean();
    List<String> failures = new CopyOnWriteArrayList<>();
    Thread writer = new Thread(() -> {
      for (int round = 0; !stop.get(); round++) {
        synchronized (graph.lock(0)) {
          boolean first = (round & 1) == 0;
          graph.setNeighbors(0, 0, first ? a : b, first ? 2 * m : m + 3);
          graph.setNeighbors(0, 1, first ? a : b, first ? m : 5);
        }
      }
    });
    Runnable reader = () -> {
      int[] buffer = new int[2 * m];
      for (int i = 0; i < 200_000 && failures.isEmpty(); i++) {
        int level = i & 1;
        int count = graph.copyNeighbors(0, level, buffer);
        boolean ofA = count == 0 || buffer[0] == 0;
        int[] source = ofA ? a : b;
        int expected = level == 0 ? (ofA ? 2 * m : m + 3) : (ofA ? m : 5);
        if (count != 0 && (count != expected || !Arrays.equals(buffer, 0, count, source, 0, count))) {
          failures.add("level " + level + " read " + Arrays.toString(Arrays.copyOf(buffer, count)));
        }
      }
    };
    Thread r1 = new Thread(reader);
    Thread r2 = new Thread(reader);
    writer.start();
    r1.start();
    r2.start();
    r1.join();
    r2.join();
    stop.set(true);
    writer.join();
    assertTrue(failures.isEmpty(), failures.isEmpty() ? "" : failures.get(0));
  }
}
