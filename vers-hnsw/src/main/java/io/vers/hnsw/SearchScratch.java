package io.vers.hnsw;

import io.vers.spi.NeighborQueue;
import io.vers.spi.VisitedSet;
import java.util.Arrays;

/**
 * One thread's reusable working memory for searching and inserting: visited marks cleared in O(1),
 * the candidate and result heaps, and arrays for neighbour lists and selection. Nothing here is
 * allocated per visited node. Not thread-safe: each thread uses its own.
 */
final class SearchScratch {
  /** Result entries a scratch keeps room for between queries. */
  static final int RETAINED = 4096;

  final VisitedSet visited;
  /** Nodes still to expand, nearest on top. */
  final NeighborQueue candidates = new NeighborQueue(128, false);
  /** Sum of list headers read ahead of their use ({@link HnswGraph#listHeader}); kept so the reads stay. */
  int touched;
  /** The best nodes found, farthest on top. */
  final NeighborQueue results = new NeighborQueue(128, true);
  /** The nodes a range query found within its radius, farthest on top. */
  NeighborQueue range = new NeighborQueue(128, true);
  /** One neighbour list, as read from the graph. */
  final int[] neighbors;
  /** A second neighbour list, while the first is still in use. */
  final int[] neighbors2;
  /** Distances computed for {@link #neighbors} or {@link #scan}. */
  final float[] distances;
  /** Nodes gathered by an exact scan. */
  final int[] scan = new int[64];
  /** Nodes chosen by the selection heuristic. */
  final int[] selected;
  /** A neighbour list with additions, before pruning. */
  final int[] merged;
  /** Nodes kept when a full list is pruned. */
  final int[] kept;
  /** Packed entries sorted nearest first: search results, or candidates for pruning. */
  long[] sorted = new long[128];
  /** Packed candidates for pruning one neighbour list. */
  long[] pool = new long[64];
  /** Packed entry points of the next level's search. */
  long[] seeds = new long[128];
  int seedCount;
  /** Scratch for the heuristic's discarded candidates. */
  int[] discarded = new int[128];
  /** Whether this scratch is in use on its thread (a filter may call back into the index). */
  boolean inUse;
  /** Whether its thread is inside a search of the index. */
  boolean searching;
  /** {@link #searching} before the current search began. */
  boolean wasSearching;
  /** The reader epoch token of the current search. */
  int epochToken;

  SearchScratch(int m, int capacity) {
    visited = new VisitedSet(capacity);
    distances = new float[Math.max(3 * m + 1, 64)];
    neighbors = new int[2 * m];
    neighbors2 = new int[2 * m];
    selected = new int[m];
    kept = new int[2 * m];
    merged = new int[3 * m + 1];
  }

  /** {@link #sorted} with room for {@code n} entries. */
  long[] sorted(int n) {
    if (sorted.length < n) {
      sorted = new long[Math.max(n, sorted.length * 2)];
    }
    return sorted;
  }

  /** Candidate nodes gathered while repairing a list. */
  int[] gathered = new int[64];

  /** {@link #gathered} with room for {@code n} nodes. */
  int[] gathered(int n) {
    if (gathered.length < n) {
      gathered = new int[Math.max(n, gathered.length * 2)];
    }
    return gathered;
  }

  /** {@link #pool} with room for {@code n} entries. */
  long[] pool(int n) {
    if (pool.length < n) {
      pool = new long[Math.max(n, pool.length * 2)];
    }
    return pool;
  }

  /** {@link #discarded} with room for {@code n} nodes. */
  int[] discarded(int n) {
    if (discarded.length < n) {
      discarded = new int[Math.max(n, discarded.length * 2)];
    }
    return discarded;
  }

  /** The query array of the last {@link NodeDistance#nodeQuery}: a float page, or {@link #nodePrepared}. */
  float[] nodeQuery;
  /** A stored node decoded from its codes. */
  private float[] decoded = new float[0];
  /** A stored node's decoded vector, prepared as a query. */
  private float[] nodePrepared = new float[0];
  /** A search's or an insertion's query, prepared for a code distance. */
  private float[] prepared = new float[0];
  /** Candidates of a re-ranking, by node. */
  int[] rerankNodes = new int[64];
  /** Exact distances of {@link #rerankNodes}. */
  float[] rerankDistances = new float[64];

  /** {@link #decoded} with room for {@code n} floats. */
  float[] decoded(int n) {
    if (decoded.length < n) {
      decoded = new float[n];
    }
    return decoded;
  }

  /** {@link #nodePrepared} with room for {@code n} floats. */
  float[] nodePrepared(int n) {
    if (nodePrepared.length < n) {
      nodePrepared = new float[n];
    }
    return nodePrepared;
  }

  /** {@link #prepared} with room for {@code n} floats. */
  float[] prepared(int n) {
    if (prepared.length < n) {
      prepared = new float[n];
    }
    return prepared;
  }

  /** {@link #rerankNodes} and {@link #rerankDistances} with room for {@code n} entries. */
  void rerank(int n) {
    if (rerankNodes.length < n) {
      rerankNodes = new int[Math.max(n, 2 * rerankNodes.length)];
      rerankDistances = new float[rerankNodes.length];
    }
  }

  /** Drains {@link #results} into {@link #sorted}, nearest first, and returns how many there were. */
  int drainResultsSorted() {
    return drainSorted(results);
  }

  /** Drains {@code queue} into {@link #sorted}, nearest first, and returns how many there were. */
  int drainSorted(NeighborQueue queue) {
    int n = queue.size();
    long[] out = sorted(n);
    for (int i = 0; i < n; i++) {
      out[i] = queue.entryAt(i);
    }
    queue.clear();
    Arrays.sort(out, 0, n);
    return n;
  }

  /**
   * After a query that returned {@code found} results: replaces {@link #range} and {@link #sorted} when
   * they grew past {@value #RETAINED} entries, so that one wide range query does not pin its memory to
   * the thread.
   */
  void release(int found) {
    if (found > RETAINED) {
      range = new NeighborQueue(128, true);
      sorted = new long[128];
    }
  }

  /** Makes the first {@code n} entries of {@code entries} the seeds of the next search. */
  void setSeeds(long[] entries, int n) {
    if (seeds.length < n) {
      seeds = new long[Math.max(n, seeds.length * 2)];
    }
    System.arraycopy(entries, 0, seeds, 0, n);
    seedCount = n;
  }

  void setSeed(long entry) {
    seeds[0] = entry;
    seedCount = 1;
  }
}
