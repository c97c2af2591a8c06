package io.vers.ivfflat;

import io.vers.api.util.RamUsage;
import java.util.Arrays;

/**
 * One inverted list: its vectors one after the other in a single growable {@code float[]} and their
 * ordinals in a parallel {@code int[]}, so that probing the list is one linear scan. Entry {@code i} is
 * ordinal {@code ords[i]} with its vector at {@code vectors[i * dimension ..]}. Removal moves the last
 * entry into the freed slot.
 *
 * <p>Not thread-safe: the owning index guards every access with its lock.
 */
final class InvertedList {
  private static final float[] NO_VECTORS = new float[0];
  private static final int[] NO_ORDS = new int[0];

  private final int dimension;
  private float[] vectors;
  private int[] ords;
  private int size;

  /** An empty list. */
  InvertedList(int dimension) {
    this(dimension, NO_VECTORS, NO_ORDS, 0);
  }

  /**
   * A list adopting the first {@code size} entries of {@code vectors} and {@code ords}; the arrays'
   * remaining room is spare capacity.
   */
  InvertedList(int dimension, float[] vectors, int[] ords, int size) {
    this.dimension = dimension;
    this.vectors = vectors;
    this.ords = ords;
    this.size = size;
  }

  /** An empty list with room for exactly {@code capacity} entries. */
  static InvertedList withCapacity(int dimension, int capacity) {
    if ((long) capacity * dimension > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("an inverted list of dimension " + dimension + " cannot hold " + capacity
          + " vectors in one array; use more lists");
    }
    return capacity == 0
        ? new InvertedList(dimension)
        : new InvertedList(dimension, new float[capacity * dimension], new int[capacity], 0);
  }

  int size() {
    return size;
  }

  /** The vectors; entry {@code i} starts at {@code i * dimension}. Valid until the next write. */
  float[] vectors() {
    return vectors;
  }

  /** The ordinals, parallel to {@link #vectors()}. Valid until the next write. */
  int[] ords() {
    return ords;
  }

  int ord(int position) {
    return ords[position];
  }

  void setOrd(int position, int ord) {
    ords[position] = ord;
  }

  /** Appends ordinal {@code ord} with the vector at {@code source[offset ..]}; returns its position. */
  int add(int ord, float[] source, int offset) {
    if (size == ords.length) {
      grow(size + 1);
    }
    System.arraycopy(source, offset, vectors, size * dimension, dimension);
    ords[size] = ord;
    return size++;
  }

  /** Overwrites the vector at {@code position} with the one at {@code source[offset ..]}. */
  void set(int position, float[] source, int offset) {
    System.arraycopy(source, offset, vectors, position * dimension, dimension);
  }

  /**
   * Removes the entry at {@code position}, moving the last entry into its place.
   *
   * @return whether an entry was moved (it is now at {@code position})
   */
  boolean removeAt(int position) {
    int last = size - 1;
    boolean moved = position != last;
    if (moved) {
      System.arraycopy(vectors, last * dimension, vectors, position * dimension, dimension);
      ords[position] = ords[last];
    }
    size = last;
    return moved;
  }

  private void grow(int minCapacity) {
    long target = Math.max(minCapacity, ords.length + (ords.length >> 1) + 4L);
    int capacity = (int) Math.min(target, (Integer.MAX_VALUE - 8) / dimension);
    if (capacity < minCapacity) {
      throw new IllegalStateException(
          "an inverted list of dimension " + dimension + " holds at most " + capacity + " vectors; use more lists");
    }
    vectors = Arrays.copyOf(vectors, capacity * dimension);
    ords = Arrays.copyOf(ords, capacity);
  }

  long ramBytesUsed() {
    return RamUsage.align(RamUsage.OBJECT_HEADER + 2 * RamUsage.REFERENCE + 2 * Integer.BYTES)
        + (vectors.length == 0 ? 0 : RamUsage.sizeOf(vectors))
        + (ords.length == 0 ? 0 : RamUsage.sizeOf(ords));
  }
}
