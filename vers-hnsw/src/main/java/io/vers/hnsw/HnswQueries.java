package io.vers.hnsw;

import io.vers.api.Metric;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.spi.IdMap;
import io.vers.spi.NeighborQueue;
import io.vers.spi.RecallCalibrator;
import io.vers.spi.SearchKnobs;
import io.vers.spi.SearchSupport;
import io.vers.spi.Vectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The read side of an {@link HnswIndex}: top-k, exact and range searches, and the per-thread
 * {@link SearchScratch} that searches and insertions work in.
 *
 * <p>A search takes no lock. It runs inside a {@link ReaderEpochs reader epoch}, so that no node it may
 * reach is cleared and reused under it. Its knobs, and a target recall through the
 * {@link RecallCalibrator}, are resolved before it enters the epoch or takes its scratch: measuring a
 * calibration runs searches on other threads and reads {@link HnswIndex#ids()}, which waits for
 * writers, and a compaction that such a writer waits behind waits for the epoch in turn. Thread-safe.
 */
final class HnswQueries {
  /** The knobs a search reads: {@code ef}. */
  static final SearchKnobs KNOBS = new SearchKnobs(HnswIndex.NAME, HnswConfig.SEARCH_SPECS);
  /** A range query with a target recall takes {@code ef} from the calibration of {@code min(limit, this)}. */
  static final int RANGE_CALIBRATION_K = 10;

  private final int dimension;
  private final Metric metric;
  private final HnswConfig config;
  private final HnswGraph graph;
  private final IdMap ids;
  private final GraphSearcher searcher;
  private final ReaderEpochs epochs;
  /** Nodes whose tombstone bit is set, as the index counts them. */
  private final AtomicInteger deletedNodes;
  private final RecallCalibrator calibrator;
  private final ThreadLocal<SearchScratch> scratch;

  HnswQueries(int dimension, Metric metric, HnswConfig config, HnswGraph graph, IdMap ids, GraphSearcher searcher,
      ReaderEpochs epochs, AtomicInteger deletedNodes, RecallCalibrator calibrator) {
    this.dimension = dimension;
    this.metric = metric;
    this.config = config;
    this.graph = graph;
    this.ids = ids;
    this.searcher = searcher;
    this.epochs = epochs;
    this.deletedNodes = deletedNodes;
    this.calibrator = calibrator;
    this.scratch = ThreadLocal.withInitial(() -> new SearchScratch(config.m(), graph.size()));
  }

  /** The approximate {@code k} nearest, with {@code max(ef, k)} candidates. */
  List<SearchResult> search(float[] query, int k, SearchParams params) {
    Vectors.checkK(k);
    float[] q = Vectors.prepareQuery(query, dimension, metric);
    int ef = Math.max(ef(params, k), k);
    SearchScratch s = enter();
    try {
      int deleted = deletedNodes.get();
      searcher.search(q, k, ef, params.filter(), deleted > 0, graph.size() - deleted, s);
      return collect(s, s.results, k);
    } finally {
      exit(s);
    }
  }

  /**
   * The {@code k} nearest of a stored vector, found as if it were not in the graph, without it: what a
   * new query near it would get, for the recall calibration.
   */
  List<SearchResult> searchHeldOut(float[] stored, long id, int k, int ef) {
    int node = ids.get(id);
    SearchScratch s = enter();
    try {
      searcher.searchHeldOut(stored, k, Math.max(ef, k), node, deletedNodes.get() > 0, s);
      List<SearchResult> found = collect(s, s.results, k + 1);
      List<SearchResult> out = new ArrayList<>(k);
      for (SearchResult r : found) {
        if (r.id() != id && out.size() < k) {
          out.add(r);
        }
      }
      return out;
    } finally {
      exit(s);
    }
  }

  /** The exact {@code k} nearest accepted live nodes, by a batched scan of every node. */
  List<SearchResult> searchExact(float[] query, int k, SearchParams params) {
    Vectors.checkK(k);
    float[] q = Vectors.prepareQuery(query, dimension, metric);
    SearchScratch s = enter();
    try {
      searcher.exactScan(q, k, params.filter(), s);
      int found = s.results.size();
      List<SearchResult> out = collect(s, s.results, k);
      s.release(found);
      return out;
    } finally {
      exit(s);
    }
  }

  /** The nearest {@code limit} within {@code maxDistance} that a range walk with beam {@code ef} finds. */
  List<SearchResult> searchRange(float[] query, float maxDistance, int limit, SearchParams params) {
    SearchSupport.checkRange(maxDistance, limit);
    float[] q = Vectors.prepareQuery(query, dimension, metric);
    int ef = ef(params, Math.min(limit, RANGE_CALIBRATION_K));
    SearchScratch s = enter();
    try {
      int deleted = deletedNodes.get();
      searcher.searchRange(q, maxDistance, limit, ef, params.filter(), deleted > 0, graph.size() - deleted, s);
      int found = s.range.size();
      List<SearchResult> out = collect(s, s.range, limit);
      s.release(found);
      return out;
    } finally {
      exit(s);
    }
  }

  /**
   * {@code params} with the knobs checked and {@code ef} resolved for searches of {@code k}, so that a
   * batch resolves a target recall once: searching with the result is searching with {@code params}.
   */
  SearchParams resolved(SearchParams params, int k) {
    if (params.knobCount() == 0 && params.targetRecall().isEmpty()) {
      return params;
    }
    return params.filterOnly().toBuilder().ef(Math.max(ef(params, k), k)).build();
  }

  /**
   * The {@code ef} of a search of {@code k}: the knob if set, else for a target recall the calibrated
   * value, else {@code efSearch}. Checks every knob.
   */
  private int ef(SearchParams params, int k) {
    return KNOBS.intValue(params, "ef", k, calibrator, config.efSearch());
  }

  /** Takes a scratch and enters a reader epoch; pair with {@link #exit}. */
  private SearchScratch enter() {
    SearchScratch s = acquireScratch();
    s.wasSearching = s.searching;
    s.searching = true;
    s.epochToken = epochs.enter();
    return s;
  }

  private void exit(SearchScratch s) {
    epochs.exit(s.epochToken);
    s.searching = s.wasSearching;
    s.inUse = false;
  }

  /**
   * The nearest {@code k} entries of {@code queue} as results, each id once (an upsert may briefly show
   * an id twice). Empties the queue.
   */
  private List<SearchResult> collect(SearchScratch s, NeighborQueue queue, int k) {
    int n = s.drainSorted(queue);
    long[] entries = s.sorted;
    int count = Math.min(k, n);
    long[] found = new long[count];
    for (int i = 0; i < count; i++) {
      found[i] = ids.idOf(NeighborQueue.decodeOrdinal(entries[i]));
    }
    long[] check = found.clone();
    Arrays.sort(check);
    boolean repeats = false;
    for (int i = 1; i < count && !repeats; i++) {
      repeats = check[i] == check[i - 1];
    }
    List<SearchResult> out = new ArrayList<>(count);
    if (!repeats) {
      for (int i = 0; i < count; i++) {
        out.add(new SearchResult(found[i], NeighborQueue.decodeDistance(entries[i])));
      }
      return out;
    }
    Map<Long, Boolean> seen = new LinkedHashMap<>();
    for (int i = 0; i < n && out.size() < k; i++) {
      long id = ids.idOf(NeighborQueue.decodeOrdinal(entries[i]));
      if (seen.put(id, Boolean.TRUE) == null) {
        out.add(new SearchResult(id, NeighborQueue.decodeDistance(entries[i])));
      }
    }
    return out;
  }

  /** This thread's scratch, or a new one if it is in use (a filter may call back into the index). */
  SearchScratch acquireScratch() {
    SearchScratch s = scratch.get();
    if (s.inUse) {
      s = new SearchScratch(config.m(), graph.size());
    }
    s.inUse = true;
    return s;
  }

  /** Whether this thread is inside a search of the index (a filter may write to it). */
  boolean searchingOnThisThread() {
    return scratch.get().searching;
  }
}
