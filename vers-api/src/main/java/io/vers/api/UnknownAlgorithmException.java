package io.vers.api;

/**
 * No {@link IndexProvider} with the requested name is on the class path. The message lists the
 * algorithms that are available and the module that provides the missing one.
 */
public final class UnknownAlgorithmException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * The algorithm name that was asked for.
   */
  private final String algorithm;

  /**
   * Creates the exception.
   *
   * @param algorithm the name that was asked for
   * @param message the explanation, listing the available algorithms
   */
  public UnknownAlgorithmException(String algorithm, String message) {
    super(message);
    this.algorithm = algorithm;
  }

  /**
   * Creates the exception with the failure met while looking for the provider.
   *
   * @param algorithm the name that was asked for
   * @param message the explanation, listing the available algorithms
   * @param cause the underlying failure
   */
  public UnknownAlgorithmException(String algorithm, String message, Throwable cause) {
    super(message, cause);
    this.algorithm = algorithm;
  }

  /** {@return the name that was asked for} */
  public String algorithm() {
    return algorithm;
  }
}
