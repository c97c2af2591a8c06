package io.vers.ivfflat;

import io.vers.api.BatchResults;
import io.vers.api.Metric;
import io.vers.api.SearchResult;
import io.vers.spi.NeighborQueue;
import io.vers.spi.Parallel;
import io.vers.spi.SearchSupport.BatchFill;
import io.vers.spi.Vectors;
import io.vers.spi.simd.BlockDistance;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * The batch search of an {@link IvfFlatIndex}: queries go in blocks, and each list is scanned once per
 * block for all the queries of the block that probe it.
 *
 * <p>For a block, the queries are ranked against the centroids through the centroid panels (a
 * register-blocked product of queries and centroids), each query's probed lists are chosen, and the
 * choice is inverted into, for each list, the queries that probe it. Each such list is then read
 * once: the filter is applied to its entries once, its queries are copied side by side, and each run of
 * accepted vectors is compared with all of them in one call of the {@link BlockDistance} kernel (a
 * register-blocked product that loads each group of vectors once for several queries), a segment at a
 * time, each distance offered to its query's bounded heap. So a list's vectors come from memory once
 * per block rather than once per query; the queries' heaps, buffers and list tables are per-worker
 * scratch, reused from block to block without clearing anything in proportion to the index.
 *
 * <p>Row {@code i} equals {@code search(queries[i], k, params)}: the scores that choose the lists, the
 * choice (ties to the lower list), the further lists scanned when the probed ones hold fewer than
 * {@code k} accepted vectors, and every distance are computed by the same code and arithmetic as the
 * one-query search ({@link ListScanner}), and the top {@code k} of the vectors scanned does not depend
 * on the order in which they were scanned. A query that is remote under a target recall's
 * {@link RemoteQueries} rule is searched on its own, by the one-query code, as soon as it is ranked.
 *
 * <p>An index holding sq8 codes has each query of a block searched by the one-query code
 * ({@link ListScanner#search}) under the block's read lock, so its rows are those of single searches.
 */
final class BatchSearch {
  /** The most queries per block. */
  static final int MAX_BLOCK = 4096;
  /** The most floats of queries a block copies: 8 MB. */
  private static final int BLOCK_FLOATS = 1 << 21;
  /** The fewest queries per block, unless the batch is smaller. */
  private static final int MIN_BLOCK = 16;
  /** Blocks per thread, at least, when several threads share a batch. */
  private static final int ROUNDS = 2;
  /** Floats of list vectors compared per kernel call with the queries probing the list. */
  private static final int SEGMENT_FLOATS = 1 << 16;
  /** The most distances one kernel call computes. */
  private static final int OUT_FLOATS = 1 << 16;
  /** Floats of centroid scores computed at a time. */
  private static final int SCORE_FLOATS = 1 << 18;

  /** Where the queries of a batch come from. */
  interface Queries {
    /** Query {@code i}, in {@code temp} or an array of its own, before checking and normalising. */
    float[] row(int i, float[] temp);
  }

  private final IvfFlatIndex index;
  private final Metric metric;
  private final int dimension;
  private final int k;
  private final int nprobe;
  private final RemoteQueries.Rule rule;
  private final LongPredicate filter;
  private final double oversample;

  private BatchSearch(IvfFlatIndex index, int k, int nprobe, RemoteQueries.Rule rule, LongPredicate filter,
      double oversample) {
    this.index = index;
    this.metric = index.metric();
    this.dimension = index.dimension();
    this.k = k;
    this.nprobe = nprobe;
    this.rule = rule;
    this.filter = filter;
    this.oversample = oversample;
  }

  /**
   * Searches {@code count} queries on up to {@code threads} threads. Knobs must be resolved and
   * {@code k} and {@code threads} checked; each query is checked here.
   *
   * @param rule for a target recall, the rule for remote queries; else null
   * @param oversample the {@code oversample} knob, read when the index re-ranks codes
   */
  static BatchResults run(IvfFlatIndex index, Queries queries, int count, int k, int nprobe,
      RemoteQueries.Rule rule, LongPredicate filter, double oversample, int threads) {
    BatchSearch search = new BatchSearch(index, k, nprobe, rule, filter, oversample);
    BatchFill fill = new BatchFill(count, k);
    int block = blockSize(count, threads, index.dimension());
    Worker[] workers = new Worker[threads];
    Parallel.forEachBlock(count, threads, block, (w, from, to) -> {
      if (workers[w] == null) {
        workers[w] = search.new Worker();
      }
      workers[w].run(queries, from, to, fill);
    });
    return fill.results();
  }

  /**
   * Queries per block: as many as fit {@value #BLOCK_FLOATS} floats of copied queries (at most
   * {@value #MAX_BLOCK}), since the more queries a block holds, the more of them probe each list it
   * reads; but no more than gives every thread {@value #ROUNDS} blocks, so that the threads finish
   * together.
   */
  static int blockSize(int count, int threads, int dimension) {
    int largest = Math.max(MIN_BLOCK, Math.min(MAX_BLOCK, BLOCK_FLOATS / dimension));
    int rounds = threads == 1 ? 1 : ROUNDS;
    long perRound = (count + (long) threads * rounds - 1) / ((long) threads * rounds);
    return (int) Math.max(1, Math.min(largest, Math.max(Math.min(count, MIN_BLOCK), perRound)));
  }

  /** One thread's scratch, reused for each block it takes. */
  private final class Worker {
    private final ListScanner scanner = new ListScanner();
    private final float[] temp = new float[dimension];
    private final float[] dots = new float[CentroidPanels.scoreScratch()];
    private final int[] rowOffsets = new int[CentroidPanels.scoreGroup()];
    private final NeighborQueue probeHeap = new NeighborQueue(64, true);
    /** The block's queries in stored form, row-major. */
    private float[] queries = new float[0];
    /** The queries probing one list, side by side, and their distances to a segment of it. */
    private float[] memberQueries = new float[0];
    private float[] distances = new float[0];
    private NeighborQueue[] heaps = new NeighborQueue[0];
    private float[] worst = new float[0];
    private float[] scores = new float[0];
    private int[] probes = new int[0];
    /** By block query: whether it is remote under the rule, and searched on its own. */
    private boolean[] remote = new boolean[0];
    private int[] members = new int[0];
    /** By list: queries of the block probing it; all zero between blocks. */
    private int[] listCount = new int[0];
    private int[] listStart = new int[0];
    private int[] touched = new int[0];
    private long[] sorted = new long[0];

    void run(Queries source, int from, int to, BatchFill fill) {
      int b = to - from;
      prepare(source, from, b);
      index.lockRead();
      try {
        ListStore store = index.store();
        Centroids c = store.centroids();
        InvertedList[] lists = store.lists();
        if (store.quantizer() != null) {
          searchEach(store, c, from, b, fill);
          return;
        }
        if (c == null) {
          int[] all = members(b);
          for (int r = 0; r < b; r++) {
            all[r] = r;
          }
          scanList(lists[0], store, all, 0, b);
        } else {
          probeAndScan(c, store, lists, b);
        }
        for (int r = 0; r < b; r++) {
          drain(r, from + r, store, fill);
        }
      } finally {
        index.unlockRead();
      }
    }

    /** Searches each query of the block as a single search does; holds the read lock. */
    private void searchEach(ListStore store, Centroids c, int from, int b, BatchFill fill) {
      for (int r = 0; r < b; r++) {
        System.arraycopy(queries, r * dimension, temp, 0, dimension);
        List<SearchResult> row = scanner.search(store, c, metric, temp, k, nprobe, rule, filter, oversample);
        for (int j = 0; j < row.size(); j++) {
          fill.set(from + r, j, row.get(j).id(), row.get(j).distance());
        }
      }
    }

    /** Checks and copies the block's queries, in stored form, and empties its heaps. */
    private void prepare(Queries source, int from, int b) {
      if (heaps.length < b) {
        NeighborQueue[] grown = Arrays.copyOf(heaps, b);
        for (int r = heaps.length; r < b; r++) {
          grown[r] = new NeighborQueue(Math.min(k, 256), true);
        }
        heaps = grown;
        worst = new float[b];
        queries = new float[b * dimension];
      }
      for (int r = 0; r < b; r++) {
        float[] q = Vectors.prepareQuery(source.row(from + r, temp), dimension, metric);
        System.arraycopy(q, 0, queries, r * dimension, dimension);
        heaps[r].clear();
        worst[r] = Float.POSITIVE_INFINITY;
      }
    }

    private void probeAndScan(Centroids c, ListStore store, InvertedList[] lists, int b) {
      int nlist = c.count();
      int p = Math.min(nprobe, nlist);
      int group = CentroidPanels.scoreGroup();
      int rowsPerScore = Math.max(group, Math.min(64, SCORE_FLOATS / nlist) / group * group);
      if (scores.length < rowsPerScore * nlist) {
        scores = new float[rowsPerScore * nlist];
      }
      if (probes.length < b * p) {
        probes = new int[b * p];
      }
      if (remote.length < b) {
        remote = new boolean[b];
      }
      boolean dot = metric == Metric.DOT;
      CentroidPanels panels = c.panels();
      for (int r0 = 0; r0 < b; r0 += rowsPerScore) {
        int rows = Math.min(rowsPerScore, b - r0);
        panels.scoreRows(queries, r0, rows, dot, scores, nlist, dots, rowOffsets);
        for (int r = 0; r < rows; r++) {
          int q = (r0 + r) * dimension;
          int own = Math.min(nlist, RemoteQueries.probes(rule, c, scores, r * nlist, dot, queries, q, p));
          remote[r0 + r] = own != p;
          if (own == p) {
            ListScanner.selectProbes(scores, r * nlist, nlist, p, probeHeap, probes, (r0 + r) * p);
          } else {
            scanner.probeAndScan(lists, store, metric, scores, r * nlist, nlist, own, queries, q, k, filter,
                heaps[r0 + r]);
          }
        }
      }
      int lists0 = invert(nlist, b, p);
      for (int t = 0; t < lists0; t++) {
        int l = touched[t];
        scanList(lists[l], store, members, listStart[l], listStart[l] + listCount[l]);
        listCount[l] = 0;
      }
      if (p < nlist) {
        for (int r = 0; r < b; r++) {
          if (!remote[r] && heaps[r].size() < k) {
            float[] s = scanner.scores(nlist);
            panels.scoreRow(queries, r * dimension, dot, s, 0, dots);
            scanner.scanFurther(lists, store, metric, s, 0, nlist, p, queries, r * dimension, k, filter, heaps[r]);
          }
        }
      }
    }

    /**
     * Turns the block's probes into, for each list probed, the block's queries probing it:
     * {@code members[listStart[l] .. + listCount[l])}, the lists in {@code touched}.
     *
     * @return the number of lists probed
     */
    private int invert(int nlist, int b, int p) {
      if (listCount.length < nlist) {
        listCount = new int[nlist];
        listStart = new int[nlist];
      }
      if (touched.length < Math.min(nlist, b * p)) {
        touched = new int[Math.min(nlist, b * p)];
      }
      int[] slots = members(b * p);
      int distinct = 0;
      for (int r = 0; r < b; r++) {
        if (remote[r]) {
          continue;
        }
        for (int j = r * p, end = j + p; j < end; j++) {
          int l = probes[j];
          if (listCount[l]++ == 0) {
            touched[distinct++] = l;
          }
        }
      }
      for (int t = 0, at = 0; t < distinct; t++) {
        int l = touched[t];
        listStart[l] = at;
        at += listCount[l];
        listCount[l] = 0;
      }
      for (int r = 0; r < b; r++) {
        if (remote[r]) {
          continue;
        }
        for (int j = r * p, end = j + p; j < end; j++) {
          int l = probes[j];
          slots[listStart[l] + listCount[l]++] = r;
        }
      }
      return distinct;
    }

    /**
     * Scans one list for the queries {@code rows[from .. to)} of the block: the filter is applied once,
     * the queries are copied side by side, and each run of accepted vectors goes through the kernel
     * with all of them at once, a segment at a time, each distance offered to its query's heap.
     */
    private void scanList(InvertedList list, ListStore store, int[] rows, int from, int to) {
      int runs = scanner.runs(list, store, filter);
      if (runs == 0) {
        return;
      }
      int m = to - from;
      if (memberQueries.length < m * dimension) {
        memberQueries = new float[m * dimension];
      }
      for (int j = 0; j < m; j++) {
        System.arraycopy(queries, rows[from + j] * dimension, memberQueries, j * dimension, dimension);
      }
      int segment = Math.max(1, Math.min(SEGMENT_FLOATS / dimension, OUT_FLOATS / m));
      if (distances.length < m * segment) {
        distances = new float[m * segment];
      }
      BlockDistance kernel = scanner.kernel(metric, dimension);
      float[] vectors = list.vectors();
      int base = list.base();
      int[] ords = list.ords();
      int[] starts = scanner.runStarts();
      int[] ends = scanner.runEnds();
      for (int r = 0; r < runs; r++) {
        for (int at = starts[r], end = ends[r]; at < end; at += segment) {
          int count = Math.min(segment, end - at);
          kernel.distances(memberQueries, 0, m, vectors, base + at * dimension, count, distances, 0, count);
          for (int j = 0; j < m; j++) {
            offer(rows[from + j], ords, at, distances, j * count, count);
          }
        }
      }
    }

    /** Offers {@code count} distances from {@code d[from ..]}, of ordinals {@code ords[at ..]}, to block query {@code r}. */
    private void offer(int r, int[] ords, int at, float[] d, int from, int count) {
      NeighborQueue heap = heaps[r];
      float w = worst[r];
      for (int i = 0; i < count; i++) {
        float distance = d[from + i];
        if (distance <= w && heap.insertWithOverflow(ords[at + i], distance, k) && heap.size() >= k) {
          w = heap.topDistance();
        }
      }
      worst[r] = w;
    }

    /** Writes block query {@code r}'s heap, nearest first, as row {@code row} of the answer. */
    private void drain(int r, int row, ListStore store, BatchFill fill) {
      NeighborQueue heap = heaps[r];
      int n = heap.size();
      if (sorted.length < n) {
        sorted = new long[n];
      }
      for (int i = 0; i < n; i++) {
        sorted[i] = heap.entryAt(i);
      }
      Arrays.sort(sorted, 0, n);
      for (int j = 0; j < n; j++) {
        fill.set(row, j, store.idOf(NeighborQueue.decodeOrdinal(sorted[j])), NeighborQueue.decodeDistance(sorted[j]));
      }
      heap.clear();
    }

    private int[] members(int n) {
      if (members.length < n) {
        members = new int[n];
      }
      return members;
    }
  }
}
