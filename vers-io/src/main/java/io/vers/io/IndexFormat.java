package io.vers.io;

import com.google.common.collect.ImmutableMap;
import io.vers.api.CorruptIndexException;
import io.vers.api.IndexSnapshot;
import io.vers.api.SnapshotArray;
import io.vers.spi.Messages;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The frame of the vers index format (see the package documentation): prefix, header, header
 * checksum, arrays, footer. Writes a snapshot and reads one back, verifying both checksums and every
 * length on the way.
 */
final class IndexFormat {
  /** The first eight bytes of every file. */
  static final byte[] MAGIC = {(byte) 0x89, 'V', 'E', 'R', 'S', '\r', '\n', 0x1A};
  /** The format version this code writes, and the newest it reads. */
  static final int VERSION = 1;
  /** Magic, format version, header length. */
  static final int PREFIX_BYTES = MAGIC.length + 2 * Integer.BYTES;
  /** The largest header body accepted. */
  static final int MAX_HEADER_BYTES = 1 << 20;
  /** Marks the end of the arrays; followed by the file checksum. */
  static final byte[] FOOTER_MAGIC = {'V', 'E', 'N', 'D'};
  static final int FOOTER_BYTES = FOOTER_MAGIC.length + Integer.BYTES;

  private IndexFormat() {}

  /** Writes {@code snapshot}, which must have passed {@link HeaderCodec#checkWritable}, and flushes. */
  static void write(IndexSnapshot snapshot, OutputStream out) throws IOException {
    byte[] body = HeaderCodec.encode(snapshot);
    ChecksumWriter w = new ChecksumWriter(out);
    w.write(MAGIC);
    w.writeInt(VERSION);
    w.writeInt(body.length);
    w.write(body);
    w.writeInt(w.checksum());
    for (SnapshotArray array : snapshot.arrays().values()) {
      w.writeArray(array);
    }
    w.write(FOOTER_MAGIC);
    w.writeInt(w.checksum());
    w.flush();
  }

  /**
   * Reads the prefix and header and verifies the header checksum; then checks the format version and
   * decodes the header. When the source's length is known, it must be exactly the length the header
   * describes.
   */
  static IndexFileHeader readHeader(ChecksumReader r) throws IOException {
    String source = r.source();
    byte[] prefix = new byte[PREFIX_BYTES];
    int n = r.readAvailable(prefix, 0, PREFIX_BYTES);
    if (n == 0) {
      throw new CorruptIndexException(source + " is empty; expected a vers index");
    }
    int magicBytes = Math.min(n, MAGIC.length);
    if (!Arrays.equals(prefix, 0, magicBytes, MAGIC, 0, magicBytes)) {
      throw new CorruptIndexException(source + " is not a vers index: it starts with " + hex(prefix, magicBytes)
          + " where a vers index starts with " + hex(MAGIC, MAGIC.length));
    }
    if (n < PREFIX_BYTES) {
      throw r.truncated("the file prefix", PREFIX_BYTES - n);
    }
    int version = littleEndianInt(prefix, MAGIC.length);
    int headerBytes = littleEndianInt(prefix, MAGIC.length + Integer.BYTES);
    if (headerBytes < 1 || headerBytes > MAX_HEADER_BYTES) {
      throw new CorruptIndexException(source + " is damaged: its header length " + Integer.toUnsignedString(headerBytes)
          + " is outside [1, " + MAX_HEADER_BYTES + "]");
    }
    long headerEnd = PREFIX_BYTES + headerBytes + Integer.BYTES;
    if (r.length() >= 0 && r.length() < headerEnd) {
      throw new CorruptIndexException(source + " is truncated: it has " + r.length() + " bytes but its header alone"
          + " needs " + headerEnd);
    }
    byte[] body = r.readBytes(headerBytes, "the header");
    int computed = r.checksum();
    int stored = r.readInt("the header checksum");
    if (stored != computed) {
      throw new CorruptIndexException(source + " is damaged: header checksum mismatch (stored " + hex(stored)
          + ", computed " + hex(computed) + ")");
    }
    if (version > VERSION) {
      throw new IndexFormatTooNewException(source, version, VERSION);
    }
    if (version < 1) {
      throw new CorruptIndexException(source + " declares format version " + version + ", which no vers writes");
    }
    IndexFileHeader header = HeaderCodec.decode(body, version, headerEnd, source);
    if (r.length() >= 0 && r.length() != header.fileBytes()) {
      throw new CorruptIndexException(r.length() < header.fileBytes()
          ? source + " is truncated: its header describes " + header.fileBytes() + " bytes but it has " + r.length()
          : source + " has " + (r.length() - header.fileBytes()) + " unexpected bytes after the "
              + header.fileBytes() + " bytes its header describes");
    }
    return header;
  }

  /**
   * Reads the arrays {@code header} describes and the footer, and verifies the file checksum; only then
   * returns the snapshot. From a file, first refuses arrays that could never fit the heap.
   *
   * @throws IndexTooLargeForHeapException if the file's arrays take more than {@link Runtime#maxMemory()}
   */
  static IndexSnapshot readPayload(ChecksumReader r, IndexFileHeader header) throws IOException {
    if (r.length() >= 0) { // a file: its length matches the header, so these are the arrays' true sizes
      long bytes = 0;
      for (IndexFileHeader.ArrayInfo info : header.arrays()) {
        bytes += info.bytes();
      }
      long maxHeap = Runtime.getRuntime().maxMemory();
      if (bytes > maxHeap) {
        throw new IndexTooLargeForHeapException(r.source(), bytes, maxHeap);
      }
    }
    ImmutableMap.Builder<String, Object> arrays = ImmutableMap.builderWithExpectedSize(header.arrays().size());
    for (IndexFileHeader.ArrayInfo info : header.arrays()) {
      ArrayKind kind = ArrayKind.of(info.type());
      arrays.put(info.name(), r.readArray(kind, info.length(), "array " + Messages.quote(info.name())));
    }
    readFooter(r);
    IndexSnapshot.Builder b = IndexSnapshot.builder(
        header.algorithm(), header.stateVersion(), header.dimension(), header.metric(), header.size());
    header.parameters().forEach(b::parameter);
    header.scalars().forEach(b::scalar);
    arrays.buildOrThrow().forEach(b::array);
    return b.build();
  }

  /** Reads the arrays without keeping them, and the footer, verifying the file checksum. */
  static void skipPayload(ChecksumReader r, IndexFileHeader header) throws IOException {
    for (IndexFileHeader.ArrayInfo info : header.arrays()) {
      r.skip(info.bytes(), "array " + Messages.quote(info.name()));
    }
    readFooter(r);
  }

  private static void readFooter(ChecksumReader r) throws IOException {
    byte[] marker = r.readBytes(FOOTER_MAGIC.length, "the footer");
    int computed = r.checksum();
    int stored = r.readInt("the footer checksum");
    if (stored != computed) {
      throw new CorruptIndexException(r.source() + " is damaged: checksum mismatch (stored " + hex(stored)
          + ", computed " + hex(computed) + ")");
    }
    if (!Arrays.equals(marker, FOOTER_MAGIC)) {
      throw new CorruptIndexException(r.source() + " is damaged: the footer marker is " + hex(marker, marker.length)
          + " instead of " + hex(FOOTER_MAGIC, FOOTER_MAGIC.length));
    }
  }

  static int littleEndianInt(byte[] bytes, int offset) {
    return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8 | (bytes[offset + 2] & 0xFF) << 16
        | (bytes[offset + 3] & 0xFF) << 24;
  }

  private static String hex(int value) {
    return String.format("0x%08x", value);
  }

  private static String hex(byte[] bytes, int count) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < count; i++) {
      sb.append(i == 0 ? "" : " ").append(String.format("%02X", bytes[i] & 0xFF));
    }
    return sb.toString();
  }
}
