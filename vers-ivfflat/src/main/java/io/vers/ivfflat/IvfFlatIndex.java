package io.vers.ivfflat;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import io.vers.api.AddOptions;
import io.vers.api.BatchResults;
import io.vers.api.Calibration;
import io.vers.api.Index;
import io.vers.api.IndexParams;
import io.vers.api.IndexSnapshot;
import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.spi.IdMap;
import io.vers.spi.IndexLock;
import io.vers.spi.RecallCalibrator;
import io.vers.spi.SearchKnobs;
import io.vers.spi.SearchSupport;
import io.vers.spi.Vectors;
import io.vers.spi.storage.ScalarQuantizer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.LongStream;

/**
 * Inverted-file index with exact scan (IVF-Flat): k-means splits the vectors into {@code nlist} lists,
 * each vector in the list of its nearest centroid; a query ranks the centroids and scans the
 * {@code nprobe} nearest lists exactly. More lists scanned, higher recall and slower queries;
 * {@code nprobe = nlist} is exact search.
 *
 * <pre>{@code
 * IvfFlatIndex index = IvfFlatIndex.builder(784, Metric.L2).nprobe(16).build(ids, vectors, AddOptions.threads(8));
 * List<SearchResult> hits = index.search(query, 10, SearchParams.builder().nprobe(32).build());
 * BatchResults many = index.searchBatch(queries, 10, SearchParams.builder().targetRecall(0.95).build(), 8);
 * }</pre>
 *
 * <h2>Structure</h2>
 * Each vector has a dense int ordinal; each list keeps its vectors one after the other in one
 * {@code float[]} with a parallel {@code int[]} of ordinals, so a probe is one linear scan (see
 * {@link ListStore}).
 *
 * <h2>Search</h2>
 * The centroids are ranked as the index's metric ranks them, the {@code nprobe} nearest lists are
 * scanned into one bounded heap, and the id filter is applied during the scan, before a vector's
 * distance is computed. Should the probed lists hold fewer than {@code k} accepted vectors, the next
 * nearest lists are scanned too, so {@code min(k, accepted ids stored)} results always come back. Ties
 * in distance go to the lower ordinal, so probing every list returns exactly what the flat index
 * returns. {@link #searchBatch} scans each list once per block of queries for all the queries of the
 * block that probe it ({@link BatchSearch}), with the same results as one search per query.
 * {@link #searchRange} scans the probed lists and further ones while they still add results;
 * {@link #searchExact} scans every list. A target recall chooses nprobe from this index's
 * {@link #calibration}, and probes more lists for a query farther from the centroids than the stored
 * vectors are ({@link RemoteQueries}).
 *
 * <h2>Training</h2>
 * <ul>
 *   <li><b>Built from data</b> ({@link IvfFlatBuilder#build(long[], float[][], AddOptions)}, or
 *       {@code Indexes.build("ivfflat", ...)}): k-means (see {@link KMeans}) trains on the batch with
 *       the given threads, then every vector goes to its nearest centroid's list. {@code nlist} defaults
 *       to {@code floor(4 * sqrt(n))}, and is never more than {@code n}. Under COSINE the vectors are
 *       unit length and k-means is spherical (unit centroids).
 *   <li><b>Created empty</b>: until trained, the index keeps every vector in a single list and answers
 *       every query exactly (nprobe is ignored). It trains by itself once it holds
 *       {@value #MIN_POINTS_PER_LIST} vectors per list it would have ({@code 39 * nlist} when
 *       {@code nlist} is set; 24,258 vectors, giving 622 lists, when it is automatic). The write that
 *       reaches that size trains, on its own thread or its {@link AddOptions#threads()}, after it has
 *       stored its vectors: k-means runs on a copy of the vectors while searches and other writes go on
 *       against the untrained index; the lists are then rebuilt under the write lock. {@link #train(int)}
 *       trains (or re-trains, for example after the collection has grown) at any time.
 *   <li>After training, {@link #add} puts each vector in its nearest centroid's list; the centroids do
 *       not move until the next {@link #train(int)}.
 * </ul>
 *
 * <h2>Quantization</h2>
 * With {@code quantization=sq8} the lists also keep 8-bit codes ({@link ScalarQuantizer}, ranges
 * learned once the index holds {@value ScalarQuantizer#TRAIN_AT} vectors and learned again when many
 * vectors fall far outside them: see {@link Quantization}). A search compares the query with the codes.
 * With {@code keepVectors=true} (the default) it gathers the {@code ceil(oversample x k)} nearest by
 * code ({@code oversample} knob, default 3) and returns the nearest {@code k} of them by exact float
 * distance; with {@code keepVectors=false} the floats are dropped and the returned distances are the
 * code distances, the metric's distance to the decoded vector. {@link #searchRange} follows the same
 * rules with {@code limit} for {@code k} (with kept floats, the candidates are the vectors whose code
 * distance is within the bound that rounding allows, so that none within {@code maxDistance} is missed
 * unless it was clipped, and they are kept when their exact distance is within it); {@link #searchExact}
 * is exact over the floats if kept, else over the decoded vectors; {@link #vector} gives the floats if
 * kept, else the decoded vector. The {@code oversample} knob is accepted and ignored without sq8 or
 * without kept floats. {@link #searchBatch} of a quantized index searches each query of a block as
 * {@link #search} does, under the block's read lock.
 *
 * <h2>Memory</h2>
 * Per vector: its floats (with sq8: its {@code dimension} code bytes and a 4-byte {@code |x'|^2}, plus
 * the floats if kept), a 4-byte ordinal in its list, an 8-byte location and the id map's entry
 * (about 20 to 30 bytes); plus the centroids (twice: as given, and in panels for ranking them) and
 * spare list capacity (lists grow by half).
 *
 * <h2>Thread safety</h2>
 * Searches run concurrently with each other and with writes: searches share a read lock, writes
 * ({@code add}, {@code addAll}, {@code remove}, the last step of training) take the write lock, and
 * {@code addAll} computes its vectors' lists before taking it. A search sees each write entirely or not
 * at all (a batch search takes the read lock once per block of queries). Per-thread search scratch is
 * reused, so a search allocates only its result list. Knobs and a target recall are resolved before
 * the read lock is taken.
 */
public final class IvfFlatIndex implements Index {
  /** Provider name. */
  public static final String NAME = "ivfflat";
  /**
   * Lists scanned per query when neither the index nor the query sets nprobe: with the automatic nlist,
   * recall@10 is about 0.99 on fashion-mnist (60,000 x 784, 979 lists) and 0.97 on sift5k (4,800 x
   * 128, 277 lists, whose small lists need the larger share).
   */
  public static final int DEFAULT_NPROBE = 24;
  /** An index created empty trains once it holds this many vectors per list it would have. */
  public static final int MIN_POINTS_PER_LIST = 39;
  /** The largest accepted nlist and nprobe. */
  public static final int MAX_LISTS = 1 << 20;
  /** A target recall given to {@link #searchRange} is read as recall at this many results (or the limit). */
  static final int RANGE_CALIBRATION_K = 10;

  static final List<ParameterSpec> PARAMETERS = List.of(
      ParameterSpec.ofInt("nlist", null, 1, MAX_LISTS,
          "number of inverted lists (k-means clusters); default floor(4 * sqrt(n)) of the vectors trained on",
          "num_clusters"),
      ParameterSpec.ofInt("nprobe", DEFAULT_NPROBE, 1, MAX_LISTS,
          "lists scanned per query unless the query's SearchParams sets nprobe; more is slower and more exact"),
      ParameterSpec.ofInt("attempts", 1, 1, 100,
          "independent k-means runs; the one with the lowest inertia is kept", "num_attempts"),
      ParameterSpec.ofInt("maxIterations", KMeans.DEFAULT_MAX_ITERATIONS, 1, 1000,
          "k-means iterations per run (fewer when the centroids settle)", "max_iterations"),
      ParameterSpec.ofLong("seed", 42L, Long.MIN_VALUE, Long.MAX_VALUE,
          "seed of k-means sampling and seeding; equal seeds and data give equal indexes"),
      ScalarQuantizer.QUANTIZATION,
      ScalarQuantizer.KEEP_VECTORS);

  /** The knobs a search reads. */
  static final List<ParameterSpec> SEARCH_PARAMETERS = List.of(
      ParameterSpec.ofInt("nprobe", DEFAULT_NPROBE, 1, MAX_LISTS,
          "lists scanned for this query; unset, the index's nprobe applies"),
      ScalarQuantizer.OVERSAMPLE);

  private static final SearchKnobs KNOBS = new SearchKnobs(NAME, SEARCH_PARAMETERS);

  private final int dimension;
  private final Metric metric;
  private final IndexParams params;
  private final int defaultNprobe;
  private final IndexLock lock = new IndexLock();
  /** Ids, centroids, lists and locations. Guarded by {@link #lock}. */
  private final ListStore store;
  /** nprobe against recall, measured on this index's own vectors. */
  private final RecallCalibrator calibrator;
  private final IvfFlatWrites writes;
  private final RemoteQueries remote = new RemoteQueries();

  private IvfFlatIndex(int dimension, Metric metric, IndexParams params, ListStore store) {
    checkArgument(dimension >= 1, "dimension must be at least 1, got %s", dimension);
    this.dimension = dimension;
    this.metric = Objects.requireNonNull(metric, "metric");
    this.params = params;
    this.defaultNprobe = params.getInt("nprobe");
    this.store = store;
    this.calibrator = new RecallCalibrator(this, "nprobe", k -> {
      int nlist = nlist();
      return nlist == 0 ? new int[] {1} : RecallCalibrator.geometric(1, nlist, 1.15);
    });
    this.writes = new IvfFlatWrites(dimension, metric, params, lock, store, calibrator);
  }

  /**
   * A builder for an index of {@code dimension} under {@code metric}.
   *
   * @param dimension the number of components of every vector, at least 1
   * @param metric the distance the index ranks by
   * @return a builder with every parameter at its default
   */
  public static IvfFlatBuilder builder(int dimension, Metric metric) {
    return new IvfFlatBuilder(dimension, metric);
  }

  /** An empty index with resolved parameters, as the provider creates it. */
  static IvfFlatIndex create(int dimension, Metric metric, IndexParams params) {
    return new IvfFlatIndex(dimension, metric, params, new ListStore(dimension, new IdMap()));
  }

  /**
   * An index trained on and holding a batch: k-means on the batch, then every vector in its nearest
   * centroid's list. Ordinals follow the batch as {@code addAll} would give them: a repeated id keeps
   * its first ordinal and its last vector.
   */
  static IvfFlatIndex build(
      int dimension, Metric metric, IndexParams params, long[] ids, float[][] vectors, AddOptions options) {
    IvfFlatIndex index = new IvfFlatIndex(dimension, metric, params, new ListStore(dimension, new IdMap(ids.length)));
    Vectors.checkBatch(ids, vectors, index.dimension(), index.metric());
    index.writes.load(ids, vectors, options.threads());
    options.progress().progress(ids.length, ids.length);
    return index;
  }

  // ------------------------------------------------------------------ accessors

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
    lock.lockRead();
    try {
      return store.size();
    } finally {
      lock.unlockRead();
    }
  }

  /**
   * Whether the index has centroids; until then it keeps one list and searches exactly.
   *
   * @return true once k-means has run
   */
  public boolean isTrained() {
    return store.centroids() != null;
  }

  /**
   * The number of lists in use.
   *
   * @return the centroid count once trained, 0 before
   */
  public int nlist() {
    Centroids c = store.centroids();
    return c == null ? 0 : c.count();
  }

  /**
   * The nprobe used when a query does not set one.
   *
   * @return the lists a query scans by default
   */
  public int defaultNprobe() {
    return defaultNprobe;
  }

  /**
   * The resolved build parameters by canonical name, in declared order; {@code nlist} is the number of
   * lists in use once trained, and absent before when it was left automatic.
   */
  @Override
  public Map<String, Object> parameters() {
    int trainedLists = nlist();
    ImmutableMap.Builder<String, Object> out = ImmutableMap.builder();
    for (ParameterSpec spec : PARAMETERS) {
      Object value = spec.name().equals("nlist") && trainedLists > 0 ? trainedLists : params.asMap().get(spec.name());
      if (value != null) {
        out.put(spec.name(), value);
      }
    }
    return out.buildOrThrow();
  }

  @Override
  public Optional<float[]> vector(long id) {
    lock.lockRead();
    try {
      return Optional.ofNullable(store.vector(id));
    } finally {
      lock.unlockRead();
    }
  }

  @Override
  public LongStream ids() {
    lock.lockRead();
    try {
      return LongStream.of(store.ids().idsOf(store.size()));
    } finally {
      lock.unlockRead();
    }
  }

  // ------------------------------------------------------------------ writes

  @Override
  public void add(long id, float[] vector) {
    Vectors.check(vector, dimension, metric, "vector for id " + id);
    writes.add(id, vector);
  }

  /**
   * Stores a batch: every vector is checked first, then the lists of all vectors are computed on
   * {@code options.threads()} threads without holding the write lock, then the batch is stored under
   * it. Duplicate ids within the batch: the last wins. May trigger training (see the class
   * documentation), which then uses the same threads.
   */
  @Override
  public void addAll(long[] ids, float[][] vectors, AddOptions options) {
    Objects.requireNonNull(options, "options");
    Vectors.checkBatch(ids, vectors, dimension(), metric());
    writes.addAll(ids, vectors, options);
  }

  @Override
  public boolean remove(long id) {
    return writes.remove(id);
  }

  @Override
  public boolean contains(long id) {
    lock.lockRead();
    try {
      return store.ids().contains(id);
    } finally {
      lock.unlockRead();
    }
  }

  /**
   * Trains (or re-trains) the lists on the vectors stored now, with k-means on {@code threads} threads:
   * {@code nlist} as configured (at most the number of vectors), or {@code floor(4 * sqrt(n))} when
   * automatic. k-means runs on a copy while searches and writes continue; the lists are rebuilt under
   * the write lock (writes made meanwhile are kept). Does nothing on an empty index.
   *
   * @param threads the threads k-means and the assignment run on, at least 1
   */
  public void train(int threads) {
    checkArgument(threads >= 1, "threads must be at least 1, got %s", threads);
    writes.train(threads);
  }

  /** The number of lists to train for {@code n} vectors. */
  int nlistFor(int n) {
    return writes.nlistFor(n);
  }

  /** {@code floor(4 * sqrt(n))}, between 1 and {@code n}. */
  static int automaticNlist(int n) {
    return IvfFlatWrites.automaticNlist(n);
  }

  // ------------------------------------------------------------------ search

  /**
   * The {@code k} nearest among the vectors in the {@code nprobe} lists whose centroids are nearest to
   * the query (the query's {@code nprobe}, else one chosen for its target recall, else this index's
   * default; at most {@code nlist}); exact before training. The filter is applied during the scan.
   * When the probed lists hold fewer than {@code k} (accepted) vectors, the next nearest lists are
   * scanned too, until {@code k} are found or every list has been scanned:
   * {@code min(k, accepted ids stored)} results always come back.
   */
  @Override
  public List<SearchResult> search(float[] query, int k, SearchParams params) {
    Objects.requireNonNull(params, "params");
    Vectors.checkK(k);
    float[] q = Vectors.prepareQuery(query, dimension, metric);
    int nprobe = nprobe(params, k);
    RemoteQueries.Rule rule = remoteRule(params, nprobe);
    ListScanner scanner = ListScanner.acquire();
    lock.lockRead();
    try {
      return scanner.search(store, store.centroids(), metric, q, k, nprobe, rule, params.filter(),
          Quantization.oversample(params));
    } finally {
      lock.unlockRead();
      scanner.release();
    }
  }

  /**
   * As one {@link #search} per query, with identical rows, computed by scanning each list once per
   * block of queries for all the queries of the block that probe it: see {@link BatchSearch}.
   */
  @Override
  public BatchResults searchBatch(float[][] queries, int k, SearchParams params, int threads) {
    Objects.requireNonNull(queries, "queries");
    Objects.requireNonNull(params, "params");
    Vectors.checkK(k);
    SearchSupport.checkThreads(threads);
    int nprobe = nprobe(params, k);
    RemoteQueries.Rule rule = remoteRule(params, nprobe);
    return BatchSearch.run(this, (i, temp) -> queries[i], queries.length, k, nprobe, rule, params.filter(),
        Quantization.oversample(params), threads);
  }

  /** As {@link #searchBatch(float[][], int, SearchParams, int)}, reading the rows in place. */
  @Override
  public BatchResults searchBatch(float[] queries, int count, int k, SearchParams params, int threads) {
    Objects.requireNonNull(params, "params");
    SearchSupport.checkRowMajor(queries, count, dimension);
    Vectors.checkK(k);
    SearchSupport.checkThreads(threads);
    int nprobe = nprobe(params, k);
    RemoteQueries.Rule rule = remoteRule(params, nprobe);
    return BatchSearch.run(this, (i, temp) -> {
      System.arraycopy(queries, i * dimension, temp, 0, dimension);
      return temp;
    }, count, k, nprobe, rule, params.filter(), Quantization.oversample(params), threads);
  }

  /**
   * The nearest {@code limit} vectors within {@code maxDistance} among the {@code nprobe} nearest lists,
   * and further lists in rank order while each still adds a result; exact at {@code nprobe = nlist}
   * and before training. A target recall chooses nprobe as for recall@{@value #RANGE_CALIBRATION_K}
   * (or at {@code limit}, when smaller).
   */
  @Override
  public List<SearchResult> searchRange(float[] query, float maxDistance, int limit, SearchParams params) {
    Objects.requireNonNull(params, "params");
    SearchSupport.checkRange(maxDistance, limit);
    float[] q = Vectors.prepareQuery(query, dimension, metric);
    int calibrationK = Math.min(limit, RANGE_CALIBRATION_K);
    int nprobe = nprobe(params, calibrationK);
    RemoteQueries.Rule rule = remoteRule(params, nprobe);
    ListScanner scanner = ListScanner.acquire();
    lock.lockRead();
    try {
      return scanner.range(store, store.centroids(), metric, q, maxDistance, limit, nprobe, rule, params.filter(),
          Quantization.oversample(params));
    } finally {
      lock.unlockRead();
      scanner.release();
    }
  }

  /**
   * Exact: every list scanned (over the decoded vectors when sq8 dropped the floats). Only the filter of
   * {@code params} is read.
   */
  @Override
  public List<SearchResult> searchExact(float[] query, int k, SearchParams params) {
    Objects.requireNonNull(params, "params");
    Vectors.checkK(k);
    float[] q = Vectors.prepareQuery(query, dimension, metric);
    ListScanner scanner = ListScanner.acquire();
    lock.lockRead();
    try {
      return scanner.exact(store, metric, q, k, params.filter());
    } finally {
      lock.unlockRead();
      scanner.release();
    }
  }

  /**
   * Recall@k against nprobe on a ladder from 1 to nlist (steps of about 15%), measured on this index's
   * own vectors; before training the index is exact, and the table has one step of recall 1.
   */
  @Override
  public Calibration calibration(int k) {
    Vectors.checkK(k);
    return calibrator.calibration(k);
  }

  /** The nprobe of a search of {@code k}: the knob, else chosen for a target recall, else the default. */
  private int nprobe(SearchParams params, int k) {
    return KNOBS.intValue(params, "nprobe", k, calibrator, defaultNprobe);
  }

  /** For a target recall, the rule for queries unlike the stored vectors (see {@link RemoteQueries}); else null. */
  private RemoteQueries.Rule remoteRule(SearchParams params, int nprobe) {
    return params.targetRecall().isPresent() ? remote.rule(this, nprobe) : null;
  }

  /** Takes the shared lock searches take, for a batch's blocks and a sample of the contents. */
  void lockRead() {
    lock.lockRead();
  }

  /** Releases {@link #lockRead()}. */
  void unlockRead() {
    lock.unlockRead();
  }

  /** The contents; read them under {@link #lockRead()}. */
  ListStore store() {
    return store;
  }

  // ------------------------------------------------------------------ memory and snapshots

  @Override
  public long ramBytesUsed() {
    lock.lockRead();
    try {
      return 256 + store.ramBytesUsed();
    } finally {
      lock.unlockRead();
    }
  }

  /** The state: see {@link IvfFlatState}. */
  @Override
  public IndexSnapshot snapshot() {
    return withSnapshot(IndexSnapshot::materialize);
  }

  /** Reads the vectors and ids in place; writers wait, searches go on. */
  @Override
  public <R, X extends Exception> R withSnapshot(SnapshotAction<R, X> action) throws X {
    Objects.requireNonNull(action, "action");
    boolean gated = lock.lockWriters();
    try {
      Centroids c = store.centroids();
      int size = store.size();
      IndexSnapshot.Builder b = IndexSnapshot.builder(NAME, IvfFlatState.VERSION, dimension, metric, size)
          .parameters(params)
          .scalar("nlist", c == null ? 0 : c.count())
          .floats("centroids", c == null ? new float[0] : c.data().clone())
          .array("ids", store.ids().view(size));
      return action.apply(IvfFlatState.write(store, b).build());
    } finally {
      if (gated) {
        lock.unlockWriters();
      }
    }
  }

  /** An index of restored, validated contents. */
  static IvfFlatIndex restored(int dimension, Metric metric, IndexParams params, ListStore store) {
    return new IvfFlatIndex(dimension, metric, params, store);
  }

  /** Whether the lists hold sq8 codes; for tests. */
  boolean isQuantized() {
    return withReadLock(() -> store.quantizer() != null);
  }

  /** Vectors added far outside the quantizer's ranges since they were learned; for tests. */
  int farOutsideCount() {
    return withReadLock(store::farOutside);
  }

  /** Times the quantizer's ranges were learned again; for tests. */
  int quantizerRetrains() {
    return withReadLock(store::retrains);
  }

  private <T> T withReadLock(java.util.function.Supplier<T> read) {
    lock.lockRead();
    try {
      return read.get();
    } finally {
      lock.unlockRead();
    }
  }

  /** The lists whose vectors live in {@code array}; for tests. */
  int listsReading(float[] array) {
    lock.lockRead();
    try {
      return store.listsReading(array);
    } finally {
      lock.unlockRead();
    }
  }

  /** Every list's ids, in list order; for tests. */
  long[][] listIds() {
    lock.lockRead();
    try {
      return store.listIds();
    } finally {
      lock.unlockRead();
    }
  }

  /**
   * The centroids, row-major.
   *
   * @return a copy of the {@code nlist * dimension} centroid components, or an empty array before training
   */
  public float[] centroids() {
    Centroids c = store.centroids();
    return c == null ? new float[0] : c.data().clone();
  }

  @Override
  public String toString() {
    return "IvfFlatIndex{dim=" + dimension + ", " + metric + ", size=" + size() + ", nlist=" + nlist()
        + ", nprobe=" + defaultNprobe + "}";
  }
}
