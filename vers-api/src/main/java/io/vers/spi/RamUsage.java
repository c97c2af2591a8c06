package io.vers.spi;

/**
 * Heap size estimates for {@code ramBytesUsed()}, assuming a 64-bit JVM with compressed references
 * (the default below 32 GiB of heap): 16-byte array headers, 4-byte references, 8-byte alignment.
 */
public final class RamUsage {
  /** Bytes per object reference. */
  public static final int REFERENCE = 4;
  /** Bytes of an object header. */
  public static final int OBJECT_HEADER = 12;

  private RamUsage() {}

  /** Bytes of an array header. */
  public static int arrayHeader() {
    return 16;
  }

  public static long sizeOf(float[] a) {
    return a == null ? 0 : align(arrayHeader() + 4L * a.length);
  }

  public static long sizeOf(int[] a) {
    return a == null ? 0 : align(arrayHeader() + 4L * a.length);
  }

  public static long sizeOf(long[] a) {
    return a == null ? 0 : align(arrayHeader() + 8L * a.length);
  }

  public static long sizeOf(byte[] a) {
    return a == null ? 0 : align(arrayHeader() + (long) a.length);
  }

  public static long sizeOf(boolean[] a) {
    return a == null ? 0 : align(arrayHeader() + (long) a.length);
  }

  /** An array of {@code length} references, not counting what they point to. */
  public static long sizeOfReferenceArray(int length) {
    return align(arrayHeader() + (long) REFERENCE * length);
  }

  /** Rounds up to the 8-byte object alignment. */
  public static long align(long bytes) {
    return (bytes + 7) & ~7L;
  }
}
