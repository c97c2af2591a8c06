package io.vers.bench.data;

import io.vers.api.ProgressListener;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Buffered reading of fixed-width numbers from a binary file, gzip-compressed or not (detected from the
 * file's first two bytes), in one byte order. Tracks the offset in the (uncompressed) data so that
 * every {@link DataFormatException} can name where the problem is. Not thread-safe.
 */
final class BinaryInput implements Closeable {
  private static final int BUFFER_BYTES = 1 << 20;

  private final Path file;
  private final FileChannel channel;
  private final ReadableByteChannel source;
  private final boolean gzip;
  private final ByteBuffer buffer;
  private final ProgressListener progress;
  private long consumedBeforeBuffer;
  private boolean eof;

  private BinaryInput(Path file, FileChannel channel, ReadableByteChannel source, boolean gzip, ByteOrder order,
      ProgressListener progress) {
    this.file = file;
    this.channel = channel;
    this.source = source;
    this.gzip = gzip;
    this.buffer = ByteBuffer.allocate(BUFFER_BYTES).order(order);
    this.buffer.limit(0);
    this.progress = progress;
  }

  /** Opens {@code file}, decompressing it when it starts with the gzip magic number. */
  static BinaryInput open(Path file, ByteOrder order, ProgressListener progress) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      ByteBuffer magic = ByteBuffer.allocate(2);
      while (magic.hasRemaining() && channel.read(magic) >= 0) {
        // read the first two bytes
      }
      channel.position(0);
      boolean gzip = magic.position() == 2 && (magic.get(0) & 0xff) == 0x1f && (magic.get(1) & 0xff) == 0x8b;
      ReadableByteChannel source = channel;
      if (gzip) {
        InputStream in;
        try {
          in = new GZIPInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16), 1 << 16);
        } catch (ZipException | EOFException e) {
          throw damagedGzip(file, 0, e);
        }
        source = Channels.newChannel(in);
      }
      return new BinaryInput(file, channel, source, gzip, order, progress);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  Path file() {
    return file;
  }

  /** Whether the data is gzip-compressed. */
  boolean gzip() {
    return gzip;
  }

  /** The size of the file on disk (compressed size for gzip files). */
  long fileSize() throws IOException {
    return channel.size();
  }

  /** The offset, in the uncompressed data, of the next byte to read. */
  long offset() {
    return consumedBeforeBuffer + buffer.position();
  }

  /** Whether every byte has been read. */
  boolean atEnd() throws IOException {
    return !ensure(1);
  }

  int readInt(String what) throws IOException {
    require(4, what);
    return buffer.getInt();
  }

  /** Reads {@code dst.length} floats, rejecting NaN and infinities. */
  void readFloats(float[] dst, String what) throws IOException {
    for (int i = 0; i < dst.length; i++) {
      require(4, what);
      long at = offset();
      float x = buffer.getFloat();
      if (!Float.isFinite(x)) {
        throw new DataFormatException(file, at, what + " has " + x + " at component " + i
            + "; every component must be a finite number");
      }
      dst[i] = x;
    }
  }

  void readInts(int[] dst, String what) throws IOException {
    for (int i = 0; i < dst.length; i++) {
      require(4, what);
      dst[i] = buffer.getInt();
    }
  }

  /** Reads {@code dst.length} unsigned bytes as floats 0 to 255. */
  void readUnsignedBytes(float[] dst, String what) throws IOException {
    for (int i = 0; i < dst.length; i++) {
      require(1, what);
      dst[i] = buffer.get() & 0xff;
    }
  }

  /** Reads {@code dst.length} signed bytes as floats -128 to 127. */
  void readSignedBytes(float[] dst, String what) throws IOException {
    for (int i = 0; i < dst.length; i++) {
      require(1, what);
      dst[i] = buffer.get();
    }
  }

  void readShorts(float[] dst, String what) throws IOException {
    for (int i = 0; i < dst.length; i++) {
      require(2, what);
      dst[i] = buffer.getShort();
    }
  }

  void readIntsAsFloats(float[] dst, String what) throws IOException {
    for (int i = 0; i < dst.length; i++) {
      require(4, what);
      dst[i] = buffer.getInt();
    }
  }

  void readDoubles(float[] dst, String what) throws IOException {
    for (int i = 0; i < dst.length; i++) {
      require(8, what);
      long at = offset();
      double x = buffer.getDouble();
      if (!Double.isFinite(x) || Math.abs(x) > Float.MAX_VALUE) {
        throw new DataFormatException(file, at, what + " has " + x + " at component " + i
            + "; every component must be a finite float");
      }
      dst[i] = (float) x;
    }
  }

  /** Reads one unsigned byte. */
  int readUnsignedByte(String what) throws IOException {
    require(1, what);
    return buffer.get() & 0xff;
  }

  /** Reports progress in bytes of the file on disk. */
  void reportProgress() throws IOException {
    progress.progress(channel.position(), channel.size());
  }

  private void require(int bytes, String what) throws IOException {
    if (!ensure(bytes)) {
      long at = offset();
      throw new DataFormatException(file, at, "file ends inside " + what + ": needed " + bytes
          + " more byte(s) but only " + buffer.remaining() + " remain; the file is truncated");
    }
  }

  private boolean ensure(int bytes) throws IOException {
    if (buffer.remaining() >= bytes) {
      return true;
    }
    if (eof) {
      return false;
    }
    consumedBeforeBuffer += buffer.position();
    buffer.compact();
    while (buffer.position() < bytes) {
      int read = read();
      if (read < 0) {
        eof = true;
        break;
      }
    }
    // Fill the rest of the buffer opportunistically for the following reads.
    while (!eof && buffer.hasRemaining()) {
      int read = read();
      if (read < 0) {
        eof = true;
      } else if (read == 0) {
        break;
      }
    }
    buffer.flip();
    return buffer.remaining() >= bytes;
  }

  /** Reads into the buffer; damaged gzip data is a {@link DataFormatException} naming where it was met. */
  private int read() throws IOException {
    try {
      return source.read(buffer);
    } catch (ZipException | EOFException e) {
      if (!gzip) {
        throw e;
      }
      throw damagedGzip(file, consumedBeforeBuffer + buffer.position(), e);
    }
  }

  private static DataFormatException damagedGzip(Path file, long offset, IOException e) {
    DataFormatException damaged = new DataFormatException(file, offset, "the gzip compression is damaged or"
        + " truncated (" + (e instanceof EOFException ? "the compressed data ends early" : e.getMessage()) + ")");
    damaged.initCause(e);
    return damaged;
  }

  @Override
  public void close() throws IOException {
    try {
      source.close();
    } finally {
      channel.close();
    }
  }
}
