package io.vers.io;

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

  /** Writes every element of {@code array}, which is of {@code kind}, little-endian. */
  void writeArray(ArrayKind kind, Object array) throws IOException {
    int length = kind.length(array);
    if (kind == ArrayKind.BYTE) {
      write((byte[]) array, 0, length);
      return;
    }
    int perChunk = CHUNK_BYTES / kind.elementBytes;
    for (int from = 0; from < length; from += perChunk) {
      int count = Math.min(perChunk, length - from);
      kind.encode(array, from, count, chunkBuffer);
      write(chunk, 0, count * kind.elementBytes);
    }
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
