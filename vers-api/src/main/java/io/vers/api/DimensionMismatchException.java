package io.vers.api;

/** A vector or query whose length differs from the index's dimension. */
public final class DimensionMismatchException extends InvalidVectorException {
  private static final long serialVersionUID = 1L;

  private final int expected;
  private final int actual;

  public DimensionMismatchException(String what, int expected, int actual) {
    super(
        what + " has " + actual + " components but the index has dimension " + expected
            + "; pass vectors of length " + expected + " or create an index of dimension " + actual);
    this.expected = expected;
    this.actual = actual;
  }

  /** The index's dimension. */
  public int expected() {
    return expected;
  }

  /** The length of the rejected vector. */
  public int actual() {
    return actual;
  }
}
