package io.vers.io;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The four array types an {@link io.vers.api.IndexSnapshot} may hold, with their Kryo registration
 * ids and their bulk little-endian conversion to and from bytes.
 */
enum ArrayKind {
  INT(int[].class, Integer.BYTES, 16),
  LONG(long[].class, Long.BYTES, 17),
  FLOAT(float[].class, Float.BYTES, 18),
  BYTE(byte[].class, 1, 19);

  /** The array class. */
  final Class<?> type;
  /** Bytes per element in the file. */
  final int elementBytes;
  /** The Kryo registration id the file names this type by. */
  final int kryoId;

  ArrayKind(Class<?> type, int elementBytes, int kryoId) {
    this.type = type;
    this.elementBytes = elementBytes;
    this.kryoId = kryoId;
  }

  /** The kind whose array class is {@code type}, or {@code null} for any other class. */
  static ArrayKind of(Class<?> type) {
    for (ArrayKind kind : values()) {
      if (kind.type == type) {
        return kind;
      }
    }
    return null;
  }

  Object allocate(int length) {
    switch (this) {
      case INT:
        return new int[length];
      case LONG:
        return new long[length];
      case FLOAT:
        return new float[length];
      default:
        return new byte[length];
    }
  }

  /** A copy of {@code array} with {@code length} elements. */
  Object resize(Object array, int length) {
    switch (this) {
      case INT:
        return Arrays.copyOf((int[]) array, length);
      case LONG:
        return Arrays.copyOf((long[]) array, length);
      case FLOAT:
        return Arrays.copyOf((float[]) array, length);
      default:
        return Arrays.copyOf((byte[]) array, length);
    }
  }

  /**
   * Writes {@code count} elements of {@code array} from {@code from} to the start of {@code bytes}, a
   * little-endian buffer, in one bulk copy.
   */
  void encode(Object array, int from, int count, ByteBuffer bytes) {
    bytes.clear();
    switch (this) {
      case INT:
        bytes.asIntBuffer().put((int[]) array, from, count);
        break;
      case LONG:
        bytes.asLongBuffer().put((long[]) array, from, count);
        break;
      case FLOAT:
        bytes.asFloatBuffer().put((float[]) array, from, count);
        break;
      default:
        bytes.put((byte[]) array, from, count);
        break;
    }
  }

  /**
   * Reads {@code count} elements from the start of {@code bytes}, a little-endian buffer, into
   * {@code array} from {@code from}, in one bulk copy.
   */
  void decode(ByteBuffer bytes, Object array, int from, int count) {
    bytes.clear();
    switch (this) {
      case INT:
        bytes.asIntBuffer().get((int[]) array, from, count);
        break;
      case LONG:
        bytes.asLongBuffer().get((long[]) array, from, count);
        break;
      case FLOAT:
        bytes.asFloatBuffer().get((float[]) array, from, count);
        break;
      default:
        bytes.get((byte[]) array, from, count);
        break;
    }
  }
}
