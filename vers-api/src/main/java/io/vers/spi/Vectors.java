package io.vers.spi;

import io.vers.api.CorruptIndexException;
import io.vers.api.DimensionMismatchException;
import io.vers.api.InvalidVectorException;
import io.vers.api.Metric;
import java.util.Objects;

/** Input checks and small vector helpers shared by every index. */
public final class Vectors {
  /**
   * The largest squared Euclidean norm a vector may have: a quarter of {@link Float#MAX_VALUE}, so that
   * no distance between two accepted vectors (a squared difference, a dot product or a partial sum of
   * either) can overflow a float. A norm up to about 9.2e18.
   */
  public static final double MAX_SQUARED_NORM = Float.MAX_VALUE / 4.0;

  private Vectors() {}

  /**
   * Checks that {@code vector} can be stored in or searched against an index of {@code dimension}
   * under {@code metric}.
   *
   * @param vector the vector to check
   * @param dimension the index's dimension
   * @param metric the index's metric
   * @param what how to name the vector in messages, for example {@code "vector for id 7"} or
   *     {@code "query"}
   * @throws NullPointerException if {@code vector} is null
   * @throws DimensionMismatchException if its length is not {@code dimension}
   * @throws InvalidVectorException if a component is NaN or infinite, the squared norm exceeds
   *     {@link #MAX_SQUARED_NORM}, or the vector is all zeros under {@link Metric#COSINE}
   */
  public static void check(float[] vector, int dimension, Metric metric, String what) {
    Objects.requireNonNull(vector, what);
    if (vector.length != dimension) {
      throw new DimensionMismatchException(what, dimension, vector.length);
    }
    boolean allZero = true;
    double squaredNorm = 0;
    for (int i = 0; i < vector.length; i++) {
      float x = vector[i];
      if (!Float.isFinite(x)) {
        throw new InvalidVectorException(
            what + " has " + x + " at component " + i + "; every component must be a finite number");
      }
      allZero &= x == 0f;
      squaredNorm += (double) x * x;
    }
    if (squaredNorm > MAX_SQUARED_NORM) {
      throw new InvalidVectorException(what + " has a squared norm of " + (float) squaredNorm + ", above the "
          + (float) MAX_SQUARED_NORM + " that keeps every distance finite; scale the vectors down (under COSINE the "
          + "scale does not matter)");
    }
    if (allZero && metric == Metric.COSINE) {
      throw new InvalidVectorException(
          what + " is all zeros, which has no direction under COSINE; drop it or use L2 or DOT");
    }
  }

  /**
   * Checks vectors read back from a file as {@link #check} checks a vector added, in the form an index
   * stores them: every component finite, every squared norm at most {@link #MAX_SQUARED_NORM}, and under
   * {@link Metric#COSINE} every vector of unit length (within 1e-3 of its square, as normalising leaves
   * it). Restores call it so that a file cannot bring in vectors that {@code add} would have refused,
   * whose distances could be infinite or meaningless.
   *
   * @param data the vectors, {@code dimension} floats each
   * @param dimension the index's dimension
   * @param metric the index's metric
   * @param what how to name a vector in messages, followed by its row: for example {@code "hnsw
   *     snapshot: the vector of node"}
   * @throws CorruptIndexException naming the first vector that fails and why
   * @throws IllegalArgumentException if {@code dimension < 1}
   */
  public static void checkStored(float[] data, int dimension, Metric metric, String what)
      throws CorruptIndexException {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be at least 1, got " + dimension);
    }
    for (int start = 0, row = 0; start + dimension <= data.length; start += dimension, row++) {
      double squaredNorm = 0;
      for (int j = start; j < start + dimension; j++) {
        float x = data[j];
        if (!Float.isFinite(x)) {
          throw new CorruptIndexException(what + " " + row + " has " + x + " at component " + (j - start)
              + "; every component must be finite");
        }
        squaredNorm += (double) x * x;
      }
      if (squaredNorm > MAX_SQUARED_NORM) {
        throw new CorruptIndexException(what + " " + row + " has a squared norm of " + (float) squaredNorm
            + ", above the " + (float) MAX_SQUARED_NORM + " an index accepts");
      }
      if (metric == Metric.COSINE && Math.abs(squaredNorm - 1) > 1e-3) {
        throw new CorruptIndexException(what + " " + row + " has length " + (float) Math.sqrt(squaredNorm)
            + "; COSINE indexes store unit vectors");
      }
    }
  }

  /**
   * Checks a search's {@code k}.
   *
   * @param k the number of results asked for
   * @throws IllegalArgumentException if {@code k < 1}
   */
  public static void checkK(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
  }

  /**
   * Scales {@code vector} to unit length in place; a zero vector is left unchanged.
   *
   * @param vector the vector to scale; changed in place
   */
  public static void normalizeInPlace(float[] vector) {
    double sum = 0;
    for (float x : vector) {
      sum += (double) x * x;
    }
    if (sum == 0) {
      return;
    }
    // One rounding per component, so vectors pointing the same way get identical stored forms.
    double norm = Math.sqrt(sum);
    for (int i = 0; i < vector.length; i++) {
      vector[i] = (float) (vector[i] / norm);
    }
  }

  /**
   * Checks a query and returns the form to compare against stored vectors: the array itself, or a
   * normalised copy under {@link Metric#COSINE}.
   *
   * @param query the query to check; not changed
   * @param dimension the index's dimension
   * @param metric the index's metric
   * @return {@code query} itself, or its normalised copy under {@link Metric#COSINE}
   * @throws DimensionMismatchException if its length is not {@code dimension}
   * @throws InvalidVectorException if it cannot be searched with (see {@link #check})
   */
  public static float[] prepareQuery(float[] query, int dimension, Metric metric) {
    check(query, dimension, metric, "query");
    return metric.normalizes() ? metric.storedForm(query) : query;
  }

  /**
   * Checks that the two arrays of a batch match and that every vector is valid for this index.
   *
   * @param ids one id per vector
   * @param vectors the vectors to check
   * @param dimension the index's dimension
   * @param metric the index's metric
   * @throws IllegalArgumentException describing the first problem, with its position in the batch
   */
  public static void checkBatch(long[] ids, float[][] vectors, int dimension, Metric metric) {
    Objects.requireNonNull(ids, "ids");
    Objects.requireNonNull(vectors, "vectors");
    if (ids.length != vectors.length) {
      throw new IllegalArgumentException(
          "ids has " + ids.length + " entries but vectors has " + vectors.length + "; pass one id per vector");
    }
    for (int i = 0; i < vectors.length; i++) {
      check(vectors[i], dimension, metric, "vectors[" + i + "] (id " + ids[i] + ")");
    }
  }
}
