package io.vers.api;

/**
 * A vector that an index cannot accept: NaN or infinite components, or a zero vector under
 * {@link Metric#COSINE}. The message names the offending component and how to fix the input.
 */
public class InvalidVectorException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the offending component, its value, and how to fix the input
   */
  public InvalidVectorException(String message) {
    super(message);
  }
}
