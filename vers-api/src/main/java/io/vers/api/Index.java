package io.vers.api;

import io.vers.spi.Progress;
import io.vers.spi.SearchSupport;
import io.vers.spi.Vectors;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.LongStream;

/**
 * A collection of vectors, each under a caller-chosen {@code long} id, searchable for the nearest
 * neighbours of a query under one {@link Metric}.
 *
 * <h2>Thread safety</h2>
 * Every implementation in vers is thread-safe: searches may run concurrently with each other and with
 * {@link #add}, {@link #addAll} and {@link #remove}. A search concurrent with a write sees the index
 * either before or after that write for each id, never a partly written vector.
 *
 * <h2>Input</h2>
 * Vectors must have exactly {@link #dimension()} finite components ({@link DimensionMismatchException},
 * {@link InvalidVectorException}); under {@link Metric#COSINE} they must not be all zeros. The index
 * keeps its own copy: the caller's arrays are never changed or retained.
 *
 * <h2>Bad arguments</h2>
 * One rule for every method: a {@code null} argument throws {@link NullPointerException}; any other bad
 * argument (a wrong length, a non-finite component, {@code k < 1}, an unknown knob) throws a subclass of
 * {@link IllegalArgumentException} whose message names the problem and the fix. A {@code null} element
 * of an array of vectors counts as a null argument.
 *
 * <h2>Searching</h2>
 * <ul>
 *   <li>{@link #search}: the {@code k} nearest of one query;
 *   <li>{@link #searchBatch}: many queries in one call, on several threads, answers in two flat arrays;
 *   <li>{@link #searchRange}: everything within a distance;
 *   <li>{@link #searchExact}: the exact answer by a full scan, whatever the algorithm, for checking
 *       recall;
 *   <li>{@link SearchParams.Builder#targetRecall}: let the index pick its knob for a recall, from its
 *       {@link #calibration}.
 * </ul>
 */
public interface Index {
  /** {@return the provider name of this index's algorithm, for example {@code "hnsw"}} */
  String algorithm();

  /** {@return the number of components of every vector} */
  int dimension();

  /** {@return the distance this index ranks by} */
  Metric metric();

  /** {@return the number of ids currently stored} */
  int size();

  /**
   * Stores {@code vector} under {@code id}. An id already present is replaced (upsert).
   *
   * @param id the caller's id for the vector; any {@code long}
   * @param vector the vector, {@link #dimension()} components; copied, not retained
   * @throws DimensionMismatchException if {@code vector.length != dimension()}
   * @throws InvalidVectorException if a component is NaN or infinite, or a COSINE vector is all zeros
   */
  void add(long id, float[] vector);

  /**
   * Stores many vectors, {@code vectors[i]} under {@code ids[i]}, with {@link AddOptions#defaults()}.
   *
   * @param ids one id per vector
   * @param vectors the vectors, each of {@link #dimension()} components; copied, not retained
   * @see #addAll(long[], float[][], AddOptions)
   */
  default void addAll(long[] ids, float[][] vectors) {
    addAll(ids, vectors, AddOptions.defaults());
  }

  /**
   * Stores many vectors, {@code vectors[i]} under {@code ids[i]}, possibly on several threads, reporting
   * progress in vectors. Every vector is checked before any is stored, so bad input leaves the index
   * unchanged. Duplicate ids within the batch: the last one wins.
   *
   * @param ids one id per vector, {@code ids.length == vectors.length}
   * @param vectors the vectors, each of {@link #dimension()} components; copied, not retained
   * @param options threads to use and where to report progress
   * @throws IllegalArgumentException if the arrays differ in length, or any vector is invalid
   */
  default void addAll(long[] ids, float[][] vectors, AddOptions options) {
    Objects.requireNonNull(options, "options");
    Vectors.checkBatch(ids, vectors, dimension(), metric());
    Progress progress = new Progress(options.progress(), ids.length);
    for (int i = 0; i < ids.length; i++) {
      add(ids[i], vectors[i]);
      progress.advance(1);
    }
    progress.finish();
  }

  /**
   * Removes {@code id}.
   *
   * @param id the id to remove; an absent id is not an error
   * @return whether it was present
   */
  boolean remove(long id);

  /**
   * {@return whether {@code id} is stored}
   *
   * @param id the id to look up
   */
  boolean contains(long id);

  /**
   * The (approximately, for approximate algorithms) {@code k} nearest stored vectors to {@code query},
   * nearest first, with default search parameters. Returns {@code min(k, size())} results; an empty
   * index returns an empty list.
   *
   * @param query the query vector, {@link #dimension()} components
   * @param k the number of neighbours wanted, at least 1
   * @return up to {@code k} results, nearest first
   * @throws IllegalArgumentException if {@code k < 1} or the query is invalid
   */
  default List<SearchResult> search(float[] query, int k) {
    return search(query, k, SearchParams.DEFAULT);
  }

  /**
   * As {@link #search(float[], int)}, with per-query knobs and an optional id filter. With a filter,
   * only accepted ids are returned, and {@code min(k, accepted ids stored)} results come back.
   *
   * @param query the query vector, {@link #dimension()} components
   * @param k the number of neighbours wanted, at least 1
   * @param params knobs by name, a target recall, and an id filter; {@link SearchParams#DEFAULT} for none
   * @return up to {@code k} results, nearest first
   * @throws IllegalArgumentException if {@code k < 1}, the query is invalid, or a knob is unknown or out of
   *     range
   */
  List<SearchResult> search(float[] query, int k, SearchParams params);

  /**
   * The {@code k} nearest stored vectors of each query, on up to {@code threads} threads. Row {@code i}
   * of the answer holds what {@code search(queries[i], k, params)} returns, padded to {@code k}; see
   * {@link BatchResults}. Algorithms do better than a loop where they can (IVF scans each list once for
   * all the queries of a block that probe it; the exact index compares blocks of queries with blocks of
   * vectors).
   *
   * <pre>{@code
   * BatchResults hits = index.searchBatch(queries, 10, SearchParams.DEFAULT, 4);
   * long[] ids = hits.ids();            // queries.length * 10, row-major, -1 where fewer were found
   * }</pre>
   *
   * @param queries the query vectors, each of {@link #dimension()} components
   * @param k the number of neighbours wanted per query, at least 1
   * @param params knobs, target recall and filter, the same for every query
   * @param threads the most threads to use, the calling thread included; 1 searches on the caller
   * @return {@code queries.length} rows of {@code k} ids and distances
   * @throws IllegalArgumentException if {@code k < 1}, {@code threads < 1}, or a query is invalid
   */
  default BatchResults searchBatch(float[][] queries, int k, SearchParams params, int threads) {
    Objects.requireNonNull(queries, "queries");
    Objects.requireNonNull(params, "params");
    return SearchSupport.batch(queries.length, k, threads, i -> queries[i], q -> search(q, k, params));
  }

  /**
   * As {@link #searchBatch(float[][], int, SearchParams, int)}, over {@code count} queries stored
   * row-major in one array: query {@code i} is {@code queries[i * dimension(), (i + 1) * dimension())}.
   *
   * @param queries {@code count} query vectors, row-major
   * @param count the number of queries, at least 0
   * @param k the number of neighbours wanted per query, at least 1
   * @param params knobs, target recall and filter, the same for every query
   * @param threads the most threads to use, the calling thread included
   * @return {@code count} rows of {@code k} ids and distances
   * @throws IllegalArgumentException if {@code queries.length != count * dimension()}
   */
  default BatchResults searchBatch(float[] queries, int count, int k, SearchParams params, int threads) {
    Objects.requireNonNull(params, "params");
    SearchSupport.checkRowMajor(queries, count, dimension());
    int d = dimension();
    return SearchSupport.batch(count, k, threads, i -> SearchSupport.row(queries, d, i), q -> search(q, k, params));
  }

  /**
   * As {@link #searchBatch(float[], int, int, SearchParams, int)}, reading {@code count * dimension()}
   * floats from the buffer's position (which is left unchanged), for example a direct buffer over memory
   * that another runtime owns.
   *
   * @param queries the buffer to read the queries from, row-major from its position
   * @param count the number of queries, at least 0
   * @param k the number of neighbours wanted per query, at least 1
   * @param params knobs, target recall and filter, the same for every query
   * @param threads the most threads to use, the calling thread included
   * @return {@code count} rows of {@code k} ids and distances
   * @throws IllegalArgumentException if fewer floats remain
   */
  default BatchResults searchBatch(FloatBuffer queries, int count, int k, SearchParams params, int threads) {
    Objects.requireNonNull(queries, "queries");
    long floats = (long) count * dimension();
    if (count < 0 || floats > queries.remaining()) {
      throw new IllegalArgumentException("the buffer has " + queries.remaining() + " floats left but " + count
          + " queries of dimension " + dimension() + " need " + floats);
    }
    float[] rows = new float[(int) floats];
    queries.duplicate().get(rows);
    return searchBatch(rows, count, k, params, threads);
  }

  /**
   * The stored vectors within {@code maxDistance} of {@code query} (distance {@code <= maxDistance}),
   * nearest first, at most {@code limit} of them. Exact for the exact index; the approximate indexes
   * extend their search while it still finds vectors in range, and their knob ({@code ef},
   * {@code nprobe}, {@code searchK}) raises recall. {@code params} may filter ids.
   *
   * @param query the query vector, {@link #dimension()} components
   * @param maxDistance the largest distance returned, in the units of {@link #metric()}
   * @param limit the most results; {@code Integer.MAX_VALUE} for all in range
   * @param params knobs and an id filter; {@link SearchParams#DEFAULT} for none
   * @return the results in range, nearest first, at most {@code limit}
   * @throws IllegalArgumentException if {@code maxDistance} is NaN, {@code limit < 1} or the query is
   *     invalid
   */
  List<SearchResult> searchRange(float[] query, float maxDistance, int limit, SearchParams params);

  /**
   * The exact {@code k} nearest stored vectors, by comparing the query with every stored vector, whatever
   * the algorithm: the ground truth to measure an approximate search's recall against. Only the filter
   * of {@code params} is read.
   *
   * @param query the query vector, {@link #dimension()} components
   * @param k the number of neighbours wanted, at least 1
   * @param params only its filter is read
   * @return up to {@code k} results, nearest first
   * @throws IllegalArgumentException if {@code k < 1} or the query is invalid
   */
  default List<SearchResult> searchExact(float[] query, int k, SearchParams params) {
    Objects.requireNonNull(params, "params");
    return SearchSupport.exactByScan(this, query, k, params.filter());
  }

  /**
   * A copy of the vector stored under {@code id}, or empty if the id is not stored. Under
   * {@link Metric#COSINE} this is the unit-length copy the index holds, not the vector as it was added.
   *
   * @param id the id to look up
   * @return a fresh copy of the stored vector, or empty
   */
  Optional<float[]> vector(long id);

  /**
   * The ids stored at the moment of the call, each once, in no particular order. Writes after the call
   * do not change the stream; each id a concurrent write adds or removes is either in it or not.
   *
   * @return a stream of the stored ids
   */
  LongStream ids();

  /**
   * How recall@k grows with this index's search knob, measured on its own vectors; the table that
   * {@link SearchParams.Builder#targetRecall} chooses from. Measured on first use for each {@code k}
   * (taking a moment: a few hundred exact scans and searches), kept, and measured again once the index
   * has changed by half. An exact index returns {@link Calibration#exact}.
   *
   * @param k the number of neighbours the recall is measured at, at least 1
   * @return the measured recall per knob value
   * @throws IllegalArgumentException if {@code k < 1}
   */
  Calibration calibration(int k);

  /**
   * Heap bytes this index holds: vectors, ids, links, lists, centroids and their spare capacity.
   * Per-thread search scratch is not included.
   *
   * @return the estimated heap footprint in bytes
   */
  long ramBytesUsed();

  /** {@return the build parameters in effect, by canonical name, for display and persistence} */
  Map<String, Object> parameters();

  /**
   * The whole state in neutral form, for persistence: see {@link IndexSnapshot}. Taken atomically with
   * respect to writes; concurrent searches continue. The snapshot's arrays are copies, so it needs
   * about as much memory again as the index; {@link #withSnapshot} does not.
   *
   * @return a self-contained copy of the index's state
   */
  IndexSnapshot snapshot();

  /**
   * Calls {@code action} with the whole state as a snapshot whose large arrays may be
   * {@linkplain SnapshotArray#isView() views} of the index's own storage rather than copies, so that
   * writing an index out needs no second copy of it. Writes wait until {@code action} returns;
   * searches continue, and {@code action} must not write to this index itself. The snapshot is valid
   * only during the call: to keep it, keep its {@link IndexSnapshot#materialize()}.
   *
   * <p>The default implementation passes {@link #snapshot()}.
   *
   * @param <R> what {@code action} returns
   * @param <X> what {@code action} may throw
   * @param action the work to do with the snapshot
   * @return what {@code action} returns
   * @throws X what {@code action} throws
   */
  default <R, X extends Exception> R withSnapshot(SnapshotAction<R, X> action) throws X {
    return action.apply(snapshot());
  }

  /**
   * Work done on a snapshot by {@link #withSnapshot}.
   *
   * @param <R> what the work returns
   * @param <X> what the work may throw
   */
  @FunctionalInterface
  interface SnapshotAction<R, X extends Exception> {
    /**
     * Does the work.
     *
     * @param snapshot the index's state, valid only until this method returns
     * @return any result for the caller of {@link Index#withSnapshot}
     * @throws X as the caller of {@link Index#withSnapshot} allows
     */
    R apply(IndexSnapshot snapshot) throws X;
  }

}
