package io.vers.bench.data;

import java.io.IOException;

/** A named dataset that is not installed; the message says how to install it. */
public final class MissingDatasetException extends IOException {
  private static final long serialVersionUID = 1L;

  public MissingDatasetException(String message) {
    super(message);
  }
}
