package io.vers.api;

import java.io.IOException;

/**
 * Saved index data that cannot be trusted: truncated, damaged, inconsistent, or written by a newer
 * format. Nothing is handed out from such data.
 */
public class CorruptIndexException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong with the data and, where known, where
   */
  public CorruptIndexException(String message) {
    super(message);
  }

  /**
   * Creates the exception with the failure that revealed the damage.
   *
   * @param message what is wrong with the data and, where known, where
   * @param cause the underlying failure, for example an {@link java.io.EOFException}
   */
  public CorruptIndexException(String message, Throwable cause) {
    super(message, cause);
  }
}
