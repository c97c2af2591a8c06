package io.vers.flat;

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
import io.vers.spi.IndexLock;
import io.vers.spi.Parallel;
import io.vers.spi.Progress;
import io.vers.spi.RecallCalibrator;
import io.vers.spi.SearchKnobs;
import io.vers.spi.SearchSupport;
import io.vers.spi.Vectors;
import io.vers.spi.simd.BlockDistance;
import io.vers.spi.storage.ScalarQuantizer;
import io.vers.spi.storage.VectorStore;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongPredicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/**
 * Exact search: every query is compared with every stored vector. The ground truth for the
 * approximate indexes, and a sound choice for collections up to some tens of thousands of vectors.
 *
 * <p>Vectors are kept dense in one {@link VectorStore}; {@link #remove} moves the last vector into the
 * freed slot. Writes take an exclusive lock, searches a shared one (a batch takes it once).
 *
 * <h2>Batches</h2>
 * {@link #searchBatch} compares blocks of queries with tiles of stored vectors, the shape of a matrix
 * product: each worker takes a panel of queries, walks the stored vectors span by span (a span stays in
 * the L3 cache), and has each block of the panel (small enough to stay in its L2 cache) scan the span
 * tile by tile, computing every (query, vector) distance of a tile with {@link BlockDistance}'s
 * register-blocked kernel, which loads each chunk of four stored vectors once for three queries; each
 * query keeps its nearest in a bounded heap of the worker's own. Many queries thus cost far less than
 * one search each, which rereads every stored vector from memory.
 * {@link #searchAll} is such a batch, for computing ground truth.
 *
 * <p>A single {@link #search} runs the same kernel family with a block of one query, and every pair's
 * distance is accumulated in the same order in every block shape, so row {@code i} of a batch is
 * identical (ids, distances and order) to {@code search(queries[i], k, params)}.
 *
 * <p>L2 distances are computed in the direct form {@code sum((q - x)^2)}, a subtraction and a fused
 * multiply-add per component, rather than as {@code |q|^2 + |x|^2 - 2 q.x} with one multiply-add per
 * component, as BLAS-based exact searches do. The dot form cancels badly when a query lies close to a
 * stored vector of large norm (the very neighbours asked for: Fashion-MNIST's pixels of 0 to 255 give
 * squared norms near 10^7, where a float's last bit is worth about 1), and would need clamping at 0.
 * Measured on Fashion-MNIST (60,000 x 784, AVX-512), its best register block (four by four) was only 6%
 * (JDK 25) to 12% (JDK 17) faster than the direct form's three by four, before computing the norms.
 *
 * <h2>Quantization</h2>
 * With the build parameter {@code quantization=sq8} the index keeps 8-bit codes of its vectors
 * ({@link ScalarQuantizer}, one byte per component) and scans them instead of the floats: a quarter of
 * the bytes per stored vector. Until it holds {@value ScalarQuantizer#TRAIN_AT} vectors it keeps floats
 * only and searches exactly as with {@code none}; the write that brings it to that size (a whole
 * {@link #addAll} counts as one write) learns the ranges from every vector it then holds and encodes them
 * all. Every later vector is encoded as it is added. Vectors added far outside the ranges
 * ({@link ScalarQuantizer#farOutside}) are counted; once {@link ScalarQuantizer#shouldRetrain} holds at a
 * write, that write learns the ranges again from the vectors held (the floats if kept, else the decoded
 * codes) and re-encodes them all, under the write lock, and the count starts again. Searches never see a
 * half re-encoded index, since they take the read lock. Removing vectors never forgets the ranges.
 * <ul>
 *   <li>{@code keepVectors=true} (the default): the floats stay. A search gathers the
 *       {@code ceil(oversample x k)} nearest by code distance (at least {@code k}), then computes their
 *       exact distances and returns the best {@code k} with exact distances. The search knob
 *       {@code oversample} (default 3) sets the trade; {@link #calibration} measures it.
 *   <li>{@code keepVectors=false}: the floats are dropped once the codes exist, and the index holds
 *       about a quarter of the bytes. Searches return code distances: the metric's distance to the
 *       decoded vector (under COSINE, to its direction, the decoded vector scaled to unit length), an
 *       approximation of the distance to the vector added. {@link #vector} returns the decoded vector.
 *       {@code oversample} is accepted and ignored.
 * </ul>
 * {@link #searchExact} stays exact: over the floats when they are kept, else over the decoded vectors.
 * {@link #searchRange} follows the same rules, {@code limit} in place of {@code k} (with kept vectors
 * the radius is applied to exact distances, after the code stage). Rows of {@link #searchBatch} are
 * single searches, one per query on the batch's threads, so each row equals its single search.
 * With {@code quantization=none} (the default) nothing of this exists and {@code oversample} is accepted
 * and ignored.
 */
public final class FlatIndex implements Index {
  /** Provider name. */
  public static final String NAME = "flat";

  /** Version 2 adds the sq8 state (parameters, codes, ranges); version 1 restores as {@code none}. */
  static final int STATE_VERSION = 2;

  /** Reads {@code oversample}, and only with sq8 and kept vectors; any other knob is refused. */
  private static final SearchKnobs KNOBS = new SearchKnobs(NAME, FlatIndexProvider.SEARCH_PARAMETERS);

  /** The k a target recall is resolved at for a range search. */
  private static final int RANGE_CALIBRATION_K = 10;

  private final int dimension;
  private final Metric metric;
  private final IndexParams params;
  private final boolean keepVectors;
  /** The float vectors by ordinal; null once dropped (sq8 with keepVectors=false, after training). */
  private VectorStore vectors;
  /** The sq8 storage; null with quantization=none. */
  private final FlatCodes codes;
  private final IdMap ids;
  private final IndexLock lock = new IndexLock();
  private final RecallCalibrator calibrator;
  private final ThreadLocal<FlatScratch> scratch = new ThreadLocal<>();
  private final FlatBlockScan floatScan;

  FlatIndex(int dimension, Metric metric, IndexParams params, VectorStore vectors, FlatCodes codes, IdMap ids) {
    this.dimension = dimension;
    this.metric = metric;
    this.params = params;
    this.keepVectors = params.getBoolean(ScalarQuantizer.KEEP_VECTORS.name());
    this.vectors = vectors;
    this.codes = codes;
    this.ids = ids;
    this.floatScan = new FlatBlockScan(dimension, metric, ids);
    this.calibrator = new RecallCalibrator(this, ScalarQuantizer.OVERSAMPLE.name(),
        k -> reranking() ? RecallCalibrator.geometric(1, 100, 1.5) : new int[] {1});
  }

  /**
   * An empty exact index, {@code quantization=none}.
   * @param dimension the number of components of every vector, at least 1
   * @param metric the distance to rank by
   * @return the new, empty index
   */
  public static FlatIndex create(int dimension, Metric metric) {
    return create(dimension, metric, IndexParams.resolve(NAME, FlatIndexProvider.PARAMETERS, Map.of()));
  }

  /** An empty index with resolved build parameters ({@code quantization}, {@code keepVectors}). */
  static FlatIndex create(int dimension, Metric metric, IndexParams params) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be at least 1, got " + dimension);
    }
    boolean sq8 = "sq8".equals(params.getString(ScalarQuantizer.QUANTIZATION.name()));
    return new FlatIndex(dimension, metric, params, new VectorStore(dimension),
        sq8 ? new FlatCodes(dimension, metric) : null, new IdMap());
  }

  /** Restores from a snapshot; see {@link FlatSnapshots}. */
  static FlatIndex restore(IndexSnapshot snapshot) throws CorruptIndexException {
    return FlatSnapshots.restore(snapshot);
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
    lock.lockRead();
    try {
      return count();
    } finally {
      lock.unlockRead();
    }
  }

  /** The number of vectors held; the caller holds a lock. */
  private int count() {
    return vectors != null ? vectors.size() : codes.size();
  }

  /** Whether searches scan codes; the caller holds a lock. */
  private boolean quantized() {
    return codes != null && codes.trained();
  }

  /** Whether searches re-rank code candidates exactly, so that {@code oversample} is read. */
  private boolean reranking() {
    return codes != null && keepVectors;
  }

  @Override
  public void add(long id, float[] vector) {
    Vectors.check(vector, dimension, metric, "vector for id " + id);
    float[] stored = metric.storedForm(vector);
    lock.lockWrite();
    try {
      write(id, stored);
      afterWrites();
    } finally {
      lock.unlockWrite();
    }
    calibrator.recordWrites(1);
  }

  /**
   * With {@code quantization=sq8}, stores the whole batch under one write lock, so that it counts as one
   * write: when it brings the index to {@link ScalarQuantizer#TRAIN_AT} vectors, the ranges are learned
   * from all of it. With {@code none}, one {@link #add} per vector.
   */
  @Override
  public void addAll(long[] ids, float[][] vectors, AddOptions options) {
    if (codes == null) {
      Index.super.addAll(ids, vectors, options);
      return;
    }
    Objects.requireNonNull(options, "options");
    Vectors.checkBatch(ids, vectors, dimension, metric);
    Progress progress = new Progress(options.progress(), ids.length);
    lock.lockWrite();
    try {
      for (int i = 0; i < ids.length; i++) {
        write(ids[i], metric.storedForm(vectors[i]));
        progress.advance(1);
      }
      afterWrites();
    } finally {
      lock.unlockWrite();
    }
    calibrator.recordWrites(ids.length);
    progress.finish();
  }

  /** Stores one stored-form vector under the write lock: floats and codes, whichever are held. */
  private void write(long id, float[] stored) {
    int ord = ids.get(id);
    boolean fresh = ord < 0;
    if (fresh) {
      ord = count();
    }
    if (vectors != null) {
      if (fresh) {
        vectors.append(stored);
      } else {
        vectors.set(ord, stored);
      }
    }
    if (quantized()) {
      codes.put(ord, stored);
    }
    if (fresh) {
      ids.put(id, ord);
    }
  }

  /** After a write, under its lock: learns the ranges when due (first at TRAIN_AT, then by policy). */
  private void afterWrites() {
    if (codes == null) {
      return;
    }
    int n = count();
    if (!codes.trained()) {
      if (n >= ScalarQuantizer.TRAIN_AT) {
        codes.train(vectors, n);
        if (!keepVectors) {
          vectors = null;
        }
      }
    } else if (codes.shouldRetrain(n)) {
      codes.train(vectors, n);
    }
  }

  @Override
  public boolean remove(long id) {
    boolean removed;
    lock.lockWrite();
    try {
      int ord = ids.remove(id);
      removed = ord >= 0;
      if (removed) {
        int last = count() - 1;
        if (ord != last) {
          long movedId = ids.idOf(last);
          if (vectors != null) {
            vectors.move(last, ord);
          }
          if (quantized()) {
            codes.move(last, ord);
          }
          ids.put(movedId, ord);
        }
        if (vectors != null) {
          vectors.truncate(last);
        }
        if (quantized()) {
          codes.truncate(last);
        }
      }
    } finally {
      lock.unlockWrite();
    }
    if (removed) {
      calibrator.recordWrites(1);
    }
    return removed;
  }

  @Override
  public boolean contains(long id) {
    return ids.contains(id);
  }

  /**
   * The {@code k} nearest: exact with {@code quantization=none} or before the ranges are learned; with
   * sq8 a scan of the codes, re-ranked exactly when the vectors are kept (see the class comment).
   */
  @Override
  public List<SearchResult> search(float[] query, int k, SearchParams params) {
    Vectors.checkK(k);
    KNOBS.check(params);
    double oversample = oversample(params, k);
    float[] q = Vectors.prepareQuery(query, dimension, metric);
    lock.lockRead();
    try {
      return nearest(q, k, Float.POSITIVE_INFINITY, params.filter(), oversample);
    } finally {
      lock.unlockRead();
    }
  }

  /**
   * Exact over every stored vector: the floats, or with {@code sq8} and {@code keepVectors=false} the
   * decoded vectors (whose distances the searches return). Only the filter of {@code params} is read.
   */
  @Override
  public List<SearchResult> searchExact(float[] query, int k, SearchParams params) {
    Objects.requireNonNull(params, "params");
    Vectors.checkK(k);
    float[] q = Vectors.prepareQuery(query, dimension, metric);
    lock.lockRead();
    try {
      if (vectors != null) {
        return floatScan.nearest(vectors, q, k, Float.POSITIVE_INFINITY, params.filter());
      }
      return decodedScan(q, k, params.filter());
    } finally {
      lock.unlockRead();
    }
  }

  /**
   * Every stored vector within {@code maxDistance}, nearest first, at most {@code limit}: exact with
   * {@code quantization=none}; with sq8 by the rules of {@link #search}, {@code limit} in place of
   * {@code k}.
   */
  @Override
  public List<SearchResult> searchRange(float[] query, float maxDistance, int limit, SearchParams params) {
    SearchSupport.checkRange(maxDistance, limit);
    KNOBS.check(params);
    double oversample = oversample(params, Math.min(limit, RANGE_CALIBRATION_K));
    float[] q = Vectors.prepareQuery(query, dimension, metric);
    lock.lockRead();
    try {
      return nearest(q, limit, maxDistance, params.filter(), oversample);
    } finally {
      lock.unlockRead();
    }
  }

  /**
   * The {@code oversample} a search of {@code k} uses: the knob, else chosen for a target recall, else
   * the default; only read with sq8 and kept vectors. Resolved before any lock is taken.
   */
  private double oversample(SearchParams params, int k) {
    double fallback = (Double) ScalarQuantizer.OVERSAMPLE.defaultValue();
    if (!reranking()) {
      return fallback;
    }
    for (int i = 0; i < params.knobCount(); i++) {
      if (ScalarQuantizer.OVERSAMPLE.matches(params.knobKey(i))) {
        return params.knobValue(i);
      }
    }
    if (params.targetRecall().isPresent()) {
      return calibrator.valueFor(k, params.targetRecall().getAsDouble());
    }
    return fallback;
  }

  /** The nearest {@code k} within {@code maxDistance}; the caller holds the read lock. */
  private List<SearchResult> nearest(float[] q, int k, float maxDistance, LongPredicate filter, double oversample) {
    if (!quantized()) {
      return floatScan.nearest(vectors, q, k, maxDistance, filter);
    }
    FlatScratch s = FlatScratch.acquire(scratch, dimension);
    try {
      return codes.search(vectors, q, k, maxDistance, filter, oversample, ids, s);
    } finally {
      s.release();
    }
  }

  /** Exact over the decoded vectors; the caller holds the read lock. */
  private List<SearchResult> decodedScan(float[] q, int k, LongPredicate filter) {
    FlatScratch s = FlatScratch.acquire(scratch, dimension);
    try {
      return codes.exact(q, k, filter, ids, s);
    } finally {
      s.release();
    }
  }

  /**
   * The {@code k} nearest of each query; row {@code i} equals {@code search(queries[i], k, params)}.
   * Exact ones are computed block against tile (see the class comment); with sq8 codes, each row is a
   * single search on one of the batch's threads.
   */
  @Override
  public BatchResults searchBatch(float[][] queries, int k, SearchParams params, int threads) {
    Vectors.checkK(k);
    SearchSupport.checkThreads(threads);
    KNOBS.check(params);
    float[] packed = new float[Math.multiplyExact(queries.length, dimension)];
    for (int i = 0; i < queries.length; i++) {
      System.arraycopy(Vectors.prepareQuery(queries[i], dimension, metric), 0, packed, i * dimension, dimension);
    }
    return batch(packed, queries.length, k, params, threads);
  }

  /** As {@link #searchBatch(float[][], int, SearchParams, int)}, over row-major queries. */
  @Override
  public BatchResults searchBatch(float[] queries, int count, int k, SearchParams params, int threads) {
    SearchSupport.checkRowMajor(queries, count, dimension);
    Vectors.checkK(k);
    SearchSupport.checkThreads(threads);
    KNOBS.check(params);
    float[] packed = new float[queries.length];
    for (int i = 0; i < count; i++) {
      float[] row = Vectors.prepareQuery(SearchSupport.row(queries, dimension, i), dimension, metric);
      System.arraycopy(row, 0, packed, i * dimension, dimension);
    }
    return batch(packed, count, k, params, threads);
  }

  /** Queries a worker takes at a time when a batch scans codes. */
  private static final int QUANTIZED_BLOCK = 8;

  /**
   * Checked, stored-form queries, row-major, under one read lock: exact ones through
   * {@link FlatBlockScan#batch}, quantized ones as single searches on the batch's threads.
   */
  private BatchResults batch(float[] packed, int count, int k, SearchParams params, int threads) {
    SearchSupport.BatchFill fill = new SearchSupport.BatchFill(count, k);
    if (count == 0) {
      return fill.results();
    }
    LongPredicate filter = params.filter();
    double oversample = oversample(params, k);
    lock.lockRead();
    try {
      if (quantized()) {
        Parallel.forEachBlock(count, threads, QUANTIZED_BLOCK, (worker, from, to) -> {
          float[] q = new float[dimension];
          for (int i = from; i < to; i++) {
            System.arraycopy(packed, i * dimension, q, 0, dimension);
            fill.set(i, nearest(q, k, Float.POSITIVE_INFINITY, filter, oversample));
          }
        });
      } else {
        floatScan.batch(vectors, packed, count, k, filter, threads, fill);
      }
    } finally {
      lock.unlockRead();
    }
    return fill.results();
  }

  /**
   * Exact results for many queries, computed on {@code threads} threads: a {@link #searchBatch}.
   * @param queries the queries, each of the index's dimension
   * @param k results per query, at least 1
   * @param threads threads to use, at least 1
   * @return one result list per query, in query order
   */
  public List<List<SearchResult>> searchAll(float[][] queries, int k, int threads) {
    BatchResults batch = searchBatch(queries, k, SearchParams.DEFAULT, threads);
    return IntStream.range(0, queries.length).mapToObj(batch::row).collect(Collectors.toList());
  }

  /**
   * A copy of the stored vector: the float vector, or with {@code sq8} and {@code keepVectors=false}
   * (once the codes exist) the decoded one, scaled to unit length under COSINE.
   */
  @Override
  public Optional<float[]> vector(long id) {
    lock.lockRead();
    try {
      int ord = ids.get(id);
      if (ord < 0) {
        return Optional.empty();
      }
      if (vectors != null) {
        return Optional.of(vectors.get(ord));
      }
      float[] out = new float[dimension];
      codes.decode(ord, out, 0);
      return Optional.of(out);
    } finally {
      lock.unlockRead();
    }
  }

  @Override
  public LongStream ids() {
    lock.lockRead();
    try {
      return LongStream.of(ids.idsOf(count()));
    } finally {
      lock.unlockRead();
    }
  }

  /**
   * Recall@k against {@code oversample}, measured on the index's own vectors. With sq8 and kept vectors
   * the ladder climbs from 1 to 100; otherwise the knob is not read and the table has one point,
   * {@code oversample=1}, measured (recall 1 when the search is exact, as it is with
   * {@code quantization=none} and before the ranges are learned).
   */
  @Override
  public Calibration calibration(int k) {
    Vectors.checkK(k);
    return calibrator.calibration(k);
  }

  /** Floats if held, codes and ranges if learned, and ids. */
  @Override
  public long ramBytesUsed() {
    lock.lockRead();
    try {
      return 96 + (vectors == null ? 0 : vectors.ramBytesUsed()) + (codes == null ? 0 : codes.ramBytesUsed())
          + ids.ramBytesUsed();
    } finally {
      lock.unlockRead();
    }
  }

  /** {@code quantization} and {@code keepVectors}. */
  @Override
  public Map<String, Object> parameters() {
    return params.asMap();
  }

  @Override
  public IndexSnapshot snapshot() {
    return withSnapshot(IndexSnapshot::materialize);
  }

  /** Reads the vectors, codes and ids in place; writers wait, searches go on. */
  @Override
  public <R, X extends Exception> R withSnapshot(SnapshotAction<R, X> action) throws X {
    Objects.requireNonNull(action, "action");
    boolean gated = lock.lockWriters();
    try {
      return action.apply(FlatSnapshots.describe(this, count()));
    } finally {
      if (gated) {
        lock.unlockWriters();
      }
    }
  }

  @Override
  public String toString() {
    return "FlatIndex{dim=" + dimension + ", " + metric + ", " + params.getString(ScalarQuantizer.QUANTIZATION.name())
        + ", size=" + size() + "}";
  }

  IndexParams params() {
    return params;
  }

  /** The float vectors, or null once dropped; the caller keeps writers out. */
  VectorStore floats() {
    return vectors;
  }

  /** The sq8 storage, or null with quantization=none; the caller keeps writers out. */
  FlatCodes codes() {
    return codes;
  }

  IdMap idMap() {
    return ids;
  }
}
