package io.vers.io;

import io.vers.api.CorruptIndexException;

/**
 * The data was written in a newer version of the vers index format than this vers-io reads. Nothing
 * beyond the header was interpreted; upgrading vers-io makes the file loadable.
 */
public final class IndexFormatTooNewException extends CorruptIndexException {
  private static final long serialVersionUID = 1L;

  private final int fileVersion;
  private final int newestSupportedVersion;

  IndexFormatTooNewException(String source, int fileVersion, int newestSupportedVersion) {
    super(source + " is in vers index format version " + fileVersion + ", newer than version " + newestSupportedVersion
        + ", the newest this vers-io reads; upgrade vers-io to load it");
    this.fileVersion = fileVersion;
    this.newestSupportedVersion = newestSupportedVersion;
  }

  /** The format version the data declares. */
  public int fileVersion() {
    return fileVersion;
  }

  /** The newest format version this vers-io reads. */
  public int newestSupportedVersion() {
    return newestSupportedVersion;
  }
}
