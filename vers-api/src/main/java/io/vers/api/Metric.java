package io.vers.api;

import io.vers.spi.Vectors;
import io.vers.spi.simd.Kernels;
import io.vers.spi.simd.VectorKernel;
import java.util.Arrays;
import java.util.Locale;

/**
 * How an index measures distance. One metric per index, fixed at creation. Smaller is always closer.
 *
 * <p>The {@code distance} methods compare vectors as the index stores them: under {@link #COSINE} the
 * index keeps a unit-length copy of every vector and normalises each query, so its distance is
 * {@code 1 - dot}. {@link #exactDistance(float[], float[])} applies the formula to raw vectors.
 */
public enum Metric {
  /** Squared Euclidean distance: {@code sum((a[i] - b[i])^2)}. */
  L2 {
    @Override
    public float distance(float[] a, int aOffset, float[] b, int bOffset, int length) {
      return KERNEL.squaredL2(a, aOffset, b, bOffset, length);
    }

    @Override
    public float exactDistance(float[] a, float[] b) {
      return KERNEL.squaredL2(a, 0, b, 0, checkLengths(a, b));
    }
  },

  /**
   * Cosine distance: {@code 1 - dot(a, b) / (|a| * |b|)}, from 0 (same direction) to 2 (opposite).
   * Vectors are normalised on insert into the index's own copy (the caller's array is never changed);
   * zero vectors are rejected.
   */
  COSINE {
    @Override
    public float distance(float[] a, int aOffset, float[] b, int bOffset, int length) {
      return Math.max(0f, 1f - KERNEL.dot(a, aOffset, b, bOffset, length));
    }

    @Override
    public float exactDistance(float[] a, float[] b) {
      return Math.max(0f, 1f - KERNEL.cosine(a, 0, b, 0, checkLengths(a, b)));
    }

    @Override
    public boolean normalizes() {
      return true;
    }
  },

  /** Negative inner product: {@code -sum(a[i] * b[i])}; for maximum inner product search. */
  DOT {
    @Override
    public float distance(float[] a, int aOffset, float[] b, int bOffset, int length) {
      return -KERNEL.dot(a, aOffset, b, bOffset, length);
    }

    @Override
    public float exactDistance(float[] a, float[] b) {
      return -KERNEL.dot(a, 0, b, 0, checkLengths(a, b));
    }
  };

  private static final VectorKernel KERNEL = Kernels.get().vector();

  /**
   * The distance between two stored-form vectors (unit length under {@link #COSINE}), each a range of
   * {@code length} floats.
   *
   * @param a the first vector's array
   * @param aOffset where the first vector starts in {@code a}
   * @param b the second vector's array
   * @param bOffset where the second vector starts in {@code b}
   * @param length the number of components compared
   * @return the distance, smaller for closer vectors
   */
  public abstract float distance(float[] a, int aOffset, float[] b, int bOffset, int length);

  /**
   * The distance between two whole stored-form vectors of equal length.
   *
   * @param a a vector in stored form
   * @param b a vector in stored form, of the same length
   * @return the distance, smaller for closer vectors
   * @throws DimensionMismatchException if the lengths differ
   */
  public float distance(float[] a, float[] b) {
    return distance(a, 0, b, 0, checkLengths(a, b));
  }

  /**
   * The metric's formula applied to raw vectors (not normalised first).
   *
   * @param a a raw vector
   * @param b a raw vector of the same length
   * @return the distance, smaller for closer vectors
   * @throws DimensionMismatchException if the lengths differ
   */
  public abstract float exactDistance(float[] a, float[] b);

  /** {@return whether the index stores and compares unit-length copies of vectors and queries} */
  public boolean normalizes() {
    return false;
  }

  /**
   * The form the index stores: a fresh copy of {@code vector}, normalised to unit length under
   * {@link #COSINE}. The caller's array is not changed. The vector must already be valid
   * ({@link Vectors#check}).
   *
   * @param vector a valid vector; not changed
   * @return a new array in the form the index stores
   */
  public float[] storedForm(float[] vector) {
    float[] copy = vector.clone();
    if (normalizes()) {
      Vectors.normalizeInPlace(copy);
    }
    return copy;
  }

  /**
   * Parses {@code l2}, {@code euclidean}, {@code cosine}, {@code angular}, {@code dot}, {@code ip} or
   * {@code inner_product}, ignoring case.
   *
   * @param name the metric's name, surrounding blanks ignored
   * @return the metric
   * @throws IllegalArgumentException naming the accepted spellings
   */
  public static Metric parse(String name) {
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "l2":
      case "euclidean":
        return L2;
      case "cosine":
      case "angular":
        return COSINE;
      case "dot":
      case "ip":
      case "inner_product":
        return DOT;
      default:
        throw new IllegalArgumentException(
            "unknown metric '" + name + "'; use one of " + Arrays.toString(values()).toLowerCase(Locale.ROOT)
                + " (also accepted: euclidean, angular, ip, inner_product)");
    }
  }

  private static int checkLengths(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new DimensionMismatchException("second vector", a.length, b.length);
    }
    return a.length;
  }
}
