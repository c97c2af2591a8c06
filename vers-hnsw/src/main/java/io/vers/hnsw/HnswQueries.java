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
import io.vers.spi.storage.ScalarQuantizer;
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
 * writers, and a compaction that such a writer waits behind waits for the epoch in turn.
 *
 * <p>Each search reads the current {@link HnswEngine} once and works in its generation throughout:
 * with {@code sq8} the walk runs on codes (the query {@linkplain NodeDistance#query prepared} in the
 * scratch), and when the floats are kept the nearest {@code ceil(oversample * k)} candidates of the walk
 * (all of its {@code max(ef, k)} when fewer) are re-ranked with exact distances. An index swaps engines
 * only while no writer runs, and waits for the searches of the old engine to finish before writers go on,
 * so a search never meets a node its generation does not hold. Thread-safe.
 */
final class HnswQueries {
  /** The knobs a search reads: {@code ef}, {@code oversample}. */
  static final SearchKnobs KNOBS = new SearchKnobs(HnswIndex.NAME, HnswConfig.SEARCH_SPECS);
  /** A range query with a target recall takes {@code ef} from the calibration of {@code min(limit, this)}. */
  static final int RANGE_CALIBRATION_K = 10;
  /** The {@code oversample} a search uses when the knob is unset. */
  static final double DEFAULT_OVERSAMPLE = ((Number) ScalarQuantizer.OVERSAMPLE.defaultValue()).doubleValue();
  private static final String OVERSAMPLE_KEY = ScalarQuantizer.OVERSAMPLE.name().toLowerCase(java.util.Locale.ROOT);

  private final int dimension;
  private final Metric metric;
  private final HnswConfig config;
  private final HnswGraph graph;
  private final IdMap ids;
  private volatile HnswEngine engine;
  private final ReaderEpochs epochs;
  /** Nodes whose tombstone bit is set, as the index counts them. */
  private final AtomicInteger deletedNodes;
  private final RecallCalibrator calibrator;
  private final ThreadLocal<SearchScratch> scratch;

  HnswQueries(int dimension, Metric metric, HnswConfig config, HnswGraph graph, IdMap ids, HnswEngine engine,
      ReaderEpochs epochs, AtomicInteger deletedNodes, RecallCalibrator calibrator) {
    this.dimension = dimension;
    this.metric = metric;
    this.config = config;
    this.graph = graph;
    this.ids = ids;
    this.engine = engine;
    this.epochs = epochs;
    this.deletedNodes = deletedNodes;
    this.calibrator = calibrator;
    this.scratch = ThreadLocal.withInitial(() -> new SearchScratch(config.m(), graph.size()));
  }

  /** {@return the engine searches start on now} */
  HnswEngine engine() {
    return engine;
  }

  /** Makes {@code next} the engine of searches that start from now on. */
  void setEngine(HnswEngine next) {
    engine = next;
  }

  /** The approximate {@code k} nearest, with {@code max(ef, k)} candidates (see the class documentation). */
  List<SearchResult> search(float[] query, int k, SearchParams params) {
    Vectors.checkK(k);
    float[] q = Vectors.prepareQuery(query, dimension, metric);
    int ef = Math.max(ef(params, k), k);
    double oversample = oversample(params);
    SearchScratch s = enter();
    try {
      HnswEngine e = engine;
      int deleted = deletedNodes.get();
      int live = graph.size() - deleted;
      if (!e.vectors.reranks() || ef >= graph.size()) {
        GraphSearcher walk = e.vectors.reranks() ? e.builder : e.searcher; // exhaustive: exact on the floats
        NodeDistance d = e.vectors.reranks() ? e.vectors.build() : e.vectors.search();
        int n = walk.search(d.query(q, s), k, ef, params.filter(), deleted > 0, live, s);
        return collect(s, s.sorted, n, k);
      }
      int found = e.searcher.search(e.vectors.search().query(q, s), k, ef, params.filter(), deleted > 0, live, s);
      int n = rerank(e, q, found, candidates(k, oversample), s);
      return collect(s, s.sorted, n, k);
    } finally {
      exit(s);
    }
  }

  /**
   * The candidates a re-ranking search of {@code k} takes from the walk: {@code ceil(oversample * k)}, at
   * least {@code k} ({@link #rerank} takes all the walk found when that is fewer).
   */
  static int candidates(int k, double oversample) {
    return (int) Math.min(Integer.MAX_VALUE / 2, Math.max(k, (long) Math.ceil(oversample * k)));
  }

  /**
   * Replaces the nearest {@code min(n, r)} entries of {@code s.sorted} (nearest first by code distance)
   * with their exact float distances, re-sorted; returns how many there are.
   */
  private static int rerank(HnswEngine e, float[] q, int n, int r, SearchScratch s) {
    int count = Math.min(n, r);
    s.rerank(count);
    long[] sorted = s.sorted;
    int[] nodes = s.rerankNodes;
    float[] exact = s.rerankDistances;
    for (int i = 0; i < count; i++) {
      nodes[i] = NeighborQueue.decodeOrdinal(sorted[i]);
    }
    e.vectors.build().distances(q, 0, nodes, 0, count, exact);
    for (int i = 0; i < count; i++) {
      sorted[i] = NeighborQueue.encode(exact[i], nodes[i]);
    }
    Arrays.sort(sorted, 0, count);
    return count;
  }

  /**
   * The {@code k} nearest of a stored vector, found as if it were not in the graph, without it: what a
   * new query near it would get, for the recall calibration.
   */
  List<SearchResult> searchHeldOut(float[] stored, long id, int k, int ef) {
    int node = ids.get(id);
    SearchScratch s = enter();
    try {
      HnswEngine e = engine;
      boolean tombstones = deletedNodes.get() > 0;
      List<SearchResult> found;
      if (!e.vectors.reranks()) {
        int n = e.searcher.searchHeldOut(e.vectors.search().query(stored, s), k, Math.max(ef, k), node, tombstones, s);
        found = collect(s, s.sorted, n, k + 1);
      } else {
        int walked = e.searcher.searchHeldOut(e.vectors.search().query(stored, s), k, Math.max(ef, k), node,
            tombstones, s);
        int n = rerank(e, stored, walked, candidates(k, DEFAULT_OVERSAMPLE) + 1, s);
        found = collect(s, s.sorted, n, k + 1);
      }
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

  /**
   * The exact {@code k} nearest accepted live nodes, by a batched scan of every node: over the floats if
   * held, else over the vectors the codes stand for.
   */
  List<SearchResult> searchExact(float[] query, int k, SearchParams params) {
    Vectors.checkK(k);
    float[] q = Vectors.prepareQuery(query, dimension, metric);
    SearchScratch s = enter();
    try {
      HnswEngine e = engine;
      e.builder.exactScan(e.vectors.build().query(q, s), k, params.filter(), s);
      int found = s.results.size();
      List<SearchResult> out = collect(s, s.results, k);
      s.release(found);
      return out;
    } finally {
      exit(s);
    }
  }

  /**
   * The nearest {@code limit} within {@code maxDistance} that a range walk with beam {@code ef} finds.
   * With re-ranking, the walk on codes gathers up to {@code ceil(oversample * limit)} nodes within the
   * radius by code distance, and those within it by exact distance are returned; a walk with {@code ef}
   * covering every node runs on the floats, exactly.
   */
  List<SearchResult> searchRange(float[] query, float maxDistance, int limit, SearchParams params) {
    SearchSupport.checkRange(maxDistance, limit);
    float[] q = Vectors.prepareQuery(query, dimension, metric);
    int ef = ef(params, Math.min(limit, RANGE_CALIBRATION_K));
    double oversample = oversample(params);
    SearchScratch s = enter();
    try {
      HnswEngine e = engine;
      int deleted = deletedNodes.get();
      int live = graph.size() - deleted;
      if (!e.vectors.reranks() || ef >= graph.size()) {
        GraphSearcher walk = e.vectors.reranks() ? e.builder : e.searcher;
        NodeDistance d = e.vectors.reranks() ? e.vectors.build() : e.vectors.search();
        walk.searchRange(d.query(q, s), maxDistance, limit, ef, params.filter(), deleted > 0, live, s);
        int found = s.range.size();
        List<SearchResult> out = collect(s, s.range, limit);
        s.release(found);
        return out;
      }
      int r = candidates(limit, oversample);
      e.searcher.searchRange(e.vectors.search().query(q, s), maxDistance, r, ef, params.filter(), deleted > 0, live,
          s);
      int found = s.drainSorted(s.range);
      int n = rerank(e, q, found, r, s);
      int within = 0;
      while (within < n && NeighborQueue.decodeDistance(s.sorted[within]) <= maxDistance) {
        within++;
      }
      List<SearchResult> out = collect(s, s.sorted, within, limit);
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
    SearchParams.Builder out = params.filterOnly().toBuilder().ef(Math.max(ef(params, k), k));
    for (int i = 0; i < params.knobCount(); i++) {
      if (params.knobKey(i).equals(OVERSAMPLE_KEY)) {
        out.set(ScalarQuantizer.OVERSAMPLE.name(), params.knobValue(i));
      }
    }
    return out.build();
  }

  /** The {@code oversample} knob, or its default; read only by re-ranking searches. */
  private static double oversample(SearchParams params) {
    for (int i = 0; i < params.knobCount(); i++) {
      if (params.knobKey(i).equals(OVERSAMPLE_KEY)) {
        return params.knobValue(i);
      }
    }
    return DEFAULT_OVERSAMPLE;
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
    return collect(s, s.sorted, n, k);
  }

  /** The nearest {@code k} of the {@code n} sorted {@code entries} as results, each id once. */
  private List<SearchResult> collect(SearchScratch s, long[] entries, int n, int k) {
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
