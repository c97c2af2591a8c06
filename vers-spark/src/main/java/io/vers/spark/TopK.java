package io.vers.spark;

import java.util.Arrays;

/**
 * The global top {@code k} of one query, merged from the partial answers of the partitions it visited:
 * nearest first, ties by id, each id once (an item stored in two cells comes back from both).
 * Not thread-safe.
 */
final class TopK {
  private final int k;
  private final long[] ids;
  private final float[] distances;
  private int size;

  TopK(int k) {
    this.k = k;
    this.ids = new long[k];
    this.distances = new float[k];
  }

  /** Offers every result of a partial answer. */
  void offerAll(long[] partialIds, float[] partialDistances, int count) {
    for (int i = 0; i < count; i++) {
      offer(partialIds[i], partialDistances[i]);
    }
  }

  /** Offers one result; an id already held is ignored. */
  void offer(long id, float distance) {
    if (size == k && !before(distance, id, distances[k - 1], ids[k - 1])) {
      return;
    }
    for (int i = 0; i < size; i++) {
      if (ids[i] == id) {
        return;
      }
    }
    int i = size < k ? size++ : k - 1;
    while (i > 0 && before(distance, id, distances[i - 1], ids[i - 1])) {
      ids[i] = ids[i - 1];
      distances[i] = distances[i - 1];
      i--;
    }
    ids[i] = id;
    distances[i] = distance;
  }

  private static boolean before(float d, long id, float otherD, long otherId) {
    return d < otherD || (d == otherD && id < otherId);
  }

  int size() {
    return size;
  }

  long id(int i) {
    return ids[i];
  }

  float distance(int i) {
    return distances[i];
  }

  long[] ids() {
    return Arrays.copyOf(ids, size);
  }

  float[] distances() {
    return Arrays.copyOf(distances, size);
  }
}
