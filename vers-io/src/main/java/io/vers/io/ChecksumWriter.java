package io.vers.io;

import io.vers.api.SnapshotArray;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Writes bytes to a stream while keeping a running CRC32C of everything written. Arrays are converted
 * to little-endian bytes a chunk at a time in one reusable buffer, so writing an array of any size
 * needs no more memory than the chunk. Not thread-safe.
 */
final class ChecksumWriter {
  /** Bytes converted and written per call to the stream. */
  static final int CHUNK_BYTES = 1 << 20;

  private final OutputStream out;
  private final CRC32C crc = new CRC32C();
  private final byte[] chunk = new byte[CHUNK_BYTES];
  private final ByteBuffer chunkBuffer = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
  /** Elements read from the current array, converted into {@link #chunk}; reallocated per type. */
  private Object scratch;
  private long written;

  ChecksumWriter(OutputStream out) {
    this.out = out;
  }

  void write(byte[] bytes) throws IOException {
    write(bytes, 0, bytes.length);
  }

  void write(byte[] bytes, int offset, int length) throws IOException {
    crc.update(bytes, offset, length);
    out.write(bytes, offset, length);
    written += length;
  }

  /** Writes {@code value} as four little-endian bytes. */
  void writeInt(int value) throws IOException {
    chunkBuffer.clear();
    chunkBuffer.putInt(value);
    write(chunk, 0, Integer.BYTES);
  }

  /**
   * Writes every element of {@code array} little-endian, a chunk at a time: elements are read into a
   * scratch array (so a view is read in place, never whole) and converted into the byte chunk.
   */
  void writeArray(SnapshotArray array) throws IOException {
    ArrayKind kind = ArrayKind.of(array.type());
    int length = array.length();
    int perChunk = CHUNK_BYTES / kind.elementBytes;
    Object elements = kind == ArrayKind.BYTE ? chunk : scratch(kind, perChunk);
    for (int from = 0; from < length; from += perChunk) {
      int count = Math.min(perChunk, length - from);
      array.read(from, elements, count);
      if (kind != ArrayKind.BYTE) {
        kind.encode(elements, 0, count, chunkBuffer);
      }
      write(chunk, 0, count * kind.elementBytes);
    }
  }

  private Object scratch(ArrayKind kind, int length) {
    if (scratch == null || scratch.getClass() != kind.type) {
      scratch = kind.allocate(length);
    }
    return scratch;
  }

  /** The CRC32C of every byte written so far. */
  int checksum() {
    return (int) crc.getValue();
  }

  /** The number of bytes written so far. */
  long written() {
    return written;
  }

  void flush() throws IOException {
    out.flush();
  }
}
