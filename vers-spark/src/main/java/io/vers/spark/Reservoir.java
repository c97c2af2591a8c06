package io.vers.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A uniform sample without replacement of at most {@code capacity} items, and the number of items seen,
 * built in one pass over the partitions and merged in a tree ({@code treeAggregate}). Each item gets a
 * pseudo-random key from its id and the seed; the sample is the items with the smallest keys (bottom-k
 * sampling), so it does not depend on how the items are partitioned or ordered, and the union of
 * partial samples merges exactly. Not thread-safe.
 */
final class Reservoir implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int capacity;
  private final long seed;
  private long count;
  private int size;
  /** A max-heap on keys: the largest kept key at 0, the first to go. */
  private long[] keys;
  private float[][] vectors;

  Reservoir(int capacity, long seed) {
    if (capacity < 1) {
      throw new IllegalArgumentException("sample capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
    this.seed = seed;
    this.keys = new long[Math.min(capacity, 16)];
    this.vectors = new float[keys.length][];
  }

  /** Counts an item and keeps it if its key is among the smallest. Returns this. */
  Reservoir add(long id, float[] vector) {
    count++;
    offer(key(id, seed), vector);
    return this;
  }

  /** Adds another partial sample of the same capacity and seed. Returns this. */
  Reservoir merge(Reservoir other) {
    if (other.capacity != capacity || other.seed != seed) {
      throw new IllegalArgumentException("cannot merge samples of different capacity or seed");
    }
    count += other.count;
    for (int i = 0; i < other.size; i++) {
      offer(other.keys[i], other.vectors[i]);
    }
    return this;
  }

  /** Items counted. */
  long count() {
    return count;
  }

  /** Items kept: {@code min(count(), capacity)}. */
  int size() {
    return size;
  }

  /** The kept vectors, in key order (the same for the same items, however they were partitioned). */
  float[][] sample() {
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(keys[a], keys[b]));
    float[][] out = new float[size][];
    for (int i = 0; i < size; i++) {
      out[i] = vectors[order[i]];
    }
    return out;
  }

  static long key(long id, long seed) {
    long z = id * 0x9E3779B97F4A7C15L + seed;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (z ^ (z >>> 31)) >>> 1;
  }

  private void offer(long key, float[] vector) {
    if (size < capacity) {
      if (size == keys.length) {
        int grown = (int) Math.min(capacity, 2L * keys.length);
        keys = Arrays.copyOf(keys, grown);
        vectors = Arrays.copyOf(vectors, grown);
      }
      int i = size++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (keys[parent] >= key) {
          break;
        }
        keys[i] = keys[parent];
        vectors[i] = vectors[parent];
        i = parent;
      }
      keys[i] = key;
      vectors[i] = vector;
    } else if (key < keys[0]) {
      int i = 0;
      while (true) {
        int child = 2 * i + 1;
        if (child >= size) {
          break;
        }
        if (child + 1 < size && keys[child + 1] > keys[child]) {
          child++;
        }
        if (keys[child] <= key) {
          break;
        }
        keys[i] = keys[child];
        vectors[i] = vectors[child];
        i = child;
      }
      keys[i] = key;
      vectors[i] = vector;
    }
  }
}
