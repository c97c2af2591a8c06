package io.vers.flat;

import io.vers.api.Metric;
import io.vers.api.SearchResult;
import io.vers.spi.IdMap;
import io.vers.spi.NeighborQueue;
import io.vers.spi.simd.Kernels;
import io.vers.spi.simd.VectorKernel;
import io.vers.spi.storage.CodeStore;
import io.vers.spi.storage.ScalarQuantizer;
import io.vers.spi.storage.VectorStore;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * The {@code sq8} storage of a {@link FlatIndex}: the learned {@link ScalarQuantizer}, the codes of every
 * vector by ordinal (the same ordinals as the index's ids and float vectors), and the count of vectors
 * added far outside the ranges since they were learned. Empty (no quantizer, no codes) until the index
 * first holds {@link ScalarQuantizer#TRAIN_AT} vectors.
 *
 * <p>Not thread-safe: the index calls the writing methods under its write lock and the reading ones
 * under its read lock.
 */
final class FlatCodes {
  /** The seed of every training's sample. */
  static final long SEED = 0x5EED_F1A7L;

  private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VectorKernel KERNEL = Kernels.get().vector();

  private final int dimension;
  private final Metric metric;
  private ScalarQuantizer quantizer;
  private CodeStore codes;
  private int farOutside;
  private int trainings;

  FlatCodes(int dimension, Metric metric) {
    this.dimension = dimension;
    this.metric = metric;
  }

  /** A trained storage, as restored from a snapshot. */
  FlatCodes(int dimension, Metric metric, ScalarQuantizer quantizer, CodeStore codes, int farOutside) {
    this(dimension, metric);
    this.quantizer = quantizer;
    this.codes = codes;
    this.farOutside = farOutside;
  }

  boolean trained() {
    return quantizer != null;
  }

  ScalarQuantizer quantizer() {
    return quantizer;
  }

  CodeStore codes() {
    return codes;
  }

  /** Vectors added (or replaced) far outside the ranges since they were last learned. */
  int farOutside() {
    return farOutside;
  }

  /** How many times ranges were learned by this object (not counting a restored quantizer). */
  int trainings() {
    return trainings;
  }

  int size() {
    return codes == null ? 0 : codes.size();
  }

  /**
   * Learns the ranges from the {@code n} vectors held, read from {@code floats} when not null, else
   * from the current codes, and (re-)encodes every one of them; resets the far-outside count.
   */
  void train(VectorStore floats, int n) {
    int sample = Math.min(n, ScalarQuantizer.MAX_SAMPLE);
    float[] data = new float[Math.multiplyExact(sample, dimension)];
    for (int i = 0; i < sample; i++) {
      int ord = (int) ((long) i * n / sample);
      if (floats != null) {
        floats.copyTo(ord, data, i * dimension);
      } else {
        codes.decode(quantizer, ord, data, i * dimension);
      }
    }
    ScalarQuantizer learned = ScalarQuantizer.train(data, sample, dimension, SEED);
    if (floats != null) {
      CodeStore fresh = codes == null ? new CodeStore(dimension) : codes;
      fresh.ensureCapacity(n);
      float[] one = new float[dimension];
      for (int ord = 0; ord < n; ord++) {
        floats.copyTo(ord, one, 0);
        if (ord < fresh.size()) {
          fresh.set(ord, learned, one, 0);
        } else {
          fresh.append(learned, one, 0);
        }
      }
      codes = fresh;
    } else {
      float[] one = new float[dimension];
      for (int ord = 0; ord < n; ord++) {
        codes.decode(quantizer, ord, one, 0);
        codes.set(ord, learned, one, 0);
      }
    }
    quantizer = learned;
    farOutside = 0;
    trainings++;
  }

  /**
   * Encodes {@code stored} (the index's stored form) at {@code ord}: a new ordinal when {@code ord}
   * equals the size, a replacement below it; counts it when it lies far outside the ranges.
   */
  void put(int ord, float[] stored) {
    if (quantizer.farOutside(stored, 0)) {
      farOutside++;
    }
    if (ord == codes.size()) {
      codes.append(quantizer, stored, 0);
    } else {
      codes.set(ord, quantizer, stored, 0);
    }
  }

  /** Whether the retraining policy asks to learn the ranges again at an index of {@code size} vectors. */
  boolean shouldRetrain(int size) {
    return ScalarQuantizer.shouldRetrain(farOutside, size);
  }

  /** Copies record {@code from} (codes and norm) over record {@code to}. */
  void move(int from, int to) {
    System.arraycopy(codes.page(from), codes.offset(from), codes.page(to), codes.offset(to), dimension + 4);
  }

  void truncate(int n) {
    codes.truncate(n);
  }

  /** The vector record {@code ord} stands for, in stored form (unit length under COSINE). */
  void decode(int ord, float[] out, int to) {
    codes.decode(quantizer, ord, out, to);
    if (metric == Metric.COSINE) {
      double norm = 0;
      for (int d = 0; d < dimension; d++) {
        norm += (double) out[to + d] * out[to + d];
      }
      if (norm > 0) {
        float inverse = (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < dimension; d++) {
          out[to + d] *= inverse;
        }
      }
    }
  }

  /**
   * The {@code k} nearest within {@code maxDistance} that {@code filter} accepts, among the first
   * {@code codes.size()} ordinals. With {@code floats} (kept vectors): the {@code ceil(oversample x k)}
   * nearest by code distance (at least {@code k}), re-ranked by exact distance, the radius applied to
   * those; without: by code distance.
   */
  List<SearchResult> search(VectorStore floats, float[] q, int k, float maxDistance, LongPredicate filter,
      double oversample, IdMap ids, FlatScratch s) {
    int n = codes.size();
    quantizer.prepare(q, 0, s.prepared, 0);
    NeighborQueue best = new NeighborQueue(FlatBlockScan.initialCapacity(k, n), true);
    if (floats == null) {
      scan(s.prepared, n, k, maxDistance, filter, ids, best);
      return best.drainToResults(ids::idOf);
    }
    int wanted = (int) Math.min(n, Math.max(k, Math.ceil(oversample * k)));
    NeighborQueue candidates = s.candidates;
    candidates.clear();
    scan(s.prepared, n, wanted, Float.POSITIVE_INFINITY, filter, ids, candidates);
    for (int i = 0; i < candidates.size(); i++) {
      int ord = NeighborQueue.decodeOrdinal(candidates.entryAt(i));
      float d = floats.distance(metric, q, ord);
      if (d <= maxDistance) {
        best.insertWithOverflow(ord, d, k);
      }
    }
    candidates.clear();
    return best.drainToResults(ids::idOf);
  }

  /** The exact {@code k} nearest over the decoded vectors (as {@link #decode} gives them). */
  List<SearchResult> exact(float[] q, int k, LongPredicate filter, IdMap ids, FlatScratch s) {
    int n = codes.size();
    NeighborQueue best = new NeighborQueue(FlatBlockScan.initialCapacity(k, n), true);
    for (int ord = 0; ord < n; ord++) {
      if (filter == null || filter.test(ids.idOf(ord))) {
        decode(ord, s.decoded, 0);
        best.insertWithOverflow(ord, metric.distance(q, 0, s.decoded, 0, dimension), k);
      }
    }
    return best.drainToResults(ids::idOf);
  }

  /**
   * Offers every ordinal in {@code [0, n)} that {@code filter} accepts (all when null), at its code
   * distance, to {@code heap}, bounded at {@code capacity} entries and at {@code maxDistance}.
   */
  private void scan(float[] prepared, int n, int capacity, float maxDistance, LongPredicate filter, IdMap ids,
      NeighborQueue heap) {
    float bound = maxDistance;
    for (int start = 0; start < n; ) {
      byte[] page = codes.page(start);
      int base = codes.offset(start);
      int stride = dimension + 4;
      int end = (int) Math.min(n, (long) start + (page.length - base) / stride);
      for (int ord = start; ord < end; ord++) {
        if (filter != null && !filter.test(ids.idOf(ord))) {
          continue;
        }
        int at = base + (ord - start) * stride;
        float dot = KERNEL.dotCodes(prepared, 0, page, at, dimension);
        float d = distance(prepared, dot, (float) FLOAT.get(page, at + dimension));
        if (d <= bound) {
          heap.insertWithOverflow(ord, d, capacity);
          if (heap.size() >= capacity) {
            bound = Math.min(maxDistance, heap.topDistance());
          }
        }
      }
      start = end;
    }
  }

  /** The code distance, {@link ScalarQuantizer#distance}: the metric's distance to the decoded vector. */
  private float distance(float[] prepared, float dot, float norm) {
    return ScalarQuantizer.distance(metric, prepared, 0, dimension, dot, norm);
  }

  long ramBytesUsed() {
    return 40 + (quantizer == null ? 0 : quantizer.ramBytesUsed() + codes.ramBytesUsed());
  }
}
