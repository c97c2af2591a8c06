package io.vers.io;

import io.vers.api.CorruptIndexException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Reads exactly the bytes asked for from a stream, keeping a running CRC32C of everything read and
 * turning a premature end into a {@link CorruptIndexException} that says where the data stops. Never
 * reads ahead, so the stream is left just after the last byte requested. Not thread-safe.
 *
 * <h2>Allocation policy</h2>
 * When the total length is known (a file), an array longer than the bytes that remain is refused
 * before anything is allocated, and an accepted array is allocated once at its final length and
 * filled in place. When the length is unknown (a stream), a declared length cannot be checked in
 * advance, so arrays above {@link #EAGER_ARRAY_BYTES} are allocated progressively, at most doubling
 * the elements already received: a lying length costs at most about twice the bytes that actually
 * arrive (plus {@code EAGER_ARRAY_BYTES}) before the end of the stream is detected, and an honest one
 * briefly needs up to twice the array while it grows.
 */
final class ChecksumReader {
  /** Unknown-length sources allocate arrays up to this size directly, larger ones progressively. */
  static final int EAGER_ARRAY_BYTES = 16 << 20;

  private final InputStream in;
  private final String source;
  private final long length;
  private final CRC32C crc = new CRC32C();
  private final byte[] chunk = new byte[ChecksumWriter.CHUNK_BYTES];
  private final ByteBuffer chunkBuffer = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
  private long position;

  /**
   * @param source names the data in messages, for example the file's path
   * @param length the total number of bytes the source holds, or -1 if unknown
   */
  ChecksumReader(InputStream in, String source, long length) {
    this.in = in;
    this.source = source;
    this.length = length;
  }

  String source() {
    return source;
  }

  /** The total length of the source, or -1 if unknown. */
  long length() {
    return length;
  }

  /** Bytes read so far. */
  long position() {
    return position;
  }

  /** The CRC32C of every byte read so far. */
  int checksum() {
    return (int) crc.getValue();
  }

  /** Reads up to {@code count} bytes, fewer only at the end of the data; returns how many. */
  int readAvailable(byte[] bytes, int offset, int count) throws IOException {
    int n = in.readNBytes(bytes, offset, count);
    crc.update(bytes, offset, n);
    position += n;
    return n;
  }

  /** Reads exactly {@code count} bytes. */
  void readFully(byte[] bytes, int offset, int count, String what) throws IOException {
    int n = readAvailable(bytes, offset, count);
    if (n < count) {
      throw truncated(what, count - n);
    }
  }

  byte[] readBytes(int count, String what) throws IOException {
    byte[] bytes = new byte[count];
    readFully(bytes, 0, count, what);
    return bytes;
  }

  /** Reads four little-endian bytes. */
  int readInt(String what) throws IOException {
    readFully(chunk, 0, Integer.BYTES, what);
    chunkBuffer.clear();
    return chunkBuffer.getInt(0);
  }

  /**
   * Reads an array of {@code count} elements of {@code kind}, straight into its final array.
   *
   * @param what names the array in messages
   */
  Object readArray(ArrayKind kind, int count, String what) throws IOException {
    long bytes = (long) count * kind.elementBytes;
    if (length >= 0 && bytes > length - position) {
      throw new CorruptIndexException(source + " is truncated or damaged: " + what + " needs " + bytes
          + " bytes at offset " + position + " but only " + (length - position) + " remain");
    }
    int capacity = length >= 0 || bytes <= EAGER_ARRAY_BYTES ? count : EAGER_ARRAY_BYTES / kind.elementBytes;
    Object array = kind.allocate(capacity);
    int perChunk = chunk.length / kind.elementBytes;
    int done = 0;
    while (done < count) {
      if (done == capacity) {
        capacity = (int) Math.min(count, 2L * capacity);
        array = kind.resize(array, capacity);
      }
      int n = Math.min(perChunk, capacity - done);
      if (kind == ArrayKind.BYTE) {
        readFully((byte[]) array, done, n, what);
      } else {
        readFully(chunk, 0, n * kind.elementBytes, what);
        kind.decode(chunkBuffer, array, done, n);
      }
      done += n;
    }
    return array;
  }

  /** Reads and checksums {@code bytes} bytes without keeping them. */
  void skip(long bytes, String what) throws IOException {
    long left = bytes;
    while (left > 0) {
      int n = (int) Math.min(chunk.length, left);
      readFully(chunk, 0, n, what);
      left -= n;
    }
  }

  /** An exception for data that ends {@code missing} bytes short while reading {@code what}. */
  CorruptIndexException truncated(String what, long missing) {
    return new CorruptIndexException(source + " is truncated: it ends after " + position + " bytes, " + missing
        + " bytes short of the end of " + what);
  }
}
