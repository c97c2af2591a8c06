package io.vers.hnsw;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

/** How {@link HnswIndex#addAll} skips repeated ids in a batch. */
final class BatchInsert {
  private BatchInsert() {}

  /** Positions of the batch to insert: every position, or for repeated ids only the last one. */
  static int[] lastOccurrences(long[] ids) {
    long[] sorted = ids.clone();
    Arrays.sort(sorted);
    boolean repeats = false;
    for (int i = 1; i < sorted.length && !repeats; i++) {
      repeats = sorted[i] == sorted[i - 1];
    }
    if (!repeats) {
      int[] all = new int[ids.length];
      Arrays.setAll(all, i -> i);
      return all;
    }
    Map<Long, Integer> last = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      last.put(ids[i], i);
    }
    return IntStream.range(0, ids.length).filter(i -> last.get(ids[i]) == i).toArray();
  }
}
