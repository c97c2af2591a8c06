package io.vers.hnsw;

import static io.vers.spi.NeighborQueue.decodeDistance;
import static io.vers.spi.NeighborQueue.decodeOrdinal;
import static io.vers.spi.NeighborQueue.encode;

import io.vers.spi.IdMap;
import io.vers.spi.NeighborQueue;
import io.vers.spi.VisitedSet;
import java.util.function.LongPredicate;

/**
 * The search algorithms over an {@link HnswGraph}: greedy descent through the upper levels, the
 * paper's best-first layer search with early stop (Algorithm 2), the same layer search extended to a
 * range, and an exact scan.
 *
 * <h2>Queries</h2>
 * A query descends greedily to level 0 and runs the layer search there with {@code ef} candidates.
 * Tombstones and ids the filter rejects are traversed but never enter the result set, so the walk
 * continues until {@code ef} accepted nodes are found. The search turns into an exact scan of the
 * accepted live nodes when that is cheaper or when the walk cannot deliver {@code k} results: when
 * {@code ef} covers every node; when a sample says the filter accepts at most {@code ef} nodes; when a
 * filtered walk has computed as many distances as the scan would (the estimated number of accepted
 * nodes); and when the walk ends with fewer than {@code k} results. So {@code k} results come back
 * whenever {@code k} accepted live ids are stored. When every node counts (no filter, no tombstones),
 * the walk keeps its {@code ef} nearest in one sorted array instead of two heaps ({@link #searchBeam}):
 * the same nodes, found with less work per step.
 *
 * <h2>Range queries</h2>
 * A range query descends the same way and runs the layer search on level 0 with a radius: it keeps
 * expanding while the nearest unexpanded candidate lies within the radius or within the {@code ef}-sized
 * beam, and collects every accepted node within the radius it visits, the nearest {@code limit} of them.
 * Once {@code limit} are held, the radius shrinks to the farthest of them. The beam makes the walk cross
 * gaps between in-range regions, so a larger {@code ef} finds more. It falls back to an exact scan on the
 * same conditions as a query, except that a short answer is not one (a range may hold few vectors).
 *
 * <p>Queries are in the form the {@link NodeDistance} reads (prepared for a code distance).
 * Lock-free and allocation-free; thread-safe given one {@link SearchScratch} per thread.
 */
final class GraphSearcher {
  /** Live nodes sampled to estimate how many ids a filter accepts. */
  static final int FILTER_SAMPLE = 256;
  /** Marks a {@link #searchBeam} entry as expanded: a bit no ordinal has, ignored when comparing. */
  static final long EXPANDED = 1L << 31;

  private final HnswGraph graph;
  private final NodeDistance distance;
  private final IdMap ids;

  GraphSearcher(HnswGraph graph, NodeDistance distance, IdMap ids) {
    this.graph = graph;
    this.distance = distance;
    this.ids = ids;
  }

  /**
   * Runs a query, leaving at least {@code min(k, accepted live nodes)} results nearest first in
   * {@code scratch.sorted}.
   *
   * @param query in stored form
   * @param ef candidate list size, at least {@code k}
   * @param filter accepted ids, or {@code null} for all
   * @param tombstones whether the graph may hold tombstones
   * @param live the number of live nodes
   * @return how many results {@code scratch.sorted} holds
   */
  int search(float[] query, int k, int ef, LongPredicate filter, boolean tombstones, int live,
      SearchScratch scratch) {
    long entry = graph.entry();
    int nodes = graph.size();
    if (entry == HnswGraph.NO_ENTRY || ef >= nodes) {
      return exactScanSorted(query, k, filter, scratch);
    }
    long budget = Long.MAX_VALUE;
    if (filter != null) {
      long accepted = estimateAccepted(filter, nodes, live);
      if (accepted <= ef) {
        return exactScanSorted(query, k, filter, scratch);
      }
      budget = accepted;
    }
    long start = descend(query, entry, 0, scratch);
    scratch.visited.clear(nodes);
    scratch.setSeed(start);
    int found;
    if (filter == null && !tombstones) {
      found = searchBeam(query, 0, ef, scratch);
    } else {
      boolean complete = searchLayer(query, 0, ef, scratch, tombstones, -1, filter, budget);
      found = complete ? scratch.drainResultsSorted() : 0;
    }
    return found < k ? exactScanSorted(query, k, filter, scratch) : found;
  }

  /**
   * The search as if node {@code heldOut} were not in the graph: the walk never steps on it and it is
   * never a candidate. A stored vector searched this way stands for a new query near it, which is what
   * a recall calibration needs (searched normally, it would start from its own neighbourhood).
   *
   * @return how many results {@code scratch.sorted} holds, nearest first
   */
  int searchHeldOut(float[] query, int k, int ef, int heldOut, boolean tombstones, SearchScratch scratch) {
    long entry = graph.entry();
    int nodes = graph.size();
    if (entry == HnswGraph.NO_ENTRY || ef >= nodes) {
      return exactScanSorted(query, k + 1, null, scratch);
    }
    long start = descend(query, entry, 0, heldOut, scratch);
    scratch.visited.clear(nodes);
    scratch.visited.visit(heldOut);
    scratch.setSeed(start);
    if (!tombstones) {
      return searchBeam(query, 0, ef, scratch);
    }
    searchLayer(query, 0, ef, scratch, true, heldOut, null, Long.MAX_VALUE);
    return scratch.drainResultsSorted();
  }

  /**
   * Runs a range query, leaving in {@code scratch.range} the nearest {@code limit} accepted live nodes
   * within {@code maxDistance} that it finds: all of them when {@code ef} covers every node.
   *
   * @param query in stored form
   * @param ef the beam: how many of the nearest accepted nodes also keep the walk going
   * @param filter accepted ids, or {@code null} for all
   * @param tombstones whether the graph may hold tombstones
   * @param live the number of live nodes
   */
  void searchRange(float[] query, float maxDistance, int limit, int ef, LongPredicate filter, boolean tombstones,
      int live, SearchScratch scratch) {
    long entry = graph.entry();
    int nodes = graph.size();
    if (entry == HnswGraph.NO_ENTRY || ef >= nodes) {
      exactScan(query, limit, maxDistance, filter, scratch.range, scratch);
      return;
    }
    long budget = Long.MAX_VALUE;
    if (filter != null) {
      long accepted = estimateAccepted(filter, nodes, live);
      if (accepted <= ef) {
        exactScan(query, limit, maxDistance, filter, scratch.range, scratch);
        return;
      }
      budget = accepted;
    }
    long start = descend(query, entry, 0, scratch);
    scratch.visited.clear(nodes);
    scratch.setSeed(start);
    if (!searchLayer(query, 0, ef, maxDistance, limit, scratch, tombstones, -1, filter, budget)) {
      exactScan(query, limit, maxDistance, filter, scratch.range, scratch);
    }
  }

  /**
   * Greedy descent from {@code entry} (packed as by {@link HnswGraph#entry()}) to the nearest node it
   * can reach on {@code level}, walking every level above it with a candidate list of one.
   *
   * @return the node reached, {@link NeighborQueue#encode packed} with its distance
   */
  long descend(float[] query, long entry, int level, SearchScratch scratch) {
    return descend(query, entry, level, -1, scratch);
  }

  /** As {@link #descend(float[], long, int, SearchScratch)}, never stepping on node {@code excluded}. */
  long descend(float[] query, long entry, int level, int excluded, SearchScratch scratch) {
    int node = HnswGraph.entryNode(entry);
    float d = node == excluded ? Float.POSITIVE_INFINITY : distance.distance(query, node);
    long current = encode(d, node);
    for (int l = HnswGraph.entryLevel(entry); l > level; l--) {
      current = greedy(query, current, l, excluded, scratch);
    }
    return current;
  }

  /** Moves to the nearest neighbour on {@code level} while it is nearer than the current node. */
  long greedy(float[] query, long start, int level, int excluded, SearchScratch scratch) {
    int node = decodeOrdinal(start);
    float best = decodeDistance(start);
    int[] neighbors = scratch.neighbors;
    float[] distances = scratch.distances;
    for (; ; ) {
      int count = graph.copyNeighbors(node, level, neighbors);
      distance.distances(query, neighbors, count, distances);
      int from = node;
      for (int i = 0; i < count; i++) {
        if (distances[i] < best && neighbors[i] != excluded) {
          best = distances[i];
          node = neighbors[i];
        }
      }
      if (node == from) {
        return encode(best, node);
      }
    }
  }

  /**
   * The layer search (Algorithm 2) from {@code scratch}'s seeds: expands the nearest unexpanded
   * candidate until it is farther than the farthest of {@code ef} accepted results. Nodes marked in
   * {@code scratch.visited} beforehand are skipped. Leaves the accepted results in
   * {@code scratch.results}.
   *
   * @param skipTombstones whether tombstones are kept out of the results
   * @param excluded a node walked through but kept out of the results, or -1
   * @param filter accepted ids, or {@code null}
   * @param budget distance computations allowed
   * @return false if the budget ran out first
   */
  boolean searchLayer(float[] query, int level, int ef, SearchScratch scratch, boolean skipTombstones,
      int excluded, LongPredicate filter, long budget) {
    return searchLayer(query, level, ef, Float.NEGATIVE_INFINITY, 0, scratch, skipTombstones, excluded, filter,
        budget);
  }

  /**
   * The layer search with a radius: as {@link #searchLayer(float[], int, int, SearchScratch, boolean, int,
   * LongPredicate, long)}, except that it also expands every candidate within {@code radius}, and
   * collects the nearest {@code limit} accepted nodes within {@code radius} in {@code scratch.range}
   * (once that many are held, the radius shrinks to the farthest of them). A radius of negative infinity
   * is the plain layer search.
   */
  boolean searchLayer(float[] query, int level, int ef, float radius, int limit, SearchScratch scratch,
      boolean skipTombstones, int excluded, LongPredicate filter, long budget) {
    NeighborQueue candidates = scratch.candidates;
    NeighborQueue results = scratch.results;
    NeighborQueue range = scratch.range;
    VisitedSet visited = scratch.visited;
    int[] neighbors = scratch.neighbors;
    candidates.clear();
    results.clear();
    range.clear();
    for (int i = 0; i < scratch.seedCount; i++) {
      long seed = scratch.seeds[i];
      int node = decodeOrdinal(seed);
      if (visited.visit(node)) {
        float d = decodeDistance(seed);
        candidates.add(node, d);
        if (node != excluded && accepts(node, skipTombstones, filter)) {
          results.insertWithOverflow(node, d, ef);
          if (d <= radius && range.insertWithOverflow(node, d, limit) && range.size() >= limit) {
            radius = range.topDistance();
          }
        }
      }
    }
    float bound = results.size() >= ef ? results.topDistance() : Float.POSITIVE_INFINITY;
    float[] distances = scratch.distances;
    long computed = 0;
    while (!candidates.isEmpty()) {
      long nearest = candidates.popEncoded();
      float reach = decodeDistance(nearest);
      if (reach > bound && reach > radius) {
        break;
      }
      int count = graph.copyNeighbors(decodeOrdinal(nearest), level, neighbors);
      int fresh = visited.visitAll(neighbors, count);
      if (!candidates.isEmpty()) {
        // Likely the next node expanded: start loading its list while the distances below compute.
        scratch.touched += graph.listHeader(candidates.topOrdinal(), level);
      }
      distance.distances(query, neighbors, fresh, distances);
      computed += fresh;
      for (int i = 0; i < fresh; i++) {
        float d = distances[i];
        boolean near = d < bound;
        boolean within = d <= radius;
        if (near || within) {
          int node = neighbors[i];
          candidates.add(node, d);
          if (node != excluded && accepts(node, skipTombstones, filter)) {
            if (near) {
              results.insertWithOverflow(node, d, ef);
              if (results.size() >= ef) {
                bound = results.topDistance();
              }
            }
            if (within && range.insertWithOverflow(node, d, limit) && range.size() >= limit) {
              radius = range.topDistance();
            }
          }
        }
      }
      if (computed > budget) {
        return false;
      }
    }
    return true;
  }

  /**
   * The layer search when every node reached counts as a result (no filter, no tombstones, nothing
   * excluded but what {@code scratch.visited} already holds): the same walk as {@link #searchLayer}, over
   * one array of the {@code ef} nearest nodes found, kept sorted, in place of the two heaps. A node
   * outside it is never expanded by the heap search either (it is farther than the {@code ef}-th
   * result), so the next node to expand is the nearest one in the array not yet expanded, marked by
   * {@link #EXPANDED}, and both find the same nodes (but for nodes at exactly the distance of the
   * {@code ef}-th, which the array ranks by ordinal as a tie-break). Leaves the results nearest first in
   * {@code scratch.sorted}.
   *
   * @return how many results {@code scratch.sorted} holds
   */
  int searchBeam(float[] query, int level, int ef, SearchScratch scratch) {
    long[] beam = scratch.sorted(ef);
    VisitedSet visited = scratch.visited;
    int[] neighbors = scratch.neighbors;
    float[] distances = scratch.distances;
    int size = 0;
    for (int i = 0; i < scratch.seedCount; i++) {
      long seed = scratch.seeds[i];
      if (visited.visit(decodeOrdinal(seed))) {
        size = insert(beam, size, ef, seed);
      }
    }
    int cursor = 0;
    while (cursor < size) {
      long nearest = beam[cursor];
      beam[cursor] = nearest | EXPANDED;
      int count = graph.copyNeighbors(decodeOrdinal(nearest), level, neighbors);
      int fresh = visited.visitAll(neighbors, count);
      int next = nextOpen(beam, cursor + 1, size);
      if (next < size) {
        // Likely the next node expanded: start loading its list while the distances below compute.
        scratch.touched += graph.listHeader(decodeOrdinal(beam[next]), level);
      }
      distance.distances(query, neighbors, fresh, distances);
      int lowest = next;
      for (int i = 0; i < fresh; i++) {
        long e = encode(distances[i], neighbors[i]);
        if (size < ef || e < (beam[size - 1] & ~EXPANDED)) {
          int at = insertionPoint(beam, size, e);
          size = insertAt(beam, size, ef, at, e);
          lowest = Math.min(lowest, at);
        }
      }
      cursor = nextOpen(beam, lowest, size);
    }
    for (int i = 0; i < size; i++) {
      beam[i] &= ~EXPANDED;
    }
    return size;
  }

  /** The first index from {@code from} whose entry is not {@link #EXPANDED}, or {@code size}. */
  private static int nextOpen(long[] beam, int from, int size) {
    int i = from;
    while (i < size && (beam[i] & EXPANDED) != 0) {
      i++;
    }
    return i;
  }

  /** Where {@code e} goes among the sorted {@code beam[0 .. size)}, flags ignored. */
  private static int insertionPoint(long[] beam, int size, long e) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if ((beam[mid] & ~EXPANDED) < e) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Puts {@code e} at {@code at}, dropping the last entry when {@code capacity} are held; the new size. */
  private static int insertAt(long[] beam, int size, int capacity, int at, long e) {
    int kept = Math.min(size, capacity - 1);
    System.arraycopy(beam, at, beam, at + 1, kept - at);
    beam[at] = e;
    return kept + 1;
  }

  /** Inserts {@code e} in order if it is among the nearest {@code capacity}; the new size. */
  private static int insert(long[] beam, int size, int capacity, long e) {
    int at = insertionPoint(beam, size, e);
    return at < capacity ? insertAt(beam, size, capacity, at, e) : size;
  }

  private boolean accepts(int node, boolean skipTombstones, LongPredicate filter) {
    return (!skipTombstones || !graph.isDeleted(node)) && (filter == null || filter.test(ids.idOf(node)));
  }

  /** The {@code k} nearest accepted live nodes, by comparing with each; left in {@code scratch.results}. */
  void exactScan(float[] query, int k, LongPredicate filter, SearchScratch scratch) {
    exactScan(query, k, Float.POSITIVE_INFINITY, filter, scratch.results, scratch);
  }

  /** {@link #exactScan(float[], int, LongPredicate, SearchScratch)}, the results nearest first in {@code scratch.sorted}. */
  private int exactScanSorted(float[] query, int k, LongPredicate filter, SearchScratch scratch) {
    exactScan(query, k, filter, scratch);
    return scratch.drainResultsSorted();
  }

  /**
   * The {@code k} nearest accepted live nodes within {@code maxDistance}, by comparing with each in
   * batches; left in {@code results}.
   */
  void exactScan(float[] query, int k, float maxDistance, LongPredicate filter, NeighborQueue results,
      SearchScratch scratch) {
    results.clear();
    int[] chunk = scratch.scan;
    float[] distances = scratch.distances;
    int nodes = graph.size();
    int gathered = 0;
    for (int node = 0; node < nodes; node++) {
      if (graph.isDeleted(node) || (filter != null && !filter.test(ids.idOf(node)))) {
        continue;
      }
      chunk[gathered++] = node;
      if (gathered == chunk.length) {
        offer(query, chunk, gathered, k, maxDistance, results, distances);
        gathered = 0;
      }
    }
    offer(query, chunk, gathered, k, maxDistance, results, distances);
  }

  private void offer(float[] query, int[] chunk, int count, int k, float maxDistance, NeighborQueue results,
      float[] distances) {
    distance.distances(query, chunk, count, distances);
    for (int i = 0; i < count; i++) {
      if (distances[i] <= maxDistance) {
        results.insertWithOverflow(chunk[i], distances[i], k);
      }
    }
  }

  /**
   * Estimates how many live nodes {@code filter} accepts from a sample of evenly spaced nodes; counts
   * exactly when there are few nodes.
   */
  long estimateAccepted(LongPredicate filter, int nodes, int live) {
    int samples = Math.min(nodes, FILTER_SAMPLE);
    int tested = 0;
    int accepted = 0;
    for (int i = 0; i < samples; i++) {
      int node = (int) ((2L * i + 1) * nodes / (2L * samples));
      if (!graph.isDeleted(node)) {
        tested++;
        if (filter.test(ids.idOf(node))) {
          accepted++;
        }
      }
    }
    return tested == 0 ? 0 : (long) accepted * live / tested;
  }
}
