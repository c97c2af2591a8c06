package io.vers.lsh;

import io.vers.api.AddOptions;
import io.vers.api.Calibration;
import io.vers.api.IllegalParameterException;
import io.vers.api.Index;
import io.vers.api.IndexSnapshot;
import io.vers.api.Metric;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.spi.IdMap;
import io.vers.spi.IndexLock;
import io.vers.spi.Progress;
import io.vers.spi.RamUsage;
import io.vers.spi.RecallCalibrator;
import io.vers.spi.SearchSupport;
import io.vers.spi.Vectors;
import io.vers.spi.simd.Kernels;
import io.vers.spi.simd.VectorKernel;
import io.vers.spi.storage.VectorStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.LongStream;

/**
 * Approximate search with a forest of random-projection trees, in the manner of Annoy.
 *
 * <h2>Structure</h2>
 * Each of {@code numTrees} trees splits the points of a node by a hyperplane, the perpendicular
 * bisector of two of the node's points drawn at random, until a leaf holds at most
 * {@code maxLeafSize} points. Exact duplicates, which no hyperplane separates, always end in one leaf,
 * which may then hold more than {@code maxLeafSize} points. Under {@link Metric#COSINE} the trees split
 * the normalised vectors; under {@link Metric#DOT} they split vectors extended by one coordinate that
 * turns the largest inner product into the nearest neighbour (see {@link Forest}). Trees live in flat
 * arrays, not node objects, and a batch ({@link #addAll} on an empty index) builds them in parallel.
 *
 * <h2>Search</h2>
 * One priority queue holds the unexplored subtrees of all trees, ordered by the largest margin the
 * query crossed to reach them (a lower bound on the distance to every point inside), so the leaves
 * nearest the query in every tree come first and quality rises smoothly with the budget. Candidates
 * are deduplicated, the id filter is applied, and each accepted candidate is ranked by its exact
 * distance. The search stops after {@code searchK} accepted candidates, or earlier when no unexplored
 * subtree can hold anything nearer than the current k-th result (L2 and COSINE). The budget is the
 * query's knob {@code searchK} ({@link SearchParams.Builder#searchK}) when set, else the value its
 * {@code targetRecall} calls for in the index's {@linkplain #calibration calibration}, else the index's
 * {@code searchK}, else {@link #defaultSearchK(int, int) 10 * max(k, 10) * numTrees}, and never below
 * {@code k}; a budget of at least {@link #size()} makes the search exact. With a filter, only accepted
 * ids count toward the budget, and when accepted ids are so rare that the trees would have to be walked
 * almost entirely the remaining points are scanned exactly instead, so {@code min(k, accepted ids)}
 * results always come back. {@link #searchExact} scans every stored vector instead.
 *
 * <h2>Range search</h2>
 * {@link #searchRange} walks the trees the same way, with the budget of a search for
 * {@code min(limit, size())} results, and then on while it still finds vectors in range: it ends once
 * it has ranked three times as many candidates as when a vector last entered its results, or, under L2
 * and COSINE, once no unexplored subtree can hold a vector in range. A walk that has seen an eighth of
 * the points scans the rest exactly instead, which costs less than walking to them through every tree.
 *
 * <h2>Target recall</h2>
 * {@link #calibration} measures recall@k against {@code searchK} on a sample of the stored vectors, from
 * a budget of {@code k} up to {@link #size()}; a {@code targetRecall} search takes the smallest budget
 * that reached its target. The sample stands for queries like the stored vectors: queries far from
 * every stored vector, which random planes sort poorly, need several times that budget for the same
 * recall.
 *
 * <h2>Updates</h2>
 * {@link #add} descends every tree to a leaf and splits the leaf when it overflows; an id already
 * present is replaced. {@link #remove} takes the point out of its leaves (leaves are never merged) and
 * moves the last vector into the freed slot, keeping storage dense.
 *
 * <h2>Thread safety</h2>
 * Thread-safe. Searches share a read lock and run concurrently; writes take the write lock, so a search
 * sees each write entirely or not at all. Per-thread search scratch is reused without O(n) clears.
 *
 * <h2>Reproducibility</h2>
 * Random choices come from {@code seed} (default {@value #DEFAULT_SEED}): the same inserts in the same
 * order build the same trees, however many threads build them.
 */
public final class LshIndex implements Index {
  /** Provider name. */
  public static final String NAME = "lsh";
  /** Default number of trees. */
  public static final int DEFAULT_NUM_TREES = 10;
  /** Default largest leaf. */
  public static final int DEFAULT_MAX_LEAF_SIZE = 32;
  /** Default random seed. */
  public static final long DEFAULT_SEED = 42L;
  /** Largest accepted number of trees. */
  public static final int MAX_NUM_TREES = 1024;
  /** Largest accepted leaf size. */
  public static final int MAX_LEAF_SIZE = 1 << 20;

  static final int STATE_VERSION = 1;
  private static final VectorKernel KERNEL = Kernels.get().vector();
  /** The lock, the random generator, the searcher with its kernel and thread-local handle, the calibrator. */
  private static final long SMALL_PARTS = 400;

  private final int dimension;
  private final Metric metric;
  private final int numTrees;
  private final int maxLeafSize;
  private final int searchK;
  private final long seed;
  private final VectorStore vectors;
  private final IdMap ids;
  private final SplitMix random;
  private final IndexLock lock = new IndexLock();
  private final ForestSearch search;
  /** Recall against {@code searchK}, for {@link #calibration} and {@code targetRecall}. */
  private final RecallCalibrator calibrator = new RecallCalibrator(this, "searchK", this::ladder);
  private Forest forest;
  /** The largest norm ever stored, for the rounding slack of the early stop. */
  private float maxNorm;

  LshIndex(int dimension, Metric metric, int numTrees, int maxLeafSize, int searchK, long seed, VectorStore vectors,
      IdMap ids, Forest forest, long randomState) {
    this.dimension = dimension;
    this.metric = metric;
    this.numTrees = numTrees;
    this.maxLeafSize = maxLeafSize;
    this.searchK = searchK;
    this.seed = seed;
    this.vectors = vectors;
    this.ids = ids;
    this.search = new ForestSearch(dimension, metric, vectors, ids);
    this.forest = forest;
    this.random = new SplitMix(randomState);
    for (int ord = 0; ord < vectors.size(); ord++) {
      float squaredNorm = squaredNorm(vectors.page(ord), vectors.offset(ord));
      maxNorm = Math.max(maxNorm, (float) Math.sqrt(squaredNorm));
      forest.setNorm(ord, squaredNorm);
    }
  }

  /**
   * Starts a typed builder for an index of {@code dimension} under {@code metric}.
   *
   * @param dimension the number of components of every vector, at least 1
   * @param metric the distance to rank by
   * @return a builder with every parameter at its default
   * @throws IllegalArgumentException if {@code dimension < 1}
   */
  public static Builder builder(int dimension, Metric metric) {
    return new Builder(dimension, metric);
  }

  /**
   * The budget of a search for {@code k} that sets no {@code searchK} and no target recall, in an index
   * built with {@code indexSearchK} (0 when unset) and {@code numTrees} trees.
   */
  static int unsetSearchK(int indexSearchK, int k, int numTrees) {
    return indexSearchK > 0 ? indexSearchK : defaultSearchK(k, numTrees);
  }

  /**
   * The candidate budget when neither the query nor the index sets one: {@code 10 * max(k, 10) *
   * numTrees}, 1000 for {@code k <= 10} at the default 10 trees. That reaches recall@10 above 0.9 on
   * SIFT and Fashion-MNIST samples; lower budgets trade recall for speed.
   *
   * @param k the number of results a query asks for
   * @param numTrees the number of trees in the forest
   * @return the budget, capped at {@link Integer#MAX_VALUE}
   */
  public static int defaultSearchK(int k, int numTrees) {
    return (int) Math.min(Integer.MAX_VALUE, 10L * Math.max(k, 10) * numTrees);
  }

  // ------------------------------------------------------------------ Index

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
      return vectors.size();
    } finally {
      lock.unlockRead();
    }
  }

  /** {@return the number of trees} */
  public int numTrees() {
    return numTrees;
  }

  /** {@return the largest leaf, except leaves of identical points} */
  public int maxLeafSize() {
    return maxLeafSize;
  }

  @Override
  public void add(long id, float[] vector) {
    Vectors.check(vector, dimension, metric, "vector for id " + id);
    float[] stored = metric.normalizes() ? metric.storedForm(vector) : vector;
    lock.lockWrite();
    try {
      addLocked(id, stored);
    } finally {
      lock.unlockWrite();
    }
    calibrator.recordWrites(1);
  }

  /**
   * Stores a batch. On an empty index this builds every tree from the whole batch, on
   * {@code options.threads()} threads (one tree per task); otherwise it adds the vectors one by one.
   * Searches wait while a batch is stored.
   */
  @Override
  public void addAll(long[] batchIds, float[][] batch, AddOptions options) {
    Objects.requireNonNull(options, "options");
    Vectors.checkBatch(batchIds, batch, dimension(), metric());
    lock.lockWrite();
    try {
      if (vectors.size() == 0 && batch.length > 0) {
        buildLocked(batchIds, batch, options);
        return;
      }
      Progress progress = new Progress(options.progress(), batch.length);
      for (int i = 0; i < batch.length; i++) {
        addLocked(batchIds[i], metric.normalizes() ? metric.storedForm(batch[i]) : batch[i]);
        progress.advance(1);
      }
      progress.finish();
    } finally {
      lock.unlockWrite();
      calibrator.recordWrites(batch.length);
    }
  }

  private void addLocked(long id, float[] stored) {
    int ord = ids.get(id);
    if (ord >= 0) {
      forest.remove(ord);
      vectors.set(ord, stored);
    } else {
      ord = vectors.append(stored);
      ids.put(id, ord);
    }
    noteNorm(ord, stored, 0);
    forest.insert(vectors, ord, random);
  }

  private void buildLocked(long[] batchIds, float[][] batch, AddOptions options) {
    forest = Forest.empty(dimension, metric, numTrees, maxLeafSize);
    vectors.ensureCapacity(batch.length);
    for (int i = 0; i < batch.length; i++) {
      float[] stored = metric.normalizes() ? metric.storedForm(batch[i]) : batch[i];
      int ord = ids.get(batchIds[i]);
      if (ord >= 0) {
        vectors.set(ord, stored);
      } else {
        ids.put(batchIds[i], vectors.append(stored));
      }
    }
    int n = vectors.size();
    for (int ord = 0; ord < n; ord++) {
      noteNorm(ord, vectors.page(ord), vectors.offset(ord));
    }
    forest.buildAll(vectors, n, seed, options);
    storeInFirstTreeOrder(n);
  }

  /**
   * Moves the vectors so that ordinal order is the leaf order of the first tree: points near each
   * other in space then sit near each other in memory, and the candidates of a query, which come
   * from a few nearby leaves, are read as a few sequential runs rather than scattered vectors.
   */
  private void storeInFirstTreeOrder(int n) {
    int[] oldAt = forest.firstTreeOrder(n);
    int[] newOf = new int[n];
    for (int p = 0; p < n; p++) {
      newOf[oldAt[p]] = p;
    }
    long[] oldIds = ids.idsOf(n);
    boolean[] placed = new boolean[n];
    float[] saved = new float[dimension];
    for (int start = 0; start < n; start++) {
      if (placed[start] || oldAt[start] == start) {
        continue;
      }
      vectors.copyTo(start, saved, 0);
      int p = start;
      while (oldAt[p] != start) {
        vectors.move(oldAt[p], p);
        placed[p] = true;
        p = oldAt[p];
      }
      vectors.set(p, saved);
      placed[p] = true;
    }
    for (int p = 0; p < n; p++) {
      ids.put(oldIds[oldAt[p]], p);
    }
    forest.renumberAll(newOf, n);
  }

  private void noteNorm(int ord, float[] array, int offset) {
    float squaredNorm = squaredNorm(array, offset);
    maxNorm = Math.max(maxNorm, (float) Math.sqrt(squaredNorm));
    forest.setNorm(ord, squaredNorm);
  }

  private float squaredNorm(float[] array, int offset) {
    return KERNEL.dot(array, offset, array, offset, dimension);
  }

  @Override
  public boolean remove(long id) {
    lock.lockWrite();
    try {
      int ord = ids.remove(id);
      if (ord < 0) {
        return false;
      }
      forest.remove(ord);
      int last = vectors.size() - 1;
      if (ord != last) {
        long movedId = ids.idOf(last);
        vectors.move(last, ord);
        ids.put(movedId, ord);
        forest.renumber(last, ord);
      }
      vectors.truncate(last);
      calibrator.recordWrites(1);
      return true;
    } finally {
      lock.unlockWrite();
    }
  }

  @Override
  public boolean contains(long id) {
    return ids.contains(id);
  }

  @Override
  public List<SearchResult> search(float[] query, int k, SearchParams params) {
    Objects.requireNonNull(params, "params");
    Vectors.checkK(k);
    float[] q = Vectors.prepareQuery(query, dimension, metric);
    int budget = budget(params, k);
    lock.lockRead();
    try {
      return search.walk(forest, maxNorm, q, k, Float.POSITIVE_INFINITY, Math.max(budget, k), false,
          params.filter());
    } finally {
      lock.unlockRead();
    }
  }

  /**
   * The stored vectors within {@code maxDistance}, nearest first, at most {@code limit}, by the walk the
   * class description sets out under "Range search". A budget of at least {@link #size()} makes it
   * exact, and so do {@link #defaultSearchK} and a {@code targetRecall} when {@code limit >= size()}.
   */
  @Override
  public List<SearchResult> searchRange(float[] query, float maxDistance, int limit, SearchParams params) {
    Objects.requireNonNull(params, "params");
    SearchSupport.checkRange(maxDistance, limit);
    float[] q = Vectors.prepareQuery(query, dimension, metric);
    int n = size();
    int budget;
    if (limit >= n && params.targetRecall().isPresent()) {
      LshIndexProvider.KNOBS.check(params); // any vector may be in range: only a full walk meets a target
      budget = n;
    } else {
      budget = budget(params, Math.max(1, Math.min(limit, n)));
    }
    lock.lockRead();
    try {
      return search.walk(forest, maxNorm, q, limit, maxDistance, budget, true, params.filter());
    } finally {
      lock.unlockRead();
    }
  }

  /** A scan of every stored vector with the batched kernel; only the filter of {@code params} is read. */
  @Override
  public List<SearchResult> searchExact(float[] query, int k, SearchParams params) {
    Objects.requireNonNull(params, "params");
    Vectors.checkK(k);
    float[] q = Vectors.prepareQuery(query, dimension, metric);
    lock.lockRead();
    try {
      return search.exact(q, k, params.filter());
    } finally {
      lock.unlockRead();
    }
  }

  /**
   * The candidate budget of a search for {@code k}: the query's {@code searchK}, else the one its
   * {@code targetRecall} calls for, else the index's, else {@link #defaultSearchK}. Resolved before the
   * read lock is taken, as calibrating runs searches on other threads.
   */
  private int budget(SearchParams params, int k) {
    return LshIndexProvider.KNOBS.intValue(params, "searchK", k, calibrator, unsetSearchK(searchK, k, numTrees));
  }

  /** The budgets calibrated for {@code k}: from {@code k} up to every stored point, 1.2 times apart. */
  private int[] ladder(int k) {
    return RecallCalibrator.geometric(k, Math.max(k, size()), 1.2);
  }

  /**
   * How recall@k grows with {@code searchK}, measured on this index's vectors from a budget of
   * {@code k} up to {@link #size()} (exact); kept until the index has changed by half.
   */
  @Override
  public Calibration calibration(int k) {
    Vectors.checkK(k);
    return calibrator.calibration(k);
  }

  @Override
  public Optional<float[]> vector(long id) {
    return SearchSupport.vectorOf(lock, ids, vectors, id);
  }

  @Override
  public LongStream ids() {
    return SearchSupport.idsOf(lock, ids, vectors);
  }

  // ------------------------------------------------------------------ state

  @Override
  public long ramBytesUsed() {
    lock.lockRead();
    try {
      return RamUsage.align(RamUsage.OBJECT_HEADER + 4 * 4 + 8 + 4 + 8 * RamUsage.REFERENCE) + SMALL_PARTS
          + vectors.ramBytesUsed() + ids.ramBytesUsed() + forest.ramBytesUsed();
    } finally {
      lock.unlockRead();
    }
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("numTrees", numTrees);
    map.put("maxLeafSize", maxLeafSize);
    if (searchK > 0) {
      map.put("searchK", searchK);
    }
    map.put("seed", seed);
    return map;
  }

  @Override
  public IndexSnapshot snapshot() {
    return withSnapshot(IndexSnapshot::materialize);
  }

  /** Reads the vectors, ids and trees in place; writers wait, searches go on. */
  @Override
  public <R, X extends Exception> R withSnapshot(SnapshotAction<R, X> action) throws X {
    Objects.requireNonNull(action, "action");
    boolean gated = lock.lockWriters();
    try {
      int n = vectors.size();
      IndexSnapshot.Builder b = IndexSnapshot.builder(NAME, STATE_VERSION, dimension, metric, n);
      parameters().forEach(b::parameter);
      b.scalar("seed", seed).scalar("randomState", random.state());
      b.array("ids", ids.view(n)).array("vectors", vectors.view(n));
      LshState.writeForest(forest, b);
      return action.apply(b.build());
    } finally {
      if (gated) {
        lock.unlockWriters();
      }
    }
  }

  /** The trees, for tests in this package; the caller must not run writes concurrently. */
  Forest forest() {
    return forest;
  }

  /** The vectors by ordinal, for tests in this package. */
  VectorStore vectors() {
    return vectors;
  }

  @Override
  public String toString() {
    return "LshIndex{dim=" + dimension + ", " + metric + ", numTrees=" + numTrees + ", maxLeafSize=" + maxLeafSize
        + ", size=" + size() + "}";
  }

  // ------------------------------------------------------------------ builder

  /**
   * Typed construction of an empty {@link LshIndex}; the provider route
   * ({@code Indexes.create("lsh", ...)}) goes through the same checks. Not thread-safe.
   */
  public static final class Builder {
    private final int dimension;
    private final Metric metric;
    private int numTrees = DEFAULT_NUM_TREES;
    private int maxLeafSize = DEFAULT_MAX_LEAF_SIZE;
    private int searchK;
    private long seed = DEFAULT_SEED;

    private Builder(int dimension, Metric metric) {
      if (dimension < 1) {
        throw new IllegalArgumentException("dimension must be at least 1, got " + dimension);
      }
      this.dimension = dimension;
      this.metric = Objects.requireNonNull(metric, "metric");
    }

    /**
     * Trees in the forest, 1 to {@value #MAX_NUM_TREES} (default {@value #DEFAULT_NUM_TREES}). More
     * trees give higher recall at the same budget, at the cost of build time and memory.
     *
     * @param numTrees the number of trees
     * @return this builder
     * @throws io.vers.api.IllegalParameterException if {@code numTrees} is out of range
     */
    public Builder numTrees(int numTrees) {
      this.numTrees = check("numTrees", numTrees, 1, MAX_NUM_TREES);
      return this;
    }

    /**
     * The most points a leaf holds, 1 to {@value #MAX_LEAF_SIZE} (default
     * {@value #DEFAULT_MAX_LEAF_SIZE}); identical points share a leaf regardless.
     *
     * @param maxLeafSize the most points per leaf
     * @return this builder
     * @throws io.vers.api.IllegalParameterException if {@code maxLeafSize} is out of range
     */
    public Builder maxLeafSize(int maxLeafSize) {
      this.maxLeafSize = check("maxLeafSize", maxLeafSize, 1, MAX_LEAF_SIZE);
      return this;
    }

    /**
     * The candidate budget for queries that set neither {@code searchK}
     * ({@link SearchParams.Builder#searchK}) nor {@code targetRecall}; by default
     * {@link LshIndex#defaultSearchK(int, int)}.
     *
     * @param searchK the number of candidates ranked exactly per query, at least 1
     * @return this builder
     * @throws io.vers.api.IllegalParameterException if {@code searchK < 1}
     */
    public Builder searchK(int searchK) {
      this.searchK = check("searchK", searchK, 1, Integer.MAX_VALUE);
      return this;
    }

    /**
     * The seed of every random choice (default {@value LshIndex#DEFAULT_SEED}).
     *
     * @param seed any value; the same seed and inserts build the same trees
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * {@return a new, empty index with these parameters}
     */
    public LshIndex build() {
      return new LshIndex(dimension, metric, numTrees, maxLeafSize, searchK, seed, new VectorStore(dimension),
          new IdMap(), Forest.empty(dimension, metric, numTrees, maxLeafSize), SplitMix.forStream(seed, -1).state());
    }

    private static int check(String name, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalParameterException(
            "parameter " + name + " of " + NAME + " must be in [" + min + ", " + max + "], got " + value);
      }
      return value;
    }
  }
}
