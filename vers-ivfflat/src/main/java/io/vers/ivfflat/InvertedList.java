package io.vers.ivfflat;

import io.vers.spi.RamUsage;
import io.vers.spi.storage.ScalarQuantizer;
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
 * <p>Quantized ({@code sq8}): the list also keeps each entry's {@link ScalarQuantizer} codes, entry
 * {@code i} at {@code codes[i * dimension ..]}, with {@code |x'|^2} in {@code norms[i]}; it may then
 * keep no floats at all ({@link #hasFloats()} false), its vectors being only the decoded codes.
 *
 * <p>Not thread-safe: the owning index guards every access with its lock.
 */
final class InvertedList {
  private static final float[] NO_VECTORS = new float[0];
  private static final int[] NO_ORDS = new int[0];
  private static final byte[] NO_CODES = new byte[0];

  private final int dimension;
  private float[] vectors;
  private int base;
  private int[] ords;
  private int size;
  /** Whether the float vectors are kept. */
  private boolean floats = true;
  /** The quantizer of {@link #codes}, or null when the list is not quantized. */
  private ScalarQuantizer quantizer;
  private byte[] codes = NO_CODES;
  private float[] norms = NO_VECTORS;

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
    checkFits(dimension, capacity);
    return capacity == 0
        ? new InvertedList(dimension)
        : new InvertedList(dimension, new float[capacity * dimension], 0, new int[capacity], 0);
  }

  /**
   * A list adopting, as the restoring constructor does, vectors (when {@code floats}) and the codes of
   * {@code quantizer} (owned: {@code codes} and {@code norms} hold room for {@code ords.length}
   * entries).
   */
  static InvertedList quantized(int dimension, float[] vectors, int base, int[] ords, int size, boolean floats,
      ScalarQuantizer quantizer, byte[] codes, float[] norms) {
    InvertedList list = new InvertedList(dimension, floats ? vectors : NO_VECTORS, floats ? base : 0, ords, size);
    list.floats = floats;
    list.quantizer = quantizer;
    list.codes = codes;
    list.norms = norms;
    return list;
  }

  /** An empty list with room for exactly {@code capacity} entries, in the form of {@code model}. */
  static InvertedList withCapacityLike(InvertedList model, int capacity) {
    if (model.quantizer == null) {
      return withCapacity(model.dimension, capacity);
    }
    checkFits(model.dimension, capacity);
    return quantized(model.dimension, new float[model.floats ? capacity * model.dimension : 0], 0, new int[capacity],
        0, model.floats, model.quantizer, new byte[capacity * model.dimension], new float[capacity]);
  }

  private static void checkFits(int dimension, int capacity) {
    if ((long) capacity * dimension > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("an inverted list of dimension " + dimension + " cannot hold " + capacity
          + " vectors in one array; use more lists");
    }
  }

  int size() {
    return size;
  }

  /** Whether the float vectors are kept ({@link #vectors()} holds them). */
  boolean hasFloats() {
    return floats;
  }

  /** The quantizer of the codes, or null when the list keeps none. */
  ScalarQuantizer quantizer() {
    return quantizer;
  }

  /** The codes, entry {@code i} at {@code i * dimension}; valid until the next write. */
  byte[] codes() {
    return codes;
  }

  /** {@code |x'|^2} by entry; valid until the next write. */
  float[] norms() {
    return norms;
  }

  /** Writes entry {@code position}'s vector (the floats if kept, else the decoded codes) to {@code out[to ..]}. */
  void vector(int position, float[] out, int to) {
    if (floats) {
      System.arraycopy(vectors, base + position * dimension, out, to, dimension);
    } else {
      quantizer.decode(codes, position * dimension, out, to);
    }
  }

  /**
   * Encodes every entry with {@code next} (from the floats if kept, else from the decoded codes of the
   * current quantizer); with {@code keepFloats} false the floats are then dropped.
   */
  void quantize(ScalarQuantizer next, boolean keepFloats, float[] scratch) {
    byte[] fresh = codes.length == ords.length * dimension && ords.length > 0 ? codes : new byte[ords.length * dimension];
    float[] freshNorms = norms.length == ords.length && ords.length > 0 ? norms : new float[ords.length];
    for (int i = 0; i < size; i++) {
      vector(i, scratch, 0);
      freshNorms[i] = next.encode(scratch, 0, fresh, i * dimension);
    }
    codes = fresh;
    norms = freshNorms;
    quantizer = next;
    if (!keepFloats && floats) {
      floats = false;
      vectors = NO_VECTORS;
      base = 0;
    }
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
    if (floats) {
      System.arraycopy(source, offset, vectors, base + size * dimension, dimension);
    }
    if (quantizer != null) {
      norms[size] = quantizer.encode(source, offset, codes, size * dimension);
    }
    ords[size] = ord;
    return size++;
  }

  /** Overwrites the vector at {@code position} with the one at {@code source[offset ..]}. */
  void set(int position, float[] source, int offset) {
    if (floats) {
      System.arraycopy(source, offset, vectors, base + position * dimension, dimension);
    }
    if (quantizer != null) {
      norms[position] = quantizer.encode(source, offset, codes, position * dimension);
    }
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
      if (floats) {
        System.arraycopy(vectors, base + last * dimension, vectors, base + position * dimension, dimension);
      }
      if (quantizer != null) {
        System.arraycopy(codes, last * dimension, codes, position * dimension, dimension);
        norms[position] = norms[last];
      }
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
    if (floats) {
      float[] own = new float[capacity * dimension];
      System.arraycopy(vectors, base, own, 0, size * dimension);
      vectors = own;
      base = 0;
    }
    if (quantizer != null) {
      codes = Arrays.copyOf(codes, capacity * dimension);
      norms = Arrays.copyOf(norms, capacity);
    }
    ords = Arrays.copyOf(ords, capacity);
  }

  /** Heap bytes of this list without its vector array, which restored lists may share, and quantizer, which lists share. */
  long ramBytesUsedWithoutVectors() {
    long bytes = RamUsage.align(RamUsage.OBJECT_HEADER + 5 * RamUsage.REFERENCE + 3 * Integer.BYTES + 1)
        + (ords.length == 0 ? 0 : RamUsage.sizeOf(ords));
    if (quantizer != null) {
      bytes += (codes.length == 0 ? 0 : RamUsage.sizeOf(codes)) + (norms.length == 0 ? 0 : RamUsage.sizeOf(norms));
    }
    return bytes;
  }
}
