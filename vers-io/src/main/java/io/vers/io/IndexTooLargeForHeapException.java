package io.vers.io;

import java.io.IOException;

/**
 * A file's arrays need more memory than this JVM's heap can ever hold ({@link Runtime#maxMemory()}),
 * so loading it was refused before anything was allocated. The file may well be intact: running with a
 * larger {@code -Xmx} loads it.
 */
public final class IndexTooLargeForHeapException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long bytesNeeded;
  private final long maxHeapBytes;

  IndexTooLargeForHeapException(String source, long bytesNeeded, long maxHeapBytes) {
    super(source + " holds " + mib(bytesNeeded) + " of arrays, more than the " + mib(maxHeapBytes)
        + " this JVM's heap can hold (-Xmx); start the JVM with -Xmx above " + mib(bytesNeeded) + " to load it");
    this.bytesNeeded = bytesNeeded;
    this.maxHeapBytes = maxHeapBytes;
  }

  private static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  /** The bytes the file's arrays take in memory. */
  public long bytesNeeded() {
    return bytesNeeded;
  }

  /** This JVM's maximum heap, {@link Runtime#maxMemory()}, when the load was refused. */
  public long maxHeapBytes() {
    return maxHeapBytes;
  }
}
