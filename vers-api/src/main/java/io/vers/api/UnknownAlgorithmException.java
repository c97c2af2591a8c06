package io.vers.api;

/**
 * No {@link IndexProvider} with the requested name is on the class path. The message lists the
 * algorithms that are available and the module that provides the missing one.
 */
public final class UnknownAlgorithmException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String algorithm;

  public UnknownAlgorithmException(String algorithm, String message) {
    super(message);
    this.algorithm = algorithm;
  }

  public UnknownAlgorithmException(String algorithm, String message, Throwable cause) {
    super(message, cause);
    this.algorithm = algorithm;
  }

  /** The name that was asked for. */
  public String algorithm() {
    return algorithm;
  }
}
