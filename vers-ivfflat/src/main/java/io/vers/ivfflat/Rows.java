package io.vers.ivfflat;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * A read-only sequence of vectors of one dimension, wherever they live: one flat array, one array per
 * vector, or a subset of another sequence. Row {@code i} is {@code dimension()} floats of
 * {@link #array(int) array(i)} from {@link #offset(int) offset(i)}. Lets k-means and assignment read the
 * caller's batch or an index's lists without first copying them into one array.
 */
abstract class Rows {
  private final int dimension;

  private Rows(int dimension) {
    this.dimension = dimension;
  }

  abstract int size();

  abstract float[] array(int row);

  abstract int offset(int row);

  final int dimension() {
    return dimension;
  }

  /** The first {@code n} vectors of a flat array. */
  static Rows packed(float[] data, int n, int dimension) {
    checkArgument(dimension >= 1, "dimension must be at least 1, got %s", dimension);
    checkArgument(n >= 0 && (long) n * dimension <= data.length,
        "%s vectors of dimension %s need %s floats, the array has %s", n, dimension, (long) n * dimension, data.length);
    return new Rows(dimension) {
      @Override
      int size() {
        return n;
      }

      @Override
      float[] array(int row) {
        return data;
      }

      @Override
      int offset(int row) {
        return row * dimension;
      }
    };
  }

  /** One array per vector, each of length {@code dimension}. */
  static Rows jagged(float[][] vectors, int dimension) {
    return new Rows(dimension) {
      @Override
      int size() {
        return vectors.length;
      }

      @Override
      float[] array(int row) {
        return vectors[row];
      }

      @Override
      int offset(int row) {
        return 0;
      }
    };
  }

  /** Vector {@code i} at {@code arrays[i]} from {@code offsets[i]}. */
  static Rows scattered(float[][] arrays, int[] offsets, int dimension) {
    checkArgument(arrays.length == offsets.length, "%s arrays but %s offsets", arrays.length, offsets.length);
    return new Rows(dimension) {
      @Override
      int size() {
        return arrays.length;
      }

      @Override
      float[] array(int row) {
        return arrays[row];
      }

      @Override
      int offset(int row) {
        return offsets[row];
      }
    };
  }

  /** Rows {@code indices[0], indices[1], ...} of {@code source}, in that order. */
  static Rows subset(Rows source, int[] indices) {
    return new Rows(source.dimension()) {
      @Override
      int size() {
        return indices.length;
      }

      @Override
      float[] array(int row) {
        return source.array(indices[row]);
      }

      @Override
      int offset(int row) {
        return source.offset(indices[row]);
      }
    };
  }

  /** Copies row {@code row} into {@code dst} at {@code dstOffset}. */
  final void copyTo(int row, float[] dst, int dstOffset) {
    System.arraycopy(array(row), offset(row), dst, dstOffset, dimension);
  }
}
