package io.vers.api;

import java.util.List;
import java.util.Map;

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
 */
public interface Index {
  /** The provider name of this index's algorithm, for example {@code "hnsw"}. */
  String algorithm();

  /** The number of components of every vector. */
  int dimension();

  /** The distance this index ranks by. */
  Metric metric();

  /** The number of ids currently stored. */
  int size();

  /**
   * Stores {@code vector} under {@code id}. An id already present is replaced (upsert).
   *
   * @throws DimensionMismatchException if {@code vector.length != dimension()}
   * @throws InvalidVectorException if a component is NaN or infinite, or a COSINE vector is all zeros
   */
  void add(long id, float[] vector);

  /**
   * Stores many vectors, {@code vectors[i]} under {@code ids[i]}, with {@link AddOptions#defaults()}.
   *
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
   * @throws IllegalArgumentException if the arrays differ in length, or any vector is invalid
   */
  default void addAll(long[] ids, float[][] vectors, AddOptions options) {
    checkBatch(ids, vectors);
    for (int i = 0; i < ids.length; i++) {
      add(ids[i], vectors[i]);
      if ((i & 1023) == 1023 || i == ids.length - 1) {
        options.progress().progress(i + 1, ids.length);
      }
    }
  }

  /**
   * Removes {@code id}.
   *
   * @return whether it was present
   */
  boolean remove(long id);

  /** Whether {@code id} is stored. */
  boolean contains(long id);

  /**
   * The (approximately, for approximate algorithms) {@code k} nearest stored vectors to {@code query},
   * nearest first, with default search parameters. Returns {@code min(k, size())} results; an empty
   * index returns an empty list.
   *
   * @throws IllegalArgumentException if {@code k < 1} or the query is invalid
   */
  default List<SearchResult> search(float[] query, int k) {
    return search(query, k, SearchParams.DEFAULT);
  }

  /**
   * As {@link #search(float[], int)}, with per-query knobs and an optional id filter. With a filter,
   * only accepted ids are returned, and {@code min(k, accepted ids stored)} results come back.
   */
  List<SearchResult> search(float[] query, int k, SearchParams params);

  /**
   * Heap bytes this index holds: vectors, ids, links, lists, centroids and their spare capacity.
   * Per-thread search scratch is not included.
   */
  long ramBytesUsed();

  /** The build parameters in effect, by canonical name, for display and persistence. */
  Map<String, Object> parameters();

  /**
   * The whole state in neutral form, for persistence: see {@link IndexSnapshot}. Taken atomically with
   * respect to writes; concurrent searches continue. The snapshot's arrays are copies, so it needs
   * about as much memory again as the index; {@link #withSnapshot} does not.
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
   * @return what {@code action} returns
   * @throws X what {@code action} throws
   */
  default <R, X extends Exception> R withSnapshot(SnapshotAction<R, X> action) throws X {
    return action.apply(snapshot());
  }

  /** Work done on a snapshot by {@link #withSnapshot}. */
  @FunctionalInterface
  interface SnapshotAction<R, X extends Exception> {
    R apply(IndexSnapshot snapshot) throws X;
  }

  /**
   * Checks that the two arrays of a batch match and that every vector is valid for this index.
   *
   * @throws IllegalArgumentException describing the first problem, with its position in the batch
   */
  default void checkBatch(long[] ids, float[][] vectors) {
    if (ids.length != vectors.length) {
      throw new IllegalArgumentException(
          "ids has " + ids.length + " entries but vectors has " + vectors.length + "; pass one id per vector");
    }
    for (int i = 0; i < vectors.length; i++) {
      Vectors.check(vectors[i], dimension(), metric(), "vectors[" + i + "] (id " + ids[i] + ")");
    }
  }
}
