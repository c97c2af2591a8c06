package io.vers.hnsw;

import io.vers.spi.NeighborQueue;

/**
 * The neighbour selection heuristic of the HNSW paper (Algorithm 4), without candidate extension:
 * candidates are taken nearest first, and one is kept only if it is nearer to the base node than to
 * every neighbour kept so far, which spreads links across directions instead of bunching them in one
 * cluster. With {@code keepPrunedConnections}, the discarded candidates then top the list up, nearest
 * first, to a size the caller gives: a new node's own list to its full {@code m} links; a list re-pruned
 * because it overflowed to {@code maxConnections - m / 2}, which leaves room for {@code m / 2} links to
 * be appended before it overflows again. (Topping re-pruned lists up to the full capacity made every
 * later link to such a node re-prune it, and cost 1.5 times the distance computations of the whole
 * build.) Stateless apart from its inputs; thread-safe.
 */
final class NeighborSelector {
  /** Kept neighbours compared with a candidate per batch: a rejection wastes at most this minus one. */
  private static final int CHUNK = 4;

  private final NodeDistance distance;
  private final boolean keepPrunedConnections;

  NeighborSelector(NodeDistance distance, boolean keepPrunedConnections) {
    this.distance = distance;
    this.keepPrunedConnections = keepPrunedConnections;
  }

  /**
   * Chooses the neighbours of a base node.
   *
   * @param candidates {@link NeighborQueue#encode packed} (distance to the base, node), nearest first
   * @param count the number of candidates
   * @param maxConnections the most neighbours to keep
   * @param topUpTo with {@code keepPrunedConnections}, the size to which discarded candidates top the
   *     list up, at most {@code maxConnections}
   * @param out receives the chosen nodes
   * @param discarded scratch with room for {@code count} nodes
   * @param distances scratch with room for {@value #CHUNK} distances
   * @param scratch where a candidate is made a query ({@link NodeDistance#nodeQuery})
   * @return the number of nodes written to {@code out}
   */
  int select(long[] candidates, int count, int maxConnections, int topUpTo, int[] out, int[] discarded,
      float[] distances, SearchScratch scratch) {
    int kept = 0;
    int pruned = 0;
    for (int i = 0; i < count && kept < maxConnections; i++) {
      int candidate = NeighborQueue.decodeOrdinal(candidates[i]);
      float toBase = NeighborQueue.decodeDistance(candidates[i]);
      float[] page = null;
      int offset = 0;
      boolean diverse = true;
      if (kept > 0) {
        offset = distance.nodeQuery(candidate, scratch);
        page = scratch.nodeQuery;
      }
      for (int j = 0; j < kept && diverse; j += CHUNK) {
        int n = Math.min(CHUNK, kept - j);
        distance.distances(page, offset, out, j, n, distances);
        for (int t = 0; t < n; t++) {
          if (distances[t] < toBase) {
            diverse = false;
            break;
          }
        }
      }
      if (diverse) {
        out[kept++] = candidate;
      } else {
        discarded[pruned++] = candidate;
      }
    }
    if (keepPrunedConnections) {
      for (int j = 0; j < pruned && kept < topUpTo; j++) {
        out[kept++] = discarded[j];
      }
    }
    return kept;
  }
}
