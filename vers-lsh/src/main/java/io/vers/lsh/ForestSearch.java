package io.vers.lsh;

import io.vers.api.Metric;
import io.vers.api.SearchResult;
import io.vers.spi.IdMap;
import io.vers.spi.NeighborQueue;
import io.vers.spi.VisitedSet;
import io.vers.spi.simd.BatchDistance;
import io.vers.spi.simd.Kernels;
import io.vers.spi.simd.VectorKernel;
import io.vers.spi.storage.VectorStore;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * The searches of an {@link LshIndex} over its trees and its stored vectors: the budgeted walk of the
 * forest behind top-k and range search, and the exact scan. Every distance comes from one batched
 * kernel, so a vector's distance to a query is the same whichever search computed it.
 *
 * <p>Not synchronised: the caller holds the index's read lock for the duration of each call. Each
 * thread reuses its own scratch.
 */
final class ForestSearch {
  private static final VectorKernel KERNEL = Kernels.get().vector();
  /** Unit roundoff of float arithmetic, for the rounding slack of the early stop. */
  private static final float EPSILON = 0x1.0p-23f;
  /** Vectors an exact scan hands to the kernel at a time. */
  private static final int SCAN_BLOCK = 64;
  /**
   * An extended walk ends once it is this many times as long as when its results last changed: if the
   * leaves were read in random order, k results would all stay put over such a stretch with chance
   * {@code 3^-k}.
   */
  static final int EXTEND_RATIO = 3;
  /**
   * An extended walk that has seen {@code 1 / SCAN_SHARE} of the points scans the rest exactly instead:
   * walking to every point (through a priority queue, once per tree, in scattered order) measured six to
   * eight times the cost of scanning them, at dimensions 16 to 256.
   */
  static final int SCAN_SHARE = 8;

  private final int dimension;
  private final Metric metric;
  private final VectorStore vectors;
  private final IdMap ids;
  /** Exact distances to the query, several candidates at a time. */
  private final BatchDistance exact;
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  ForestSearch(int dimension, Metric metric, VectorStore vectors, IdMap ids) {
    this.dimension = dimension;
    this.metric = metric;
    this.vectors = vectors;
    this.ids = ids;
    this.exact = Kernels.get().batch(vectors, metric);
  }

  /**
   * The nearest {@code k} candidates within {@code maxDistance} that {@code filter} accepts, nearest
   * first. One priority queue holds the unexplored subtrees of every tree by the largest margin the
   * query crossed to reach them; leaves are read nearest first until {@code budget} accepted candidates
   * were ranked, or (L2, COSINE) no unexplored subtree can hold anything nearer than the current k-th
   * result or within {@code maxDistance}. With a filter, when reaching the budget would walk more than
   * half of the points not yet seen, those are scanned exactly instead.
   *
   * <p>An {@code extended} walk (range search) takes whole leaves and goes on past the budget until it
   * has ranked {@value #EXTEND_RATIO} times as many candidates as when a candidate last entered the
   * results: a query the trees sort well stops at the budget or soon after, one they sort poorly walks
   * on while it still finds results. Once it has seen {@code 1 / }{@value #SCAN_SHARE} of the points it
   * scans the rest exactly instead.
   *
   * @param q the query in stored form
   * @param maxNorm the largest norm ever stored, for the rounding slack of the early stop
   * @param budget the most accepted candidates ranked (the fewest, when extended), at least {@code k} to
   *     find {@code k}
   */
  List<SearchResult> walk(Forest f, float maxNorm, float[] q, int k, float maxDistance, int budget, boolean extended,
      LongPredicate filter) {
    int n = vectors.size();
    if (n == 0) {
      return List.of();
    }
    Scratch s = scratch.get();
    int[] children = f.children;
    float[] planes = f.planes;
    int stride = f.stride;
    int[] pool = f.pool;
    int[] leafStart = f.leafStart;
    int[] leafSize = f.leafSize;
    VisitedSet visited = s.visited;
    visited.clear(n);
    NeighborQueue cells = s.cells;
    cells.clear();
    NeighborQueue best = s.best;
    best.clear();
    EarlyStop stop = new EarlyStop(q, maxNorm);
    for (int t = 0; t < f.numTrees; t++) {
      cells.add(f.roots[t], 0f);
    }
    float limit = maxDistance == Float.POSITIVE_INFINITY ? Float.POSITIVE_INFINITY : stop.limit(maxDistance);
    int seen = 0;
    int accepted = 0;
    int changedAt = 0;
    int cap = extended ? Integer.MAX_VALUE : budget;
    while (!cells.isEmpty()) {
      long top = cells.popEncoded();
      float bound = NeighborQueue.decodeDistance(top);
      if (bound > limit) {
        break;
      }
      int ref = NeighborQueue.decodeOrdinal(top);
      while (ref >= 0) {
        int base = ref * stride;
        float margin = KERNEL.dot(planes, base, q, 0, dimension) + planes[base + dimension];
        int near = children[2 * ref + (margin > 0f ? 1 : 0)];
        int far = children[2 * ref + (margin > 0f ? 0 : 1)];
        float farBound = Math.max(bound, Math.abs(margin));
        if (farBound <= limit) {
          cells.add(far, farBound);
        }
        ref = near;
      }
      int leaf = ~ref;
      int[] batch = s.batch(leafSize[leaf]);
      int count = 0;
      for (int i = leafStart[leaf], end = i + leafSize[leaf]; i < end && accepted + count < cap; i++) {
        int ord = pool[i];
        if (!visited.visit(ord)) {
          continue;
        }
        seen++;
        if (filter == null || filter.test(ids.idOf(ord))) {
          batch[count++] = ord;
        }
      }
      float[] distances = s.distances;
      exact.distances(q, batch, count, distances); // the leaf's candidates, streamed together
      boolean changed = false;
      for (int j = 0; j < count; j++) {
        float d = distances[j];
        if (d <= maxDistance && best.insertWithOverflow(batch[j], d, k)) {
          changed = true;
          if (best.size() == k) {
            limit = stop.limit(best.topDistance());
          }
        }
      }
      accepted += count;
      changedAt = changed ? accepted : changedAt;
      if (accepted >= budget && (!extended || accepted >= (long) EXTEND_RATIO * changedAt)) {
        break;
      }
      if (filter != null && scanIsCheaper(n, seen, accepted, budget)
          || extended && seen >= n / SCAN_SHARE) {
        scan(q, k, maxDistance, filter, visited, s);
        break;
      }
    }
    return best.drainToResults(ids::idOf);
  }

  /** The exact nearest {@code k} that {@code filter} accepts, by a scan of every stored vector. */
  List<SearchResult> exact(float[] q, int k, LongPredicate filter) {
    Scratch s = scratch.get();
    s.best.clear();
    scan(q, k, Float.POSITIVE_INFINITY, filter, null, s);
    return s.best.drainToResults(ids::idOf);
  }

  /**
   * Whether, at the acceptance rate seen so far, reaching the budget would walk more than half of the
   * points not yet seen: then an exact scan of those is cheaper and certain to fill {@code k}.
   */
  private static boolean scanIsCheaper(int n, int seen, int accepted, int budget) {
    double needed = (double) (budget - accepted) * (seen + 1) / (accepted + 1);
    return needed > (n - seen) / 2.0;
  }

  /**
   * Offers {@code s.best} every stored vector within {@code maxDistance} that {@code filter} accepts
   * and {@code visited} (when not null) has not seen, {@value #SCAN_BLOCK} to a kernel call.
   */
  private void scan(float[] q, int k, float maxDistance, LongPredicate filter, VisitedSet visited, Scratch s) {
    int n = vectors.size();
    int[] batch = s.batch(SCAN_BLOCK);
    float[] distances = s.distances;
    NeighborQueue best = s.best;
    for (int from = 0; from < n; from += SCAN_BLOCK) {
      int count = 0;
      for (int ord = from, end = Math.min(n, from + SCAN_BLOCK); ord < end; ord++) {
        if ((visited == null || !visited.isVisited(ord)) && (filter == null || filter.test(ids.idOf(ord)))) {
          batch[count++] = ord;
        }
      }
      exact.distances(q, batch, count, distances);
      for (int j = 0; j < count; j++) {
        if (distances[j] <= maxDistance) {
          best.insertWithOverflow(batch[j], distances[j], k);
        }
      }
    }
  }

  /**
   * Turns a distance (the k-th best, or a range's bound) into the largest subtree bound still worth
   * exploring: a subtree whose bound (a Euclidean distance to a crossed plane) exceeds it holds nothing
   * nearer. Allows for the worst-case rounding of the margins. Under DOT no such bound exists and the
   * search uses its budget.
   */
  private final class EarlyStop {
    private final float slack;
    private final float shrink;

    EarlyStop(float[] q, float maxNorm) {
      float relative = 4 * dimension * EPSILON;
      float queryNorm = metric == Metric.L2 ? (float) Math.sqrt(KERNEL.dot(q, 0, q, 0, dimension)) : 1f;
      float cosineSlack = metric == Metric.COSINE ? (float) Math.sqrt(8 * dimension * EPSILON) : 0f;
      this.slack = relative * (queryNorm + maxNorm) + cosineSlack;
      this.shrink = 1 - relative;
    }

    float limit(float distance) {
      if (metric == Metric.DOT || shrink < 0.5f) {
        return Float.POSITIVE_INFINITY;
      }
      double d = Math.max(0f, distance); // a COSINE distance may round below 0
      double euclidean = metric == Metric.COSINE ? Math.sqrt(2.0 * d) : Math.sqrt(d);
      return (float) ((euclidean + slack) / shrink);
    }
  }

  /** Per-thread search state, reused across queries. */
  private static final class Scratch {
    final VisitedSet visited = new VisitedSet(1024);
    final NeighborQueue cells = new NeighborQueue(256, false);
    final NeighborQueue best = new NeighborQueue(16, true);
    private int[] batch = new int[SCAN_BLOCK];
    float[] distances = new float[SCAN_BLOCK];

    /** Room for a leaf's candidates: {@code batch} and {@link #distances} of at least {@code size}. */
    int[] batch(int size) {
      if (batch.length < size) {
        batch = new int[Math.max(size, batch.length * 2)];
        distances = new float[batch.length];
      }
      return batch;
    }
  }
}
