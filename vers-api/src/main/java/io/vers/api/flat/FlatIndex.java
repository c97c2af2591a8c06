package io.vers.api.flat;

import io.vers.api.BatchResults;
import io.vers.api.Calibration;
import io.vers.api.CorruptIndexException;
import io.vers.api.Index;
import io.vers.api.IndexParams;
import io.vers.api.IndexSnapshot;
import io.vers.api.Metric;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.api.Vectors;
import io.vers.api.util.IdMap;
import io.vers.api.util.IndexLock;
import io.vers.api.util.NeighborQueue;
import io.vers.api.util.SearchKnobs;
import io.vers.api.util.SearchSupport;
import io.vers.api.util.VectorStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import java.util.function.LongPredicate;

/**
 * Exact search: every query is compared with every stored vector. The ground truth for the
 * approximate indexes, and a sound choice for collections up to some tens of thousands of vectors.
 *
 * <p>Vectors are kept dense in one {@link VectorStore}; {@link #remove} moves the last vector into the
 * freed slot. Writes take an exclusive lock, searches a shared one. {@link #searchAll} spreads a batch
 * of queries over several threads, for computing ground truth.
 */
public final class FlatIndex implements Index {
  /** Provider name. */
  public static final String NAME = "flat";

  static final int STATE_VERSION = 1;

  /** Reads no knobs: any knob set is refused, a target recall is always met. */
  private static final SearchKnobs KNOBS = new SearchKnobs(NAME, List.of());

  private final int dimension;
  private final Metric metric;
  private final VectorStore vectors;
  private final IdMap ids;
  private final IndexLock lock = new IndexLock();

  private FlatIndex(int dimension, Metric metric, VectorStore vectors, IdMap ids) {
    this.dimension = dimension;
    this.metric = metric;
    this.vectors = vectors;
    this.ids = ids;
  }

  /** An empty exact index. */
  public static FlatIndex create(int dimension, Metric metric) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be at least 1, got " + dimension);
    }
    return new FlatIndex(dimension, metric, new VectorStore(dimension), new IdMap());
  }

  /** Restores from a snapshot already checked for algorithm and version. */
  static FlatIndex restore(IndexSnapshot snapshot) throws CorruptIndexException {
    snapshot.checkAlgorithm(NAME, STATE_VERSION);
    int dim = snapshot.dimension();
    int n = snapshot.size();
    long[] idArray = snapshot.longs("ids");
    float[] data = snapshot.floats("vectors");
    if (idArray.length != n || (long) n * dim != data.length) {
      throw new CorruptIndexException("flat snapshot of " + n + " vectors of dimension " + dim
          + " has " + idArray.length + " ids and " + data.length + " floats");
    }
    for (int i = 0; i < n * dim; i++) {
      if (!Float.isFinite(data[i])) {
        throw new CorruptIndexException(
            "flat snapshot has " + data[i] + " in the vector of ordinal " + i / dim);
      }
    }
    IdMap map = new IdMap(n);
    for (int ord = 0; ord < n; ord++) {
      if (map.put(idArray[ord], ord) >= 0) {
        throw new CorruptIndexException("flat snapshot repeats id " + idArray[ord]);
      }
    }
    return new FlatIndex(dim, snapshot.metric(), VectorStore.fromArray(dim, data, n), map);
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
      return vectors.size();
    } finally {
      lock.unlockRead();
    }
  }

  @Override
  public void add(long id, float[] vector) {
    Vectors.check(vector, dimension, metric, "vector for id " + id);
    float[] stored = metric.storedForm(vector);
    lock.lockWrite();
    try {
      int ord = ids.get(id);
      if (ord >= 0) {
        vectors.set(ord, stored);
      } else {
        ids.put(id, vectors.append(stored));
      }
    } finally {
      lock.unlockWrite();
    }
  }

  @Override
  public boolean remove(long id) {
    lock.lockWrite();
    try {
      int ord = ids.remove(id);
      if (ord < 0) {
        return false;
      }
      int last = vectors.size() - 1;
      if (ord != last) {
        long movedId = ids.idOf(last);
        vectors.move(last, ord);
        ids.put(movedId, ord);
      }
      vectors.truncate(last);
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
    Vectors.checkK(k);
    KNOBS.check(params);
    float[] q = Vectors.prepareQuery(query, dimension, metric);
    lock.lockRead();
    try {
      return scan(q, k, Float.POSITIVE_INFINITY, params.filter());
    } finally {
      lock.unlockRead();
    }
  }

  /** The exact search is this index's only search. */
  @Override
  public List<SearchResult> searchExact(float[] query, int k, SearchParams params) {
    return search(query, k, params.filterOnly());
  }

  /** Exact: every stored vector within {@code maxDistance}, nearest first, at most {@code limit}. */
  @Override
  public List<SearchResult> searchRange(float[] query, float maxDistance, int limit, SearchParams params) {
    SearchSupport.checkRange(maxDistance, limit);
    KNOBS.check(params);
    float[] q = Vectors.prepareQuery(query, dimension, metric);
    lock.lockRead();
    try {
      return scan(q, limit, maxDistance, params.filter());
    } finally {
      lock.unlockRead();
    }
  }

  /** The nearest {@code k} within {@code maxDistance} that {@code filter} accepts. */
  private List<SearchResult> scan(float[] q, int k, float maxDistance, LongPredicate filter) {
    int n = vectors.size();
    NeighborQueue best = new NeighborQueue(Math.min(k, Math.max(Math.min(n, 1024), 1)), true);
    for (int ord = 0; ord < n; ord++) {
      if (filter != null && !filter.test(ids.idOf(ord))) {
        continue;
      }
      float d = vectors.distance(metric, q, ord);
      if (d <= maxDistance) {
        best.insertWithOverflow(ord, d, k);
      }
    }
    return best.drainToResults(ids::idOf);
  }

  /**
   * Exact results for many queries, computed on {@code threads} threads.
   *
   * @return one result list per query, in query order
   */
  public List<List<SearchResult>> searchAll(float[][] queries, int k, int threads) {
    BatchResults batch = searchBatch(queries, k, SearchParams.DEFAULT, threads);
    List<List<SearchResult>> out = new ArrayList<>(queries.length);
    for (int i = 0; i < queries.length; i++) {
      out.add(batch.row(i));
    }
    return out;
  }

  @Override
  public Optional<float[]> vector(long id) {
    lock.lockRead();
    try {
      int ord = ids.get(id);
      return ord < 0 ? Optional.empty() : Optional.of(vectors.get(ord));
    } finally {
      lock.unlockRead();
    }
  }

  @Override
  public LongStream ids() {
    lock.lockRead();
    try {
      return LongStream.of(ids.idsOf(vectors.size()));
    } finally {
      lock.unlockRead();
    }
  }

  /** Exact: recall 1 whatever the knob, so there is nothing to measure. */
  @Override
  public Calibration calibration(int k) {
    Vectors.checkK(k);
    return Calibration.exact(k, size());
  }

  @Override
  public long ramBytesUsed() {
    lock.lockRead();
    try {
      return 64 + vectors.ramBytesUsed() + ids.ramBytesUsed();
    } finally {
      lock.unlockRead();
    }
  }

  @Override
  public Map<String, Object> parameters() {
    return Map.of();
  }

  @Override
  public IndexSnapshot snapshot() {
    return withSnapshot(IndexSnapshot::materialize);
  }

  /** Reads the vectors and ids in place; writers wait, searches go on. */
  @Override
  public <R, X extends Exception> R withSnapshot(SnapshotAction<R, X> action) throws X {
    boolean gated = lock.lockWriters();
    try {
      int n = vectors.size();
      return action.apply(IndexSnapshot.builder(NAME, STATE_VERSION, dimension, metric, n)
          .array("ids", ids.view(n))
          .array("vectors", vectors.view(n))
          .build());
    } finally {
      if (gated) {
        lock.unlockWriters();
      }
    }
  }

  @Override
  public String toString() {
    return "FlatIndex{dim=" + dimension + ", " + metric + ", size=" + size() + "}";
  }

  /** Used by the provider, which takes no parameters. */
  static FlatIndex create(int dimension, Metric metric, IndexParams ignored) {
    return create(dimension, metric);
  }
}
