package io.vers.hnsw;

import static com.google.common.base.Preconditions.checkArgument;

import io.vers.api.AddOptions;
import io.vers.api.BatchResults;
import io.vers.api.Calibration;
import io.vers.api.CorruptIndexException;
import io.vers.api.Index;
import io.vers.api.IndexParams;
import io.vers.api.IndexSnapshot;
import io.vers.api.Metric;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.spi.IdMap;
import io.vers.spi.Parallel;
import io.vers.spi.Progress;
import io.vers.spi.RecallCalibrator;
import io.vers.spi.Vectors;
import io.vers.spi.storage.ScalarQuantizer;
import io.vers.spi.storage.VectorStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.LongStream;

/**
 * Approximate nearest-neighbour search over a hierarchical navigable small world graph (Malkov and
 * Yashunin, "Efficient and robust approximate nearest neighbor search using Hierarchical Navigable
 * Small World graphs"). Provider name {@value #NAME}.
 *
 * <pre>{@code
 * HnswIndex index = HnswIndex.builder(128, Metric.COSINE).m(16).efConstruction(200).build();
 * index.addAll(ids, vectors, AddOptions.threads(8));
 * List<SearchResult> hits = index.search(query, 10, SearchParams.builder().ef(100).build());
 * }</pre>
 *
 * <h2>Algorithm</h2>
 * Each node gets a level {@code floor(-ln(U) / ln(m))} from a seeded generator (capped by
 * {@code maxLevels}); the entry point is a node of the highest level. Insertion and search follow the
 * paper: greedy descent through the upper levels, best-first layer search with early stop, neighbours
 * chosen by the selection heuristic (with {@code keepPrunedConnections}), {@code m} links per upper
 * level and {@code 2m} on level 0, overflowing lists re-pruned by the heuristic. Queries use
 * {@code max(ef, k)} candidates, with {@code ef} from the search knob {@code ef}
 * ({@code SearchParams.builder().ef(100)}) or the build parameter {@code efSearch}.
 *
 * <h2>Range search and target recall</h2>
 * {@link #searchRange} descends as a query does, then on level 0 walks best-first while the nearest
 * unexpanded candidate lies within the radius or within the {@code ef} nearest found so far, and returns
 * every live node within the radius that it visited (the nearest {@code limit}). The {@code ef} beam
 * carries the walk across gaps between in-range regions, so a larger {@code ef} finds more; with
 * {@code ef >= }{@link #nodeCount()} it is exact. {@link #searchExact} compares the query with every
 * live node. {@code SearchParams.builder().targetRecall(0.95)} picks the smallest {@code ef} whose
 * recall, measured on the index's own vectors by {@link #calibration}, reaches the target. Each sample
 * vector is searched as if it were not in the graph (the walk never steps on it), so that it stands for
 * a new query near the data rather than one that starts from its own neighbourhood; queries unlike the
 * stored data get less recall than the table says. The table is measured on first use for each {@code k}, on {@code ef} values from
 * {@code k} up to {@value #CALIBRATION_MAX_EF} about {@value #CALIBRATION_RATIO} apart (stopping once
 * recall reaches 1), and again once the index has changed by half.
 *
 * <h2>Removal, upsert and memory</h2>
 * {@link #remove} turns the node into a tombstone: searches walk through it but never return it.
 * Adding an id that is present stores the new vector as a new node and then tombstones the old one.
 * When tombstones exceed {@value #TOMBSTONE_RATIO} of the nodes, the write that crossed the threshold
 * repairs the graph before returning (see {@link #compact()}): every list naming a tombstone is rebuilt
 * from the live neighbourhood, after which the tombstones are unreachable, and once the searches that
 * were running have finished their ordinals are reused by later insertions. So the node count stays
 * below {@code live / (1 - }{@value #TOMBSTONE_RATIO}{@code )} plus the free ordinals left by the
 * largest past size, and memory does not grow under add/remove churn.
 *
 * <h2>Quantization</h2>
 * With {@code quantization=sq8} ({@link Builder#quantization}) the index keeps floats only until a write
 * leaves it holding {@value ScalarQuantizer#TRAIN_AT} vectors (an {@link #addAll} batch counts as one
 * write), then learns per-dimension ranges from its vectors ({@link ScalarQuantizer}) and encodes every
 * vector in 8 bits per component; later vectors are encoded as they come, and when more than 1% (and at
 * least {@value ScalarQuantizer#RETRAIN_MIN}) of them fell far outside the ranges, a write learns the
 * ranges again and re-encodes everything (the policy of {@link ScalarQuantizer#shouldRetrain}). Writers
 * wait while it encodes and until the searches running at that moment finish; searches never wait.
 * With {@code keepVectors=true} (default) insertions link on the floats, so the graph is the float
 * index's; searches walk on the codes with {@code max(ef, k)} candidates, as without {@code sq8}, re-rank
 * the nearest {@code ceil(oversample * k)} of them (all, when fewer) with exact distances, and return
 * exact distances (search knob {@code oversample}, default 3; a search with {@code ef} at least
 * {@link #nodeCount()} runs exactly on the floats). With {@code keepVectors=false} the floats are dropped
 * after training: insertions, searches and {@link #searchExact} use the codes, returned distances are the
 * metric's distances to the vectors the codes stand for (which {@link #vector} returns), and
 * {@code oversample} is accepted and ignored, as it is without {@code sq8} and before training.
 *
 * <h2>Memory</h2>
 * Per vector: the vector ({@code 4 * dimension} bytes; with {@code sq8} also or only its codes,
 * {@code dimension + 4}), its level-0 list ({@code 4 * (2m + 1)}), its id and id-map slots (about 34),
 * and on average {@code 4 * (m + 1) / (m - 1)} for upper levels: about {@code 4 * dimension + 8 * m + 50}
 * bytes without codes and {@code dimension + 8 * m + 54} with codes only, as {@link #ramBytesUsed()}
 * reports. {@link #snapshot()}
 * copies the vectors and links; {@link #withSnapshot} reads them in place, so saving needs no copy;
 * {@link HnswIndexProvider#restore} adopts the snapshot's vector and level-0 link arrays.
 *
 * <h2>Filtered search</h2>
 * A filter is applied during the walk: rejected ids still guide it but never enter the results.
 * When the filter accepts few ids, or the walk would cost more than comparing the query with every
 * accepted id, the search scans the accepted ids exactly instead; {@code k} results come back whenever
 * {@code k} accepted ids are stored.
 *
 * <h2>Thread safety</h2>
 * Thread-safe. Searches take no lock: neighbour lists are read optimistically and retried if a writer
 * changed them meanwhile. Insertions run concurrently (including {@link #addAll} on several threads),
 * locking one neighbour list at a time; writes to the same id are serialised. Repair,
 * {@link #snapshot()}, {@link #withSnapshot} and {@link #ids()} exclude writers but not searches;
 * {@link #vector} waits only for a write to the same id. A search concurrent with an upsert of an id
 * returns that id at most once, with its old or its new vector. Filters must not write to the index.
 *
 * <p>Builds are reproducible: the same seed and the same insertions on one thread give the same
 * graph. Parallel {@link #addAll} builds differ from run to run.
 */
public final class HnswIndex implements Index {
  /** Provider name. */
  public static final String NAME = "hnsw";
  /** Layout version of {@link #snapshot()}. */
  static final int STATE_VERSION = 2;
  /** The share of nodes that may be tombstones before the graph is repaired. */
  public static final double TOMBSTONE_RATIO = 0.25;

  /** The largest {@code ef} a calibration measures; it stops sooner once recall reaches 1. */
  static final int CALIBRATION_MAX_EF = 4096;
  /** The step between the {@code ef} values a calibration measures. */
  static final double CALIBRATION_RATIO = 1.15;

  private final int dimension;
  private final Metric metric;
  private final HnswConfig config;
  private final IdMap ids;
  private final HnswGraph graph;
  private final LevelGenerator levels;
  private final ReaderEpochs epochs = new ReaderEpochs();
  /** Shared by writers, exclusive for repair and snapshots. */
  private final ReentrantReadWriteLock structure = new ReentrantReadWriteLock();
  private final IdLocks idLocks = new IdLocks();
  private final NodeSlots slots;
  /** Measures recall against {@code ef}; counts writes to know when its tables are stale. */
  private final RecallCalibrator calibrator;
  private final HnswQueries queries;
  private final HnswUpkeep upkeep;

  HnswIndex(int dimension, Metric metric, HnswConfig config, HnswVectors vectors, IdMap ids, HnswGraph graph,
      long levelDraws, IntList tombstones, IntList free) {
    this.dimension = dimension;
    this.metric = metric;
    this.config = config;
    this.ids = ids;
    this.graph = graph;
    this.levels = new LevelGenerator(config.seed(), config.m(), config.topLevelCap(), levelDraws);
    this.slots = new NodeSlots(ids, graph, tombstones, free);
    this.calibrator = new RecallCalibrator(this, "ef",
        k -> RecallCalibrator.geometric(k, Math.max(k, CALIBRATION_MAX_EF), CALIBRATION_RATIO),
        this::searchHeldOut);
    this.queries = new HnswQueries(dimension, metric, config, graph, ids, new HnswEngine(vectors, graph, ids, config),
        epochs, slots.deletedNodes(), calibrator);
    this.upkeep = new HnswUpkeep(config, graph, ids, slots, queries, epochs, structure, calibrator);
  }

  /** The calibration's search of a stored vector as if it were not in the graph. */
  private List<SearchResult> searchHeldOut(float[] stored, long id, int k, int ef) {
    return queries.searchHeldOut(stored, id, k, ef);
  }

  /**
   * Starts a typed builder for an index of {@code dimension} under {@code metric}.
   *
   * @param dimension the number of components of every vector, at least 1 (checked by {@link Builder#build()})
   * @param metric the distance to rank by
   * @return a builder with every parameter at its default
   */
  public static Builder builder(int dimension, Metric metric) {
    return new Builder(dimension, metric);
  }

  /** An empty index with validated parameters; the provider's and the builder's common route. */
  static HnswIndex create(int dimension, Metric metric, IndexParams params) {
    checkArgument(dimension >= 1, "dimension must be at least 1, got %s", dimension);
    HnswConfig config = HnswConfig.from(params);
    return new HnswIndex(dimension, metric, config, HnswVectors.ofFloats(new VectorStore(dimension), metric), new IdMap(),
        new HnswGraph(config.m()), 0, new IntList(), new IntList());
  }

  /** Rebuilds an index from {@link #snapshot()} output, validating every array first. */
  static HnswIndex restore(IndexSnapshot snapshot) throws CorruptIndexException {
    return HnswSnapshots.restore(snapshot);
  }

  @Override
  public String algorithm() {
    return NAME;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public Metric metric() {
    return metric;
  }

  @Override
  public int size() {
    return ids.size();
  }

  // ------------------------------------------------------------------ writes

  @Override
  public void add(long id, float[] vector) {
    checkNotInSnapshot();
    Vectors.check(vector, dimension, metric, "vector for id " + id);
    insert(id, metric.storedForm(vector));
    upkeep.compactIfNeeded();
    upkeep.quantizeIfNeeded();
  }

  @Override
  public void addAll(long[] ids, float[][] vectors, AddOptions options) {
    checkNotInSnapshot();
    Vectors.checkBatch(ids, vectors, dimension(), metric());
    int[] order = BatchInsert.lastOccurrences(ids);
    Progress progress = new Progress(options.progress(), order.length);
    int threads = Math.min(options.threads(), Math.max(1, order.length / 64));
    Parallel.forEachBlock(order.length, threads, 1, (worker, from, to) -> {
      for (int j = from; j < to; j++) {
        int i = order[j];
        insert(ids[i], metric.storedForm(vectors[i]));
        progress.advance(1);
        upkeep.compactIfNeeded();
      }
    });
    progress.finish();
    upkeep.compactIfNeeded();
    upkeep.quantizeIfNeeded();
  }

  /** Stores {@code vector} (stored form) under {@code id}: a new node, then the old one, if any, becomes a tombstone. */
  private void insert(long id, float[] vector) {
    SearchScratch s = queries.acquireScratch();
    structure.readLock().lock();
    try {
      synchronized (idLocks.of(id)) {
        int previous = ids.get(id);
        int level = levels.next();
        HnswEngine engine = queries.engine(); // stays current: a swap excludes writers
        int node = slots.allocate(id, vector, level, engine.vectors);
        engine.inserter.insert(node, vector, level, previous, slots.deletedNodes().get() > 0, s);
        if (previous >= 0) {
          slots.tombstone(previous);
        }
      }
    } finally {
      structure.readLock().unlock();
      s.inUse = false;
    }
    calibrator.recordWrites(1);
  }

  @Override
  public boolean remove(long id) {
    checkNotInSnapshot();
    structure.readLock().lock();
    try {
      synchronized (idLocks.of(id)) {
        int node = ids.remove(id);
        if (node < 0) {
          return false;
        }
        slots.tombstone(node);
      }
    } finally {
      structure.readLock().unlock();
    }
    calibrator.recordWrites(1);
    upkeep.compactIfNeeded();
    return true;
  }

  @Override
  public boolean contains(long id) {
    return ids.contains(id);
  }

  /**
   * Repairs the graph now: removes every tombstone from the neighbour lists (as described in the class
   * documentation) and, once the searches running meanwhile have finished, makes their ordinals
   * available for reuse. Writers wait during the repair; searches do not. Called automatically when
   * tombstones exceed {@value #TOMBSTONE_RATIO} of the nodes.
   */
  public void compact() {
    checkNotInSnapshot();
    upkeep.compact(true);
  }

  /** Writes from inside {@link #withSnapshot} would change what the snapshot is reading. */
  private void checkNotInSnapshot() {
    if (structure.isWriteLockedByCurrentThread()) {
      throw new IllegalStateException("an index cannot be written while this thread takes a snapshot of it");
    }
  }

  // ------------------------------------------------------------------ search

  @Override
  public List<SearchResult> search(float[] query, int k, SearchParams params) {
    return queries.search(query, k, params);
  }

  /**
   * One search per query on up to {@code threads} threads, each row what {@link #search} returns; the
   * knobs are checked, and a target recall resolved, once for the batch.
   */
  @Override
  public BatchResults searchBatch(float[][] queries, int k, SearchParams params, int threads) {
    Vectors.checkK(k);
    return Index.super.searchBatch(queries, k, this.queries.resolved(params, k), threads);
  }

  /** As {@link #searchBatch(float[][], int, SearchParams, int)}, over row-major queries. */
  @Override
  public BatchResults searchBatch(float[] queries, int count, int k, SearchParams params, int threads) {
    Vectors.checkK(k);
    return Index.super.searchBatch(queries, count, k, this.queries.resolved(params, k), threads);
  }

  /** A scan of every live node with the batched distance kernel; only the filter of {@code params} is read. */
  @Override
  public List<SearchResult> searchExact(float[] query, int k, SearchParams params) {
    return queries.searchExact(query, k, params);
  }

  /**
   * A range search over the graph (see the class documentation): exact when {@code ef} is at least
   * {@link #nodeCount()}, and finding more of the vectors in range as {@code ef} grows. A target recall
   * takes {@code ef} from the calibration for {@code min(limit, 10)} results.
   */
  @Override
  public List<SearchResult> searchRange(float[] query, float maxDistance, int limit, SearchParams params) {
    return queries.searchRange(query, maxDistance, limit, params);
  }

  /**
   * Read under the id's lock: no write to the id is half done, and its node is live. With {@code sq8}
   * and {@code keepVectors=false}, once the index has quantized its vectors, this is the vector the codes
   * stand for (each component rounded to its range's 256 levels and clipped to the range).
   */
  @Override
  public Optional<float[]> vector(long id) {
    synchronized (idLocks.of(id)) {
      int node = ids.get(id);
      // read after the node: a generation holds every node written before it became current
      return node < 0 ? Optional.empty() : Optional.of(queries.engine().vectors.get(node));
    }
  }

  /**
   * Read holding every id lock, which waits for the writes in progress and holds new ones back for one
   * scan of the nodes; searches, snapshots and a repair go on (a repair frees only tombstones, whose
   * bits stay set). Between writes every stored id maps to exactly one node without a tombstone bit,
   * and every such node to its id, so the scan lists each id once. Without the locks a scan could meet
   * an upsert's new node and its old one both live, or pass the new node's ordinal before it was live
   * and reach the old one after it became a tombstone, listing the id twice or not at all. (The write
   * side of the structure lock would do as well, but a calibration reads ids() while it holds its
   * monitor, and a search inside {@link #withSnapshot} may wait for that monitor.)
   */
  @Override
  public LongStream ids() {
    return LongStream.of(idLocks.liveIds(graph, ids));
  }

  /** Measured on first use for each {@code k} and again once the index has changed by half. */
  @Override
  public Calibration calibration(int k) {
    Vectors.checkK(k);
    return calibrator.calibration(k);
  }

  // ------------------------------------------------------------------ state

  @Override
  public long ramBytesUsed() {
    long bytes = 128 + queries.engine().vectors.ramBytesUsed() + ids.ramBytesUsed() + graph.ramBytesUsed();
    bytes += slots.ramBytesUsed();
    bytes += idLocks.ramBytesUsed();
    return bytes + 512; // locks, counters, epochs, helpers
  }

  @Override
  public Map<String, Object> parameters() {
    return config.asMap();
  }

  @Override
  public IndexSnapshot snapshot() {
    return withSnapshot(IndexSnapshot::materialize);
  }

  /** Reads the vectors, ids and level-0 links in place; writers wait, searches go on. */
  @Override
  public <R, X extends Exception> R withSnapshot(SnapshotAction<R, X> action) throws X {
    structure.writeLock().lock();
    try {
      IndexSnapshot snapshot = slots.whileStill(() -> HnswSnapshots.view(this));
      return action.apply(snapshot);
    } finally {
      structure.writeLock().unlock();
    }
  }

  HnswConfig config() {
    return config;
  }

  /** {@return the current generation of the vectors} */
  HnswVectors vectors() {
    return queries.engine().vectors;
  }

  /** {@return vectors added far outside the quantizer's ranges since they were learned} */
  int farOutsideCount() {
    return vectors().farOutside();
  }

  /** {@return how many times the quantizer's ranges were learned again} */
  int retrainCount() {
    return upkeep.retrains();
  }

  IdMap idMap() {
    return ids;
  }

  HnswGraph graph() {
    return graph;
  }

  long levelDraws() {
    return levels.draws();
  }

  /** Nodes in the graph, tombstones and free ordinals included. */
  int nodeCount() {
    return graph.size();
  }

  /** Tombstones not yet repaired away. */
  int tombstoneCount() {
    return slots.tombstoneCount();
  }

  /** Ordinals free for reuse. */
  int freeCount() {
    return slots.freeCount();
  }

  @Override
  public String toString() {
    return "HnswIndex{dim=" + dimension + ", " + metric + ", size=" + size() + ", " + config.asMap() + "}";
  }

  /**
   * Builds an {@link HnswIndex} with typed parameters; unset ones take their defaults. The result is
   * the same index as {@code Indexes.create("hnsw", dimension, metric, params)} with the same values.
   * Not thread-safe.
   */
  public static final class Builder {
    private final int dimension;
    private final Metric metric;
    private final Map<String, Object> params = new LinkedHashMap<>();

    private Builder(int dimension, Metric metric) {
      this.dimension = dimension;
      this.metric = java.util.Objects.requireNonNull(metric, "metric");
    }

    /**
     * Links per node on the upper levels; level 0 keeps {@code 2m}. Default 16.
     *
     * @param m links per node, 2 to 1024
     * @return this builder; the range is checked by {@link #build()}
     */
    public Builder m(int m) {
      params.put("m", m);
      return this;
    }

    /**
     * Candidate list size while inserting. Default 200.
     *
     * @param efConstruction the candidate list size, 1 to 2<sup>20</sup>; larger builds slower and finds better
     *     neighbours
     * @return this builder; the range is checked by {@link #build()}
     */
    public Builder efConstruction(int efConstruction) {
      params.put("efConstruction", efConstruction);
      return this;
    }

    /**
     * Default candidate list size while searching.
     *
     * @param efSearch the candidate list size of searches that set no {@code ef}, 1 to 2<sup>20</sup> (default
     *     64); a search uses {@code max(efSearch, k)}
     * @return this builder; the range is checked by {@link #build()}
     */
    public Builder efSearch(int efSearch) {
      params.put("efSearch", efSearch);
      return this;
    }

    /**
     * Caps the number of levels.
     *
     * @param maxLevels the most levels, 1 to 63; 1 gives a flat navigable small world graph. Unset: no cap
     *     beyond the level generator's
     * @return this builder; the range is checked by {@link #build()}
     */
    public Builder maxLevels(int maxLevels) {
      params.put("maxLevels", maxLevels);
      return this;
    }

    /**
     * Seed of the level generator.
     *
     * @param seed any value (default 42); the same seed and insertion order on one thread build the same graph
     * @return this builder
     */
    public Builder seed(long seed) {
      params.put("seed", seed);
      return this;
    }

    /**
     * Whether neighbour lists are topped up with pruned candidates. Default true.
     *
     * @param keep whether to keep {@code m} ({@code 2m} on level 0) links per node where the selection
     *     heuristic would keep fewer
     * @return this builder
     */
    public Builder keepPrunedConnections(boolean keep) {
      params.put("keepPrunedConnections", keep);
      return this;
    }

    /**
     * The vector encoding.
     *
     * @param quantization {@code none} (default: 32-bit floats) or {@code sq8} (8 bits per component, learned
     *     once the index holds {@value ScalarQuantizer#TRAIN_AT} vectors; see the class documentation)
     * @return this builder; the choice is checked by {@link #build()}
     */
    public Builder quantization(String quantization) {
      params.put(ScalarQuantizer.QUANTIZATION.name(), quantization);
      return this;
    }

    /**
     * With {@code sq8}, whether the float vectors are kept too. Default true.
     *
     * @param keep true to keep them and re-rank each search's best candidates exactly; false to keep only
     *     the codes (about 4x less memory for the vectors; distances are those of the decoded vectors)
     * @return this builder
     */
    public Builder keepVectors(boolean keep) {
      params.put(ScalarQuantizer.KEEP_VECTORS.name(), keep);
      return this;
    }

    /**
     * The index.
     *
     * @return a new, empty index with these parameters
     * @throws io.vers.api.IllegalParameterException naming a parameter out of range
     * @throws IllegalArgumentException if the dimension is below 1
     */
    public HnswIndex build() {
      return create(dimension, metric, IndexParams.resolve(NAME, HnswConfig.SPECS, params));
    }
  }
}
