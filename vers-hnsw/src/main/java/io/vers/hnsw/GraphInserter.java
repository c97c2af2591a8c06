package io.vers.hnsw;

import static io.vers.spi.NeighborQueue.encode;

import java.util.Arrays;

/**
 * Links a new node into the graph as the paper's insertion (Algorithm 1) does: greedy descent through
 * the levels above the node's level; then, on each level from there down to 0, a layer search with
 * {@code efConstruction} candidates seeded with the previous level's whole result set, the selection
 * heuristic picking {@code m} neighbours, and links back from each neighbour; a neighbour whose list
 * overflows ({@code 2m} on level 0, {@code m} above) is re-pruned with the same heuristic, topped up
 * (with {@code keepPrunedConnections}) to {@code m / 2} below its capacity. Tombstones
 * guide the search but are never chosen, and are the first links a re-pruned list drops.
 *
 * <h2>Concurrency</h2>
 * Any number of insertions run at once. Each neighbour list is changed under its node's striped lock,
 * one lock at a time, so insertions cannot deadlock; readers are never blocked (see
 * {@link HnswGraph}). An insertion whose node rises above the current top level holds the entry lock
 * throughout, so the entry point only ever moves to a fully linked node.
 */
final class GraphInserter {
  private final HnswGraph graph;
  private final NodeDistance distance;
  private final HnswConfig config;
  private final GraphSearcher searcher;
  private final NeighborSelector selector;
  private final Object entryLock = new Object();

  GraphInserter(HnswGraph graph, NodeDistance distance, HnswConfig config, GraphSearcher searcher,
      NeighborSelector selector) {
    this.graph = graph;
    this.distance = distance;
    this.config = config;
    this.searcher = searcher;
    this.selector = selector;
  }

  /**
   * Links {@code node}, whose vector {@code stored} (stored form) is already stored and whose lists are
   * empty up to {@code level}.
   *
   * @param replaced the node this one replaces (about to become a tombstone, so never chosen as a
   *     neighbour), or -1
   * @param tombstones whether the graph may hold tombstones
   */
  void insert(int node, float[] stored, int level, int replaced, boolean tombstones, SearchScratch scratch) {
    float[] vector = distance.query(stored, scratch);
    long entry = graph.entry();
    if (entry == HnswGraph.NO_ENTRY || level > HnswGraph.entryLevel(entry)) {
      synchronized (entryLock) {
        entry = graph.entry();
        if (entry == HnswGraph.NO_ENTRY) {
          graph.setEntry(node, level);
          return;
        }
        if (level > HnswGraph.entryLevel(entry)) {
          link(node, vector, level, replaced, tombstones, entry, scratch);
          graph.setEntry(node, level);
          return;
        }
      }
    }
    link(node, vector, level, replaced, tombstones, entry, scratch);
  }

  private void link(int node, float[] vector, int level, int replaced, boolean tombstones, long entry,
      SearchScratch scratch) {
    int top = HnswGraph.entryLevel(entry);
    long start = searcher.descend(vector, entry, level, scratch);
    scratch.setSeed(start);
    boolean everyNodeCounts = replaced < 0 && !tombstones;
    for (int l = Math.min(level, top); l >= 0; l--) {
      scratch.visited.clear(graph.size());
      scratch.visited.visit(node);
      int found;
      if (everyNodeCounts) {
        found = searcher.searchBeam(vector, l, config.efConstruction(), scratch);
      } else {
        searcher.searchLayer(vector, l, config.efConstruction(), scratch, true, replaced, null, Long.MAX_VALUE);
        found = scratch.drainResultsSorted();
      }
      if (found == 0) {
        continue;
      }
      int chosen = selector.select(scratch.sorted, found, config.m(), config.m(), scratch.selected,
          scratch.discarded(found), scratch.distances, scratch);
      connect(node, l, chosen, scratch);
      scratch.setSeeds(scratch.sorted, found);
    }
  }

  /** Gives {@code node} the {@code chosen} neighbours in {@code scratch.selected}, and links them back. */
  private void connect(int node, int level, int chosen, SearchScratch scratch) {
    int maxConnections = config.maxConnections(level);
    int[] selected = scratch.selected;
    synchronized (graph.lock(node)) {
      int existing = graph.copyNeighbors(node, level, scratch.neighbors);
      if (existing == 0) {
        graph.setNeighbors(node, level, selected, chosen);
      } else {
        // Concurrent insertions linked to the node already: merge their links with the chosen ones.
        int[] merged = scratch.merged;
        System.arraycopy(scratch.neighbors, 0, merged, 0, existing);
        int size = existing;
        for (int i = 0; i < chosen; i++) {
          if (!contains(scratch.neighbors, existing, selected[i])) {
            merged[size++] = selected[i];
          }
        }
        writePruned(node, level, merged, size, maxConnections, scratch);
      }
    }
    for (int i = 0; i < chosen; i++) {
      addLink(selected[i], node, level, maxConnections, scratch);
    }
  }

  /** Adds {@code neighbor} to {@code node}'s list, re-pruning the list if it overflows. */
  private void addLink(int node, int neighbor, int level, int maxConnections, SearchScratch scratch) {
    int[] current = scratch.neighbors;
    synchronized (graph.lock(node)) {
      int count = graph.copyNeighbors(node, level, current);
      if (contains(current, count, neighbor)) {
        return;
      }
      if (count < maxConnections) {
        graph.appendNeighbor(node, level, neighbor);
        return;
      }
      int[] merged = scratch.merged;
      int size = 0;
      for (int i = 0; i < count; i++) {
        if (!graph.isDeleted(current[i])) {
          merged[size++] = current[i];
        }
      }
      merged[size++] = neighbor;
      writePruned(node, level, merged, size, maxConnections, scratch);
    }
  }

  /** Writes the {@code size} nodes in {@code list} as {@code node}'s links, pruned by the heuristic if they overflow. */
  private void writePruned(int node, int level, int[] list, int size, int maxConnections, SearchScratch scratch) {
    if (size <= maxConnections) {
      graph.setNeighbors(node, level, list, size);
      return;
    }
    float[] distances = scratch.distances;
    int at = distance.nodeQuery(node, scratch);
    distance.distances(scratch.nodeQuery, at, list, 0, size, distances);
    long[] pool = scratch.pool(size);
    for (int i = 0; i < size; i++) {
      pool[i] = encode(distances[i], list[i]);
    }
    Arrays.sort(pool, 0, size);
    int count = selector.select(pool, size, maxConnections, maxConnections - config.m() / 2, scratch.kept,
        scratch.discarded(size), distances, scratch);
    graph.setNeighbors(node, level, scratch.kept, count);
  }

  private static boolean contains(int[] values, int count, int value) {
    for (int i = 0; i < count; i++) {
      if (values[i] == value) {
        return true;
      }
    }
    return false;
  }
}
