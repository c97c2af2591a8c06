package io.vers.ivfflat;

import io.vers.api.Metric;
import io.vers.api.SearchResult;
import io.vers.spi.IdMap;
import io.vers.spi.NeighborQueue;
import io.vers.spi.simd.BlockDistance;
import io.vers.spi.simd.Kernels;
import io.vers.spi.simd.VectorKernel;
import io.vers.spi.storage.ScalarQuantizer;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * The one-query searches of an {@link IvfFlatIndex} (top k, range, exact) and the steps a batch shares
 * with them: ranking the centroids, choosing the probed lists, scanning a list into a bounded heap and
 * scanning further lists when the probed ones held fewer than {@code k} accepted vectors. Per-thread
 * scratch: {@link #acquire()} one, use it under the index's read lock, {@link #release()} it.
 *
 * <p>Distances come from {@link BlockDistance}, as in the flat index, which gives each (query, vector)
 * pair the same distance whether it compares one query or a block of them. Results are the {@code k}
 * smallest (distance, ordinal) pairs among the vectors scanned, so they do not depend on the order in
 * which lists or vectors are scanned, only on which are: ties in distance go to the lower ordinal, as
 * in the flat index.
 *
 * <p>Quantized lists ({@code sq8}): {@link #search} and {@link #range} compare the query with the codes
 * (asymmetric distances, {@link ScalarQuantizer#distance}, from a query prepared once per search in
 * per-thread scratch). Without the floats, the code distances are returned; with them, the
 * {@code ceil(oversample x k)} nearest by code are re-ranked with the float kernel and the nearest
 * {@code k} returned with exact distances. {@link #exact} scans floats when kept, else codes.
 */
final class ListScanner {
  /** The most vectors compared with a query per kernel call. */
  static final int RUN = 256;

  private static final ThreadLocal<ListScanner> SCRATCH = ThreadLocal.withInitial(ListScanner::new);

  private boolean inUse;
  private final NeighborQueue results = new NeighborQueue(64, true);
  private final NeighborQueue probeHeap = new NeighborQueue(64, true);
  private final float[] dots = new float[CentroidPanels.scoreScratch()];
  private final float[] distances = new float[RUN];
  private int[] probeOrder = new int[64];
  private float[] scores = new float[0];
  private long[] ranked = new long[0];
  private int[] runStarts = new int[64];
  private int[] runEnds = new int[64];
  private BlockDistance kernel;
  private Metric kernelMetric;
  private static final VectorKernel CODES = Kernels.get().vector();
  /** Whether the current search compares the query with codes, and re-ranks the candidates exactly. */
  private boolean useCodes;
  private boolean rerank;
  private float[] prepared = new float[0];
  private final NeighborQueue reranked = new NeighborQueue(64, true);
  private final float[] one = new float[1];

  /**
   * This thread's scanner, or a fresh one when this thread's is in use (a search started from a filter
   * of another).
   */
  static ListScanner acquire() {
    ListScanner scanner = SCRATCH.get();
    if (scanner.inUse) {
      scanner = new ListScanner();
    }
    scanner.inUse = true;
    return scanner;
  }

  /** Gives the scanner back after {@link #acquire()}. */
  void release() {
    inUse = false;
  }

  // ------------------------------------------------------------------ searches

  /**
   * The {@code k} nearest among the vectors in the {@code nprobe} lists nearest to {@code q} (more for
   * a remote query under {@code rule}, when not null; every vector before training), then in further
   * lists in rank order while fewer than {@code k} were found.
   */
  List<SearchResult> search(ListStore store, Centroids c, Metric metric, float[] q, int k, int nprobe,
      RemoteQueries.Rule rule, LongPredicate filter, double oversample) {
    NeighborQueue best = results;
    best.clear();
    int want = begin(store, q, k, oversample, true);
    InvertedList[] lists = store.lists();
    if (c == null) {
      scan(lists[0], store, metric, q, 0, want, Float.POSITIVE_INFINITY, filter, best);
    } else {
      int nlist = c.count();
      boolean dot = metric == Metric.DOT;
      float[] s = scores(nlist);
      c.panels().scoreRow(q, 0, dot, s, 0, dots);
      int probes = Math.min(nlist, RemoteQueries.probes(rule, c, s, 0, dot, q, 0, nprobe));
      probeAndScan(lists, store, metric, s, 0, nlist, probes, q, 0, want, filter, best);
    }
    return finish(store, metric, q, k, Float.POSITIVE_INFINITY);
  }

  /**
   * Sets this search up: whether it scans codes ({@code approximate} searches of a quantized store, and
   * every search of one without floats), then preparing the query, and whether it re-ranks.
   *
   * @return the bound of the candidate heap: {@code k}, or the candidates to re-rank
   */
  private int begin(ListStore store, float[] q, int k, double oversample, boolean approximate) {
    ScalarQuantizer quantizer = store.quantizer();
    useCodes = quantizer != null && (approximate || !store.hasFloats());
    rerank = useCodes && store.hasFloats();
    if (useCodes) {
      if (prepared.length < quantizer.preparedLength()) {
        prepared = new float[quantizer.preparedLength()];
      }
      quantizer.prepare(q, 0, prepared, 0);
    }
    return rerank ? Quantization.candidates(k, oversample) : k;
  }

  /**
   * The results of this search: the candidates re-ranked by their float distances (the nearest
   * {@code k} within {@code radius}) when it re-ranks, else the heap as it is.
   */
  private List<SearchResult> finish(ListStore store, Metric metric, float[] q, int k, float radius) {
    boolean exactly = rerank;
    useCodes = false;
    rerank = false;
    if (!exactly) {
      return results.drainToResults(store.ids()::idOf);
    }
    NeighborQueue out = reranked;
    out.clear();
    int dim = store.dimension();
    BlockDistance kernel = kernel(metric, dim);
    InvertedList[] lists = store.lists();
    for (int i = 0, n = results.size(); i < n; i++) {
      int ord = NeighborQueue.decodeOrdinal(results.entryAt(i));
      long location = store.location(ord);
      InvertedList list = lists[ListStore.listOf(location)];
      kernel.distances(q, 0, 1, list.vectors(), list.base() + ListStore.positionOf(location) * dim, 1, one, 0, 1);
      if (one[0] <= radius) {
        out.insertWithOverflow(ord, one[0], k);
      }
    }
    results.clear();
    return out.drainToResults(store.ids()::idOf);
  }

  /**
   * Scans, for the query {@code q[qo ..]} with centroid scores {@code scores[from .. from + nlist)},
   * the {@code probes} lists of smallest score, then further lists in rank order while {@code best}
   * holds fewer than {@code k}.
   */
  void probeAndScan(InvertedList[] lists, ListStore store, Metric metric, float[] scores, int from, int nlist,
      int probes, float[] q, int qo, int k, LongPredicate filter, NeighborQueue best) {
    int[] order = probeOrder(probes);
    selectProbes(scores, from, nlist, probes, probeHeap, order, 0);
    for (int i = 0; i < probes; i++) {
      scan(lists[order[i]], store, metric, q, qo, k, Float.POSITIVE_INFINITY, filter, best);
    }
    if (best.size() < k && probes < nlist) {
      scanFurther(lists, store, metric, scores, from, nlist, probes, q, qo, k, filter, best);
    }
  }

  /**
   * The nearest {@code limit} within {@code maxDistance} among the vectors of the {@code nprobe} lists
   * nearest to {@code q}, and of further lists in rank order for as long as the last one scanned added
   * a result. Every vector before training; every list at {@code nprobe = nlist}: then it is exact.
   */
  List<SearchResult> range(ListStore store, Centroids c, Metric metric, float[] q, float maxDistance, int limit,
      int nprobe, RemoteQueries.Rule rule, LongPredicate filter, double oversample) {
    NeighborQueue best = results;
    best.clear();
    int want = begin(store, q, limit, oversample, true);
    float gate = rerank ? Quantization.codeRadius(metric, maxDistance, prepared[store.dimension() + 1],
        store.codeError()) : maxDistance;
    InvertedList[] lists = store.lists();
    if (c == null) {
      scan(lists[0], store, metric, q, 0, want, gate, filter, best);
    } else {
      int nlist = c.count();
      boolean dot = metric == Metric.DOT;
      float[] s = scores(nlist);
      c.panels().scoreRow(q, 0, dot, s, 0, dots);
      int probes = Math.min(nlist, RemoteQueries.probes(rule, c, s, 0, dot, q, 0, nprobe));
      long[] order = rank(s, 0, nlist);
      int kept = 0;
      for (int i = 0; i < nlist && (i < probes || kept > 0); i++) {
        kept = scan(lists[NeighborQueue.decodeOrdinal(order[i])], store, metric, q, 0, want, gate, filter, best);
      }
    }
    return finish(store, metric, q, limit, maxDistance);
  }

  /**
   * The exact {@code k} nearest accepted vectors: every list scanned, on the floats when kept, else on
   * the codes (exact for the decoded vectors).
   */
  List<SearchResult> exact(ListStore store, Metric metric, float[] q, int k, LongPredicate filter) {
    NeighborQueue best = results;
    best.clear();
    begin(store, q, k, 1, false);
    for (InvertedList list : store.lists()) {
      scan(list, store, metric, q, 0, k, Float.POSITIVE_INFINITY, filter, best);
    }
    return finish(store, metric, q, k, Float.POSITIVE_INFINITY);
  }

  // ------------------------------------------------------------------ steps shared with the batch

  /**
   * Writes into {@code out[at .. at + probes)} the {@code probes} lists of smallest score, nearest
   * first, ties to the lower list number.
   */
  static void selectProbes(float[] scores, int from, int nlist, int probes, NeighborQueue heap, int[] out, int at) {
    heap.clear();
    for (int l = 0; l < nlist; l++) {
      heap.insertWithOverflow(l, scores[from + l], probes);
    }
    for (int i = probes - 1; i >= 0; i--) {
      out[at + i] = heap.pop();
    }
  }

  /**
   * Scans the lists after the first {@code probes} in rank order (by {@code scores[from ..]}, ties to
   * the lower list number) until {@code best} holds {@code k} or none is left.
   */
  void scanFurther(InvertedList[] lists, ListStore store, Metric metric, float[] scores, int from, int nlist,
      int probes, float[] q, int qo, int k, LongPredicate filter, NeighborQueue best) {
    long[] order = rank(scores, from, nlist);
    for (int i = probes; i < nlist && best.size() < k; i++) {
      scan(lists[NeighborQueue.decodeOrdinal(order[i])], store, metric, q, qo, k, Float.POSITIVE_INFINITY, filter,
          best);
    }
  }

  /**
   * Scans one list for the query {@code q[qo ..]} into the bounded heap {@code best}: each accepted
   * vector no farther than {@code radius} and than the heap's worst is offered. Rejected ids are
   * skipped before their distance is computed.
   *
   * @return the number of vectors the heap kept
   */
  int scan(InvertedList list, ListStore store, Metric metric, float[] q, int qo, int k, float radius,
      LongPredicate filter, NeighborQueue best) {
    if (useCodes) {
      return scanCodes(list, store, metric, k, radius, filter, best);
    }
    int runs = runs(list, store, filter);
    int dim = store.dimension();
    BlockDistance kernel = kernel(metric, dim);
    float[] vectors = list.vectors();
    int base = list.base();
    int[] ords = list.ords();
    float[] d = distances;
    float worst = bound(best, k, radius);
    int kept = 0;
    for (int r = 0; r < runs; r++) {
      for (int from = runStarts[r], end = runEnds[r]; from < end; from += RUN) {
        int count = Math.min(RUN, end - from);
        kernel.distances(q, qo, 1, vectors, base + from * dim, count, d, 0, count);
        for (int i = 0; i < count; i++) {
          if (d[i] <= worst && best.insertWithOverflow(ords[from + i], d[i], k)) {
            kept++;
            worst = bound(best, k, radius);
          }
        }
      }
    }
    return kept;
  }

  /** As {@link #scan}, comparing the prepared query with the list's codes. */
  private int scanCodes(InvertedList list, ListStore store, Metric metric, int k, float radius, LongPredicate filter,
      NeighborQueue best) {
    int runs = runs(list, store, filter);
    int dim = store.dimension();
    byte[] codes = list.codes();
    float[] norms = list.norms();
    int[] ords = list.ords();
    float[] p = prepared;
    float worst = bound(best, k, radius);
    int kept = 0;
    for (int r = 0; r < runs; r++) {
      for (int i = runStarts[r], end = runEnds[r]; i < end; i++) {
        float d = ScalarQuantizer.distance(metric, p, 0, dim, CODES.dotCodes(p, 0, codes, i * dim, dim), norms[i]);
        if (d <= worst && best.insertWithOverflow(ords[i], d, k)) {
          kept++;
          worst = bound(best, k, radius);
        }
      }
    }
    return kept;
  }

  /**
   * Splits {@code list} into runs of consecutive entries that {@code filter} accepts (one run of the
   * whole list without a filter): run {@code r} is positions {@code [runStarts()[r], runEnds()[r])}.
   *
   * @return the number of runs
   */
  int runs(InvertedList list, ListStore store, LongPredicate filter) {
    int n = list.size();
    if (runStarts.length < n) {
      runStarts = new int[Math.max(n, runStarts.length * 2)];
      runEnds = new int[runStarts.length];
    }
    if (filter == null) {
      runStarts[0] = 0;
      runEnds[0] = n;
      return n == 0 ? 0 : 1;
    }
    int[] ords = list.ords();
    IdMap ids = store.ids();
    int runs = 0;
    for (int i = 0; i < n; i++) {
      if (filter.test(ids.idOf(ords[i]))) {
        if (runs > 0 && runEnds[runs - 1] == i) {
          runEnds[runs - 1] = i + 1;
        } else {
          runStarts[runs] = i;
          runEnds[runs++] = i + 1;
        }
      }
    }
    return runs;
  }

  /** Starts of the runs {@link #runs} found. */
  int[] runStarts() {
    return runStarts;
  }

  /** Ends (exclusive) of the runs {@link #runs} found. */
  int[] runEnds() {
    return runEnds;
  }

  /**
   * This thread's distance kernel for {@code metric} and {@code dimension}: the one the flat index
   * uses, so that probing every list gives the flat index's distances bit for bit, and one query or a
   * block of them gives the same distances.
   */
  BlockDistance kernel(Metric metric, int dimension) {
    if (kernel == null || kernelMetric != metric || kernel.dimension() != dimension) {
      kernel = Kernels.get().block(metric, dimension);
      kernelMetric = metric;
    }
    return kernel;
  }

  /** The largest distance a heap of {@code k} still takes: its worst once full, and never above {@code radius}. */
  static float bound(NeighborQueue best, int k, float radius) {
    return best.size() >= k ? Math.min(radius, best.topDistance()) : radius;
  }

  /** Scores of {@code nlist} lists from {@code from}, packed with the list number and sorted. */
  private long[] rank(float[] s, int from, int nlist) {
    if (ranked.length < nlist) {
      ranked = new long[nlist];
    }
    for (int l = 0; l < nlist; l++) {
      ranked[l] = NeighborQueue.encode(s[from + l], l);
    }
    Arrays.sort(ranked, 0, nlist);
    return ranked;
  }

  /** Room for one query's scores of {@code nlist} centroids. */
  float[] scores(int nlist) {
    if (scores.length < nlist) {
      scores = new float[nlist];
    }
    return scores;
  }

  /** Scratch for {@link CentroidPanels#scoreRow}. */
  float[] dots() {
    return dots;
  }

  private int[] probeOrder(int probes) {
    if (probeOrder.length < probes) {
      probeOrder = new int[Math.max(probes, probeOrder.length * 2)];
    }
    return probeOrder;
  }
}
