package io.vers.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The answers to a batch of queries from {@link Index#searchBatch}: {@code count()} rows of {@code k()}
 * results each, held in two row-major arrays. Row {@code i} is what {@link Index#search} returns for
 * query {@code i}, nearest first; a row with fewer than {@code k} results is padded with id {@code -1}
 * and distance {@link Float#POSITIVE_INFINITY}. Immutable.
 *
 * <pre>{@code
 * BatchResults hits = index.searchBatch(queries, 10, SearchParams.DEFAULT, 4);
 * long nearestOfQuery3 = hits.id(3, 0);
 * List<SearchResult> row3 = hits.row(3);
 * }</pre>
 */
public final class BatchResults {
  /** The id in a padding slot. */
  public static final long NO_ID = -1;

  private final int count;
  private final int k;
  private final long[] ids;
  private final float[] distances;
  private final int[] sizes;

  private BatchResults(int count, int k, long[] ids, float[] distances, int[] sizes) {
    this.count = count;
    this.k = k;
    this.ids = ids;
    this.distances = distances;
    this.sizes = sizes;
  }

  /**
   * Wraps filled result arrays, taking ownership of them (for index implementations).
   *
   * @param count the number of queries, at least 0
   * @param k the result slots per query, at least 1
   * @param ids {@code count * k} ids, row-major
   * @param distances {@code count * k} distances, row-major
   * @param sizes the number of real results in each row; the slots after them must hold the padding
   * @return results backed by the given arrays
   * @throws IllegalArgumentException if the array lengths do not match {@code count} and {@code k}
   */
  public static BatchResults wrap(int count, int k, long[] ids, float[] distances, int[] sizes) {
    if (count < 0 || k < 1 || ids.length != (long) count * k || distances.length != ids.length
        || sizes.length != count) {
      throw new IllegalArgumentException("batch of " + count + " x " + k + " results given " + ids.length + " ids, "
          + distances.length + " distances and " + sizes.length + " row sizes");
    }
    return new BatchResults(count, k, ids, distances, sizes);
  }

  /** {@return the number of queries} */
  public int count() {
    return count;
  }

  /** {@return the number of result slots per query} */
  public int k() {
    return k;
  }

  /** {@return A copy of the ids, {@code count() * k()} of them, row-major, padded with {@value #NO_ID}} */
  public long[] ids() {
    return ids.clone();
  }

  /** {@return A copy of the distances, {@code count() * k()} of them, row-major, padded with {@code +Infinity}} */
  public float[] distances() {
    return distances.clone();
  }

  /**
   * The number of real results of query {@code row}: {@code k()} unless fewer were found.
   *
   * @param row the query's index, in {@code [0, count())}
   * @return the number of real results of that query, in {@code [0, k()]}
   * @throws IndexOutOfBoundsException if {@code row} is out of range
   */
  public int size(int row) {
    return sizes[Objects.checkIndex(row, count)];
  }

  /**
   * The id of the {@code rank}-th result of query {@code row}, or {@value #NO_ID} in a padding slot.
   *
   * @param row the query's index, in {@code [0, count())}
   * @param rank the result's position, in {@code [0, k())}, 0 for the nearest
   * @return the id, or {@value #NO_ID}
   * @throws IndexOutOfBoundsException if {@code row} or {@code rank} is out of range
   */
  public long id(int row, int rank) {
    return ids[slot(row, rank)];
  }

  /**
   * The distance of the {@code rank}-th result of query {@code row}, or {@code +Infinity} in a padding slot.
   *
   * @param row the query's index, in {@code [0, count())}
   * @param rank the result's position, in {@code [0, k())}, 0 for the nearest
   * @return the distance, in the units of the index's metric, or {@code +Infinity}
   * @throws IndexOutOfBoundsException if {@code row} or {@code rank} is out of range
   */
  public float distance(int row, int rank) {
    return distances[slot(row, rank)];
  }

  /**
   * The results of query {@code row}, nearest first, without padding.
   *
   * @param row the query's index, in {@code [0, count())}
   * @return {@link #size(int) size(row)} results, nearest first
   * @throws IndexOutOfBoundsException if {@code row} is out of range
   */
  public List<SearchResult> row(int row) {
    int n = size(row);
    List<SearchResult> out = new ArrayList<>(n);
    for (int j = 0, base = row * k; j < n; j++) {
      out.add(new SearchResult(ids[base + j], distances[base + j]));
    }
    return Collections.unmodifiableList(out);
  }

  private int slot(int row, int rank) {
    Objects.checkIndex(row, count);
    return row * k + Objects.checkIndex(rank, k);
  }

  @Override
  public String toString() {
    return "BatchResults{" + count + " queries x " + k + "}";
  }
}
