package io.vers.api;

import java.io.IOException;

/**
 * Saved index data that cannot be trusted: truncated, damaged, inconsistent, or written by a newer
 * format. Nothing is handed out from such data.
 */
public class CorruptIndexException extends IOException {
  private static final long serialVersionUID = 1L;

  public CorruptIndexException(String message) {
    super(message);
  }

  public CorruptIndexException(String message, Throwable cause) {
    super(message, cause);
  }
}
