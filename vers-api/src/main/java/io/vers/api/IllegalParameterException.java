package io.vers.api;

/**
 * A build or search parameter that an algorithm does not accept: an unknown name, a value of the wrong
 * type, or a value outside the allowed range. The message names the parameter and what is allowed.
 */
public final class IllegalParameterException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the parameter at fault, the value given and what is allowed
   */
  public IllegalParameterException(String message) {
    super(message);
  }
}
