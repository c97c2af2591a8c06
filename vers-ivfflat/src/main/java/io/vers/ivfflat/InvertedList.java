package io.vers.ivfflat;

import io.vers.spi.RamUsage;
import java.util.Arrays;

/**
 * One inverted list: its vectors one after the other in a single growable {@code float[]} and their
 * ordinals in a parallel {@code int[]}, so that probing the list is one linear scan. Entry {@code i} is
 * ordinal {@code ords[i]} with its vector at {@code vectors[base + i * dimension ..]}. Removal moves
 * the last entry into the freed slot.
 *
 * <p>A restored list may occupy a region of an array it shares with the other lists ({@link #base()}
 * greater than zero or room for exactly its entries); it copies its region into an array of its own the
 * first time it grows, and never writes outside its region.
 *
 * <p>Not thread-safe: the owning index guards every access with its lock.
 */
final class InvertedList {
  private static final float[] NO_VECTORS = new float[0];
  private static final int[] NO_ORDS = new int[0];

  private final int dimension;
  private float[] vectors;
  private int base;
  private int[] ords;
  private int size;

  /** An empty list. */
  InvertedList(int dimension) {
    this(dimension, NO_VECTORS, 0, NO_ORDS, 0);
  }

  /**
   * A list adopting the first {@code size} entries of {@code ords} and their vectors in
   * {@code vectors} from {@code base}; it may write {@code ords.length} vectors from {@code base}, so
   * the array's room beyond them may belong to another list.
   */
  InvertedList(int dimension, float[] vectors, int base, int[] ords, int size) {
    this.dimension = dimension;
    this.vectors = vectors;
    this.base = base;
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
        : new InvertedList(dimension, new float[capacity * dimension], 0, new int[capacity], 0);
  }

  int size() {
    return size;
  }

  /**
   * The array holding the vectors; entry {@code i} starts at {@code base() + i * dimension}. Valid until
   * the next write.
   */
  float[] vectors() {
    return vectors;
  }

  /** Where entry 0's vector starts in {@link #vectors()}. */
  int base() {
    return base;
  }

  /** The ordinals, parallel to the vectors. Valid until the next write. */
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
    System.arraycopy(source, offset, vectors, base + size * dimension, dimension);
    ords[size] = ord;
    return size++;
  }

  /** Overwrites the vector at {@code position} with the one at {@code source[offset ..]}. */
  void set(int position, float[] source, int offset) {
    System.arraycopy(source, offset, vectors, base + position * dimension, dimension);
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
      System.arraycopy(vectors, base + last * dimension, vectors, base + position * dimension, dimension);
      ords[position] = ords[last];
    }
    size = last;
    return moved;
  }

  /** Entries the list has room for before it grows. */
  int capacity() {
    return ords.length;
  }

  /** Moves the vectors of a list reading a shared array into an array of its own, of the same capacity. */
  void ownVectors() {
    moveTo(ords.length);
  }

  private void grow(int minCapacity) {
    long target = Math.max(minCapacity, ords.length + (ords.length >> 1) + 4L);
    int capacity = (int) Math.min(target, (Integer.MAX_VALUE - 8) / dimension);
    if (capacity < minCapacity) {
      throw new IllegalStateException(
          "an inverted list of dimension " + dimension + " holds at most " + capacity + " vectors; use more lists");
    }
    moveTo(capacity);
  }

  /** Moves the entries into arrays of their own with room for {@code capacity}. */
  private void moveTo(int capacity) {
    float[] own = new float[capacity * dimension];
    System.arraycopy(vectors, base, own, 0, size * dimension);
    vectors = own;
    base = 0;
    ords = Arrays.copyOf(ords, capacity);
  }

  /** Heap bytes of this list without its vector array, which restored lists may share. */
  long ramBytesUsedWithoutVectors() {
    return RamUsage.align(RamUsage.OBJECT_HEADER + 2 * RamUsage.REFERENCE + 3 * Integer.BYTES)
        + (ords.length == 0 ? 0 : RamUsage.sizeOf(ords));
  }
}
