package io.vers.spi;

import io.vers.api.BatchResults;
import io.vers.api.Index;
import io.vers.api.SearchResult;
import io.vers.spi.storage.VectorStore;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.LongPredicate;
import java.util.stream.LongStream;

/**
 * The searches {@link Index} defines in terms of its other methods: a batch as one search per query on
 * several threads and an exact scan through {@link Index#ids()} and {@link Index#vector}, plus the
 * argument checks and result arrays that index implementations share. Index implementations use them
 * directly or replace them with something faster. No compatibility promise to applications.
 */
public final class SearchSupport {
  /** Queries per block a batch worker takes at a time. */
  private static final int BATCH_BLOCK = 8;

  private SearchSupport() {}

  /**
   * Runs {@code count} queries, {@code row.apply(i)} for query {@code i}, through {@code search} on up to
   * {@code threads} threads, and gathers the answers into one {@link BatchResults}.
   *
   * @throws IllegalArgumentException if {@code k < 1} or {@code threads < 1}
   */
  public static BatchResults batch(int count, int k, int threads, IntFunction<float[]> row,
      Function<float[], List<SearchResult>> search) {
    Vectors.checkK(k);
    checkThreads(threads);
    BatchFill fill = new BatchFill(count, k);
    Parallel.forEachBlock(count, threads, BATCH_BLOCK, (worker, from, to) -> {
      for (int i = from; i < to; i++) {
        fill.set(i, search.apply(row.apply(i)));
      }
    });
    return fill.results();
  }

  /** Checks a batch's thread count. */
  public static void checkThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads
          + "; pass 1 to search on the calling thread, or Runtime.getRuntime().availableProcessors()");
    }
  }

  /**
   * Checks that {@code queries} holds {@code count} rows of {@code dimension} floats.
   *
   * @throws IllegalArgumentException if {@code count} is negative or the length does not match
   */
  public static void checkRowMajor(float[] queries, int count, int dimension) {
    Objects.requireNonNull(queries, "queries");
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, got " + count);
    }
    if (queries.length != (long) count * dimension) {
      throw new IllegalArgumentException("queries has " + queries.length + " floats but " + count + " queries of "
          + "dimension " + dimension + " need " + (long) count * dimension + "; pass count * dimension floats, "
          + "query i at [i * dimension, (i + 1) * dimension)");
    }
  }

  /** Row {@code i} of a row-major array of queries, copied. */
  public static float[] row(float[] queries, int dimension, int i) {
    return Arrays.copyOfRange(queries, i * dimension, (i + 1) * dimension);
  }

  /**
   * The exact {@code k} nearest stored vectors by a scan of {@link Index#ids()} and
   * {@link Index#vector}: correct for any index, and slow (a copy per stored vector).
   */
  public static List<SearchResult> exactByScan(Index index, float[] query, int k, LongPredicate filter) {
    Vectors.checkK(k);
    float[] q = Vectors.prepareQuery(query, index.dimension(), index.metric());
    long[] ids = index.ids().toArray();
    NeighborQueue best = new NeighborQueue(Math.min(k, Math.max(1, ids.length)), true);
    for (int i = 0; i < ids.length; i++) {
      if (filter != null && !filter.test(ids[i])) {
        continue;
      }
      Optional<float[]> v = index.vector(ids[i]);
      if (v.isPresent()) {
        best.insertWithOverflow(i, index.metric().distance(q, v.get()), k);
      }
    }
    return best.drainToResults(i -> ids[i]);
  }

  /** The leading results no farther than {@code maxDistance}. */
  public static List<SearchResult> withinRange(List<SearchResult> nearestFirst, float maxDistance) {
    int n = 0;
    while (n < nearestFirst.size() && nearestFirst.get(n).distance() <= maxDistance) {
      n++;
    }
    return nearestFirst.subList(0, n);
  }

  /**
   * Checks a range search's arguments.
   *
   * @throws IllegalArgumentException if {@code maxDistance} is NaN or {@code limit < 1}
   */
  public static void checkRange(float maxDistance, int limit) {
    if (Float.isNaN(maxDistance)) {
      throw new IllegalArgumentException("maxDistance is NaN; pass a distance, or +Infinity for no bound");
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit
          + "; pass Integer.MAX_VALUE for every vector in range");
    }
  }

  /**
   * A copy of the vector stored under {@code id} in an index that keeps its vectors densely by ordinal
   * ({@code ids} maps an id to its ordinal in {@code vectors}), read under {@code lock}'s read side.
   */
  public static Optional<float[]> vectorOf(IndexLock lock, IdMap ids, VectorStore vectors, long id) {
    lock.lockRead();
    try {
      int ord = ids.get(id);
      return ord < 0 ? Optional.empty() : Optional.of(vectors.get(ord));
    } finally {
      lock.unlockRead();
    }
  }

  /** The ids of ordinals {@code 0 .. vectors.size() - 1}, read under {@code lock}'s read side. */
  public static LongStream idsOf(IndexLock lock, IdMap ids, VectorStore vectors) {
    lock.lockRead();
    try {
      return LongStream.of(ids.idsOf(vectors.size()));
    } finally {
      lock.unlockRead();
    }
  }

  /** Result arrays of a batch, filled row by row from any thread, each row once. */
  public static final class BatchFill {
    private final int count;
    private final int k;
    private final long[] ids;
    private final float[] distances;
    private final int[] sizes;

    /** Arrays for {@code count} rows of {@code k}, all padding. */
    public BatchFill(int count, int k) {
      this.count = count;
      this.k = k;
      this.ids = new long[Math.multiplyExact(count, k)];
      this.distances = new float[ids.length];
      this.sizes = new int[count];
      Arrays.fill(ids, BatchResults.NO_ID);
      Arrays.fill(distances, Float.POSITIVE_INFINITY);
    }

    /** Sets row {@code row} to the first {@code k} of {@code results}. */
    public void set(int row, List<SearchResult> results) {
      int n = Math.min(k, results.size());
      int base = row * k;
      for (int j = 0; j < n; j++) {
        SearchResult r = results.get(j);
        ids[base + j] = r.id();
        distances[base + j] = r.distance();
      }
      sizes[row] = n;
    }

    /** Sets result {@code rank} of row {@code row}; rows must be filled from rank 0 up. */
    public void set(int row, int rank, long id, float distance) {
      ids[row * k + rank] = id;
      distances[row * k + rank] = distance;
      sizes[row] = Math.max(sizes[row], rank + 1);
    }

    /** The filled batch. The arrays are handed over: fill nothing after this. */
    public BatchResults results() {
      return BatchResults.wrap(count, k, ids, distances, sizes);
    }
  }
}
