package io.vers.hnsw;

import static io.vers.spi.NeighborQueue.encode;

import java.util.Arrays;

/**
 * Removes tombstones from the graph's links. Every live node whose list on some level names a
 * tombstone gets a new list, chosen by the selection heuristic from its live neighbours and the live
 * neighbours of its deleted ones (the deleted node's neighbourhood is where the lost paths led); a node
 * left with no live candidate is reconnected by a layer search from the entry point, as an insertion
 * would. A deleted entry point is replaced by a live node of the highest level. Afterwards no live node
 * and no entry point leads to a tombstone, so tombstones are unreachable.
 *
 * <p>Must run with no concurrent writer; concurrent searches are fine (lists change atomically).
 */
final class GraphRepair {
  private final HnswGraph graph;
  private final NodeDistance distance;
  private final HnswConfig config;
  private final GraphSearcher searcher;
  private final NeighborSelector selector;

  GraphRepair(HnswGraph graph, NodeDistance distance, HnswConfig config, GraphSearcher searcher,
      NeighborSelector selector) {
    this.graph = graph;
    this.distance = distance;
    this.config = config;
    this.searcher = searcher;
    this.selector = selector;
  }

  /** Repairs every list that names a tombstone, and the entry point. */
  void repair(SearchScratch scratch) {
    int nodes = graph.size();
    long entry = graph.entry();
    if (entry != HnswGraph.NO_ENTRY && graph.isDeleted(HnswGraph.entryNode(entry))) {
      replaceEntry(nodes);
    }
    if (graph.entry() == HnswGraph.NO_ENTRY) {
      return;
    }
    int[] list = new int[2 * config.m()];
    for (int node = 0; node < nodes; node++) {
      if (graph.isDeleted(node)) {
        continue;
      }
      for (int level = graph.level(node); level >= 0; level--) {
        int count = graph.copyNeighbors(node, level, list);
        if (namesTombstone(list, count)) {
          repairList(node, level, list, count, scratch);
        }
      }
    }
  }

  private boolean namesTombstone(int[] list, int count) {
    for (int i = 0; i < count; i++) {
      if (graph.isDeleted(list[i])) {
        return true;
      }
    }
    return false;
  }

  private void repairList(int node, int level, int[] list, int count, SearchScratch scratch) {
    int maxConnections = config.maxConnections(level);
    scratch.visited.clear(graph.size());
    scratch.visited.visit(node);
    int[] gathered = scratch.gathered(count * (1 + maxConnections));
    int size = 0;
    for (int i = 0; i < count; i++) {
      int neighbor = list[i];
      if (!graph.isDeleted(neighbor) && scratch.visited.visit(neighbor)) {
        gathered[size++] = neighbor;
      }
    }
    for (int i = 0; i < count; i++) {
      int deleted = list[i];
      if (!graph.isDeleted(deleted)) {
        continue;
      }
      int n = graph.copyNeighbors(deleted, level, scratch.neighbors2);
      for (int j = 0; j < n; j++) {
        int candidate = scratch.neighbors2[j];
        if (!graph.isDeleted(candidate) && scratch.visited.visit(candidate)) {
          gathered[size++] = candidate;
        }
      }
    }
    long[] pool;
    if (size == 0) {
      size = searchCandidates(node, level, scratch);
      pool = scratch.sorted;
    } else {
      pool = scratch.pool(size);
      int offset = distance.nodeQuery(node, scratch);
      float[] page = scratch.nodeQuery;
      float[] distances = scratch.distances;
      for (int from = 0; from < size; from += distances.length) {
        int n = Math.min(distances.length, size - from);
        distance.distances(page, offset, gathered, from, n, distances);
        for (int i = 0; i < n; i++) {
          pool[from + i] = encode(distances[i], gathered[from + i]);
        }
      }
      Arrays.sort(pool, 0, size);
    }
    // The nearest few times the list's capacity are plenty for the heuristic, and bound its cost.
    size = Math.min(size, 3 * maxConnections);
    int kept = selector.select(pool, size, maxConnections, maxConnections, scratch.kept, scratch.discarded(size),
        scratch.distances, scratch);
    synchronized (graph.lock(node)) {
      graph.setNeighbors(node, level, scratch.kept, kept);
    }
  }

  /** Finds candidates for {@code node} on {@code level} as an insertion would; returns them in {@code sorted}. */
  private int searchCandidates(int node, int level, SearchScratch scratch) {
    int at = distance.nodeQuery(node, scratch);
    float[] vector = java.util.Arrays.copyOfRange(scratch.nodeQuery, at, at + distance.queryLength());
    long start = searcher.descend(vector, graph.entry(), level, scratch);
    scratch.setSeed(start);
    scratch.visited.clear(graph.size());
    searcher.searchLayer(vector, level, config.efConstruction(), scratch, true, node, null, Long.MAX_VALUE);
    return scratch.drainResultsSorted();
  }

  /** Makes the first live node of the highest level the entry point, or empties the graph's entry. */
  private void replaceEntry(int nodes) {
    int best = -1;
    int bestLevel = -1;
    for (int node = 0; node < nodes; node++) {
      if (!graph.isDeleted(node)) {
        int level = graph.level(node);
        if (level > bestLevel) {
          best = node;
          bestLevel = level;
        }
      }
    }
    if (best < 0) {
      graph.clearEntry();
    } else {
      graph.setEntry(best, bestLevel);
    }
  }
}
