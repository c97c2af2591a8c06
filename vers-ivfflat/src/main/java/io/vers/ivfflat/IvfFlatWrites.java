package io.vers.ivfflat;

import io.vers.api.AddOptions;
import io.vers.api.IndexParams;
import io.vers.api.Metric;
import io.vers.spi.IdMap;
import io.vers.spi.IndexLock;
import io.vers.spi.Parallel;
import io.vers.spi.Progress;
import io.vers.spi.RecallCalibrator;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The writes of an {@link IvfFlatIndex} and its training: each vector's list is found without the
 * write lock where possible, then stored under it; training (by {@link #train}, or by the write that
 * brings an untrained index to its training size) runs k-means on a copy while searches and writes go
 * on, then rebuilds the lists under the write lock. Every write is counted towards the index's recall
 * calibration going stale; training drops it. Each write that stores vectors then applies the
 * {@code sq8} policy ({@link Quantization}) under the same write lock.
 */
final class IvfFlatWrites {
  private final int dimension;
  private final Metric metric;
  private final IndexParams params;
  private final int configuredNlist;
  private final IndexLock lock;
  private final ListStore store;
  private final RecallCalibrator calibrator;
  private final Quantization quantization;
  private final ReentrantLock trainLock = new ReentrantLock();
  /** Counts writes, so that training can tell whether the contents changed while it ran. Guarded by lock. */
  private long modCount;

  IvfFlatWrites(int dimension, Metric metric, IndexParams params, IndexLock lock, ListStore store,
      RecallCalibrator calibrator) {
    this.dimension = dimension;
    this.metric = metric;
    this.params = params;
    this.configuredNlist = params.optionalInt("nlist").orElse(0);
    this.lock = lock;
    this.store = store;
    this.calibrator = calibrator;
    this.quantization = new Quantization(params);
  }

  /**
   * Trains on and stores a checked batch, into an empty index: k-means on the batch, then every vector
   * in its nearest centroid's list. Ordinals follow the batch as {@code addAll} would give them: a
   * repeated id keeps its first ordinal and its last vector.
   */
  void load(long[] ids, float[][] vectors, int threads) {
    IdMap map = store.ids();
    int[] rowOfOrd = new int[ids.length];
    int n = 0;
    for (int i = 0; i < ids.length; i++) {
      int ord = map.get(ids[i]);
      if (ord < 0) {
        ord = n++;
        map.put(ids[i], ord);
      }
      rowOfOrd[ord] = i;
    }
    if (n > 0) {
      Rows rows = Rows.subset(Rows.jagged(storedForms(vectors), dimension), Arrays.copyOf(rowOfOrd, n));
      int nlist = nlistFor(n);
      KMeans.Result trained = kmeans(nlist, threads).train(rows);
      lock.lockWrite();
      try {
        install(new Centroids(trained.centroids(), nlist, dimension), rows, trained.labels());
        quantization.afterWrite(store, null, 0);
      } finally {
        lock.unlockWrite();
      }
    }
  }

  /** Stores one checked vector under {@code id}, replacing any vector stored under it. */
  void add(long id, float[] vector) {
    float[] stored = metric.storedForm(vector);
    Centroids seen = store.centroids();
    int list = seen == null ? 0 : seen.nearest(stored, 0);
    lock.lockWrite();
    try {
      Centroids current = store.centroids();
      if (current != seen) {
        list = current == null ? 0 : current.nearest(stored, 0);
      }
      store.put(id, stored, 0, list);
      quantization.afterWrite(store, new float[][] {stored}, 1);
      modCount++;
    } finally {
      lock.unlockWrite();
    }
    calibrator.recordWrites(1);
    maybeTrain(1);
  }

  /**
   * Stores a checked batch: the lists of all vectors are computed on {@code options.threads()} threads
   * without holding the write lock, then the batch is stored under it. The last of a repeated id wins.
   */
  void addAll(long[] ids, float[][] vectors, AddOptions options) {
    float[][] stored = storedForms(vectors);
    Rows rows = Rows.jagged(stored, dimension);
    Progress progress = new Progress(options.progress(), ids.length);
    Centroids seen = store.centroids();
    int[] labels = seen == null ? null : assign(seen, rows, options.threads(), progress);
    lock.lockWrite();
    try {
      Centroids current = store.centroids();
      if (current != seen) {
        labels = current == null ? null : assign(current, rows, options.threads(), null);
      }
      for (int i = 0; i < ids.length; i++) {
        store.put(ids[i], stored[i], 0, labels == null ? 0 : labels[i]);
      }
      quantization.afterWrite(store, stored, stored.length);
      modCount++;
    } finally {
      lock.unlockWrite();
    }
    calibrator.recordWrites(ids.length);
    progress.finish();
    maybeTrain(options.threads());
  }

  /** Removes {@code id}; returns whether it was present. */
  boolean remove(long id) {
    lock.lockWrite();
    try {
      if (!store.remove(id)) {
        return false;
      }
      modCount++;
    } finally {
      lock.unlockWrite();
    }
    calibrator.recordWrites(1);
    return true;
  }

  /** Trains (or re-trains) on the vectors stored now; see {@link IvfFlatIndex#train(int)}. */
  void train(int threads) {
    trainLock.lock();
    try {
      retrain(threads);
    } finally {
      trainLock.unlock();
    }
  }

  /** The number of lists to train for {@code n} vectors. */
  int nlistFor(int n) {
    if (configuredNlist > 0) {
      return Math.max(1, Math.min(configuredNlist, n));
    }
    return automaticNlist(n);
  }

  /** {@code floor(4 * sqrt(n))}, between 1 and {@code n}. */
  static int automaticNlist(int n) {
    return Math.max(1, Math.min(n, Math.min(IvfFlatIndex.MAX_LISTS, (int) (4 * Math.sqrt(n)))));
  }

  private boolean readyToTrain(int n) {
    return n > 0 && n >= (long) IvfFlatIndex.MIN_POINTS_PER_LIST * nlistFor(n);
  }

  private int size() {
    lock.lockRead();
    try {
      return store.size();
    } finally {
      lock.unlockRead();
    }
  }

  private KMeans kmeans(int nlist, int threads) {
    return KMeans.builder(nlist)
        .maxIterations(params.getInt("maxIterations"))
        .attempts(params.getInt("attempts"))
        .seed(params.getLong("seed"))
        .threads(threads)
        .spherical(metric == Metric.COSINE)
        .build();
  }

  /** Trains if an untrained index has reached its training size and nobody else is training. */
  private void maybeTrain(int threads) {
    if (store.centroids() != null || !readyToTrain(size()) || !trainLock.tryLock()) {
      return;
    }
    try {
      if (store.centroids() == null && readyToTrain(size())) {
        retrain(threads);
      }
    } finally {
      trainLock.unlock();
    }
  }

  /** k-means on a copy of the contents, then the lists rebuilt under the write lock. Holds trainLock. */
  private void retrain(int threads) {
    Rows copy;
    long stamp;
    lock.lockRead();
    try {
      copy = store.contents(true);
      stamp = modCount;
    } finally {
      lock.unlockRead();
    }
    int n = copy.size();
    if (n == 0) {
      return;
    }
    int nlist = nlistFor(n);
    KMeans.Result trained = kmeans(nlist, threads).train(copy);
    Centroids fresh = new Centroids(trained.centroids(), nlist, dimension);
    lock.lockWrite();
    try {
      if (modCount == stamp) {
        install(fresh, copy, trained.labels());
      } else {
        Rows now = store.contents(false);
        install(fresh, now, assign(fresh, now, threads, null));
      }
    } finally {
      lock.unlockWrite();
    }
  }

  /** Rebuilds the lists around {@code fresh} from {@code rows} by {@code labels}. Holds the write lock. */
  private void install(Centroids fresh, Rows rows, int[] labels) {
    store.rebuild(fresh, rows, labels);
    modCount++;
    calibrator.invalidate();
  }

  private static int[] assign(Centroids centroids, Rows rows, int threads, Progress progress) {
    try (Parallel.Pool workers = Parallel.pool(threads)) {
      return centroids.panels().assign(rows, workers, progress == null ? null : progress::advance);
    }
  }

  private float[][] storedForms(float[][] vectors) {
    if (!metric.normalizes()) {
      return vectors;
    }
    float[][] out = new float[vectors.length][];
    for (int i = 0; i < vectors.length; i++) {
      out[i] = metric.storedForm(vectors[i]);
    }
    return out;
  }
}
