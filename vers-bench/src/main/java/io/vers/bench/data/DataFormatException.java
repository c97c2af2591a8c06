package io.vers.bench.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file that cannot be read as the format it claims to be. The message names the file, the byte
 * offset where the problem was found (and the line, for text files) and what was expected there.
 */
public final class DataFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long offset;

  /**
   * @param file the file being read
   * @param offset the byte offset of the problem; for gzip files, the offset in the uncompressed data
   * @param problem what is wrong and, where useful, how to fix it
   */
  public DataFormatException(Path file, long offset, String problem) {
    super(file + ": " + problem + " (at byte offset " + offset + ")");
    this.file = file;
    this.offset = offset;
  }

  /** As {@link #DataFormatException(Path, long, String)}, for text files: also names the line. */
  public DataFormatException(Path file, long line, long offset, String problem) {
    super(file + ": line " + line + ": " + problem + " (at byte offset " + offset + ")");
    this.file = file;
    this.offset = offset;
  }

  /** The file that could not be read. */
  public Path file() {
    return file;
  }

  /** The byte offset where the problem was found. */
  public long offset() {
    return offset;
  }
}
