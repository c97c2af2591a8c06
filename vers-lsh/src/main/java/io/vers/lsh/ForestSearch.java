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
  /**
   * Subtrees a walk takes from its queue at a time and descends in lockstep. A plane is read from a
   * scattered place of the heap; one descent at a time waits on memory for each plane in turn, eight
   * side by side keep eight reads in flight (on a 100,000 x 256 forest of 40 trees, 1.4-1.5x the
   * queries per second at the same recall). The group's leaves are then read nearest first.
   */
  static final int GROUP = BatchDistance.WIDTH;

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
   * query crossed to reach them; the nearest {@value #GROUP} are taken at a time and descended together
   * ({@link #descend}), and their leaves read nearest first, until {@code budget} accepted candidates
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
    float[] lifted = s.lift(q, dimension, f.stride);
    int[] group = s.group;
    float[] bounds = s.bounds;
    float limit = maxDistance == Float.POSITIVE_INFINITY ? Float.POSITIVE_INFINITY : stop.limit(maxDistance);
    int seen = 0;
    int accepted = 0;
    int changedAt = 0;
    int cap = extended ? Integer.MAX_VALUE : budget;
    walk:
    while (true) {
      int g = 0;
      while (g < GROUP && !cells.isEmpty() && cells.topDistance() <= limit) {
        long top = cells.popEncoded();
        group[g] = NeighborQueue.decodeOrdinal(top);
        bounds[g++] = NeighborQueue.decodeDistance(top);
      }
      if (g == 0) {
        break;
      }
      descend(f, lifted, limit, g, s);
      for (int c = 0; c < g; c++) {
        if (bounds[c] > limit) { // the leaves read before moved the limit past this one and the rest
          break; // (subtrees queued by the descent may still be within it)
        }
        int leaf = ~group[c];
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
          break walk;
        }
        if (filter != null && scanIsCheaper(n, seen, accepted, budget)
            || extended && seen >= n / SCAN_SHARE) {
          scan(q, k, maxDistance, filter, visited, s);
          break walk;
        }
      }
    }
    return best.drainToResults(ids::idOf);
  }

  /**
   * Takes the subtrees {@code s.group[0 .. g)} (reached with bounds {@code s.bounds}) down to a leaf
   * each, in lockstep: every step reads one plane of each subtree not yet at its leaf, in one kernel
   * call ({@code lifted} is the query as {@link Scratch#lift} extends it), then queues the far side of
   * each plane crossed. On return {@code s.group} holds the leaves.
   */
  private static void descend(Forest f, float[] lifted, float limit, int g, Scratch s) {
    int[] children = f.children;
    int[] group = s.group;
    float[] bounds = s.bounds;
    int[] nodes = s.nodes;
    float[] dots = s.dots;
    NeighborQueue cells = s.cells;
    while (true) {
      int count = 0;
      for (int c = 0; c < g; c++) {
        if (group[c] >= 0) {
          nodes[count++] = group[c];
        }
      }
      if (count == 0) {
        return;
      }
      f.margins.distances(lifted, nodes, count, dots);
      for (int c = 0, j = 0; c < g; c++) {
        int ref = group[c];
        if (ref < 0) {
          continue;
        }
        float margin = -dots[j++];
        int near = children[2 * ref + (margin > 0f ? 1 : 0)];
        int far = children[2 * ref + (margin > 0f ? 0 : 1)];
        float farBound = Math.max(bounds[c], Math.abs(margin));
        if (farBound <= limit) {
          cells.add(far, farBound);
        }
        group[c] = near;
      }
    }
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
    final int[] group = new int[GROUP];
    final float[] bounds = new float[GROUP];
    final int[] nodes = new int[GROUP];
    final float[] dots = new float[GROUP];
    private int[] batch = new int[SCAN_BLOCK];
    float[] distances = new float[SCAN_BLOCK];
    private float[] lifted = new float[0];

    /**
     * The query {@code q} followed by a 1 and zeros to {@code stride} floats, whose dot product with a
     * plane's row is the query's margin (the query's extra coordinate under DOT is 0).
     */
    float[] lift(float[] q, int dimension, int stride) {
      if (lifted.length != stride) {
        lifted = new float[stride];
      }
      System.arraycopy(q, 0, lifted, 0, dimension);
      lifted[dimension] = 1f;
      return lifted;
    }

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
