package io.vers.api;

/** A vector or query whose length differs from the index's dimension. */
public final class DimensionMismatchException extends InvalidVectorException {
  private static final long serialVersionUID = 1L;

  /**
   * The index's dimension.
   */
  private final int expected;
  /**
   * The length of the rejected vector.
   */
  private final int actual;

  /**
   * Creates the exception with a message that names both lengths and both fixes.
   *
   * @param what the argument at fault, for example {@code "query"} or {@code "vectors[3] (id 42)"}
   * @param expected the index's dimension
   * @param actual the length of the rejected vector
   */
  public DimensionMismatchException(String what, int expected, int actual) {
    super(
        what + " has " + actual + " components but the index has dimension " + expected
            + "; pass vectors of length " + expected + " or create an index of dimension " + actual);
    this.expected = expected;
    this.actual = actual;
  }

  /** {@return the index's dimension} */
  public int expected() {
    return expected;
  }

  /** {@return the length of the rejected vector} */
  public int actual() {
    return actual;
  }
}
