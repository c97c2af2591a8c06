package io.vers.hnsw;

import io.vers.spi.IdMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The life of node ordinals: allocation (reusing freed ordinals first), tombstones awaiting repair, and
 * ordinals freed after a repair once no search can still reach them. One lock guards allocation and
 * both lists; the counters are read without it.
 */
final class NodeSlots {
  private final IdMap ids;
  private final HnswGraph graph;
  private final Object lock = new Object();
  private final IntList tombstones;
  private final IntList free;
  private final AtomicInteger tombstoneCount;
  /** Nodes whose tombstone bit is set: tombstones, and ordinals awaiting reuse. */
  private final AtomicInteger deletedNodes;

  NodeSlots(IdMap ids, HnswGraph graph, IntList tombstones, IntList free) {
    this.ids = ids;
    this.graph = graph;
    this.tombstones = tombstones;
    this.free = free;
    this.tombstoneCount = new AtomicInteger(tombstones.size());
    this.deletedNodes = new AtomicInteger(tombstones.size() + free.size());
  }

  /**
   * A node for {@code id}, its vector stored in {@code vectors}: a free ordinal if there is one, else a
   * new one; mapped before it is visible.
   */
  int allocate(long id, float[] vector, int level, HnswVectors vectors) {
    synchronized (lock) {
      if (free.size() > 0) {
        int node = free.pop();
        vectors.set(node, vector);
        graph.initNode(node, level, true);
        ids.put(id, node);
        graph.setDeleted(node, false);
        deletedNodes.decrementAndGet();
        return node;
      }
      int node = vectors.append(vector);
      graph.ensureCapacity(node + 1);
      graph.initNode(node, level, false);
      ids.put(id, node);
      graph.setSize(node + 1);
      return node;
    }
  }

  /** Marks {@code node} deleted: searches walk through it but never return it. */
  void tombstone(int node) {
    graph.setDeleted(node, true);
    deletedNodes.incrementAndGet();
    synchronized (lock) {
      tombstones.add(node);
    }
    tombstoneCount.incrementAndGet();
  }

  /** Takes every tombstone for a repair that has just unlinked them. */
  int[] takeTombstones() {
    synchronized (lock) {
      int[] unlinked = tombstones.toArray();
      tombstones.clear();
      tombstoneCount.set(0);
      return unlinked;
    }
  }

  /** Clears repaired tombstones and makes their ordinals available; no search may still reach them. */
  void release(int[] unlinked) {
    synchronized (lock) {
      for (int node : unlinked) {
        graph.clearNode(node);
        free.add(node);
      }
    }
  }

  /** Runs {@code action} while no node is allocated or tombstoned. */
  <T> T whileStill(Supplier<T> action) {
    synchronized (lock) {
      return action.get();
    }
  }

  /** {@return nodes whose tombstone bit is set, a counter searches read} */
  AtomicInteger deletedNodes() {
    return deletedNodes;
  }

  /** {@return tombstones not yet repaired away} */
  int tombstoneCount() {
    return tombstoneCount.get();
  }

  /** {@return ordinals free for reuse} */
  int freeCount() {
    synchronized (lock) {
      return free.size();
    }
  }

  long ramBytesUsed() {
    synchronized (lock) {
      return tombstones.ramBytesUsed() + free.ramBytesUsed() + 64;
    }
  }
}
