package io.vers.io;

import io.vers.api.CorruptIndexException;
import io.vers.api.Index;
import io.vers.api.IndexProvider;
import io.vers.api.IndexSnapshot;
import io.vers.api.Indexes;
import io.vers.api.UnknownAlgorithmException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Saves indexes to files or streams and loads them back, for every algorithm: an index is written
 * as its snapshot ({@link Index#withSnapshot}), and the algorithm named in the file is found by name
 * through {@link Indexes} (so its module must be on the class path) and restores the index. The
 * format is described in the {@link io.vers.io package documentation}.
 *
 * <pre>{@code
 * IndexIO.save(index, Path.of("products.vers"));
 * Index loaded = IndexIO.load(Path.of("products.vers"));
 * HnswIndex hnsw = IndexIO.load(Path.of("products.vers"), HnswIndex.class);
 * IndexFileHeader header = IndexIO.readHeader(Path.of("products.vers"));   // cheap: no arrays read
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Saving to a path is atomic: readers and crashes see the previous file or the complete new one.
 *       A failed save leaves the previous file as it was and removes its temporary file.
 *   <li>Nothing is handed out before the whole file's CRC32C checksum has been verified; a damaged,
 *       truncated or foreign file fails with a {@link CorruptIndexException} saying what is wrong.
 *   <li>A file never makes vers load or instantiate a class: only the array types vers registers
 *       with Kryo can be named, and algorithms are looked up by name among the installed providers.
 *   <li>No length in the data can force a large allocation: loading a path checks every length
 *       against the file's size before allocating; loading a stream allocates large arrays as their
 *       bytes arrive (see below).
 * </ul>
 *
 * <h2>Memory</h2>
 * Saving an index reads its large arrays in place ({@link Index#withSnapshot}) through two 1 MiB
 * buffers, so it needs no copy of the index; an algorithm may copy its small arrays (for HNSW, the
 * upper-level links, levels and tombstones: a few percent of the index). Loading a path allocates
 * each array once, at its final size, and reads the file into it through a 1 MiB buffer; the provider
 * then adopts the arrays. Loading a stream cannot
 * check lengths against a size in advance, so arrays above 16 MiB grow as their bytes arrive, which
 * may briefly need up to twice such an array; prefer the path methods for large indexes.
 *
 * <h2>Thread safety</h2>
 * Every method is thread-safe and holds no state between calls. {@link #save} may run while other
 * threads search and write the index: the file holds the state of one instant. Searches go on during
 * the save; writes wait while the index's bytes are written (not while the file is forced to the
 * device). Concurrent saves to
 * one path each write their own temporary file; the last to finish is the one left in place.
 */
public final class IndexIO {
  private IndexIO() {}

  // ---------------------------------------------------------------- save

  /**
   * Saves {@code index} to {@code path} atomically, replacing any existing file. The bytes go to a
   * temporary file {@code .NAME.HEX.tmp} beside the target, which is forced to the device and renamed
   * over it. A process killed during a save leaves that temporary file behind; the next save of the
   * same target deletes such leftovers (files no live save holds a lock on, unwritten for 10 seconds).
   * If {@code path} is a symbolic link of the saving user (or of its directory's owner), the file it
   * points to is replaced and the link stays; a link someone else planted in a shared directory is
   * replaced itself. A replaced file keeps its POSIX permissions.
   *
   * @throws FileSystemException if {@code path} is a directory, or the directory cannot be written
   * @throws IOException if writing fails; the previous file, if any, is then unchanged
   */
  public static void save(Index index, Path path) throws IOException {
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(path, "path");
    AtomicFile.write(path, out -> index.withSnapshot(snapshot -> write(snapshot, out)));
  }

  /**
   * Writes {@code index} to {@code out} and flushes it; the stream is not closed. Not atomic: on
   * failure the stream holds part of an index, which loading rejects.
   */
  public static void save(Index index, OutputStream out) throws IOException {
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(out, "out");
    index.withSnapshot(snapshot -> write(snapshot, out));
  }

  /**
   * Saves a snapshot to {@code path} atomically, replacing any existing file.
   *
   * @throws IllegalArgumentException if the snapshot exceeds the format's limits on names and counts
   */
  public static void saveSnapshot(IndexSnapshot snapshot, Path path) throws IOException {
    Objects.requireNonNull(path, "path");
    HeaderCodec.checkWritable(snapshot);
    AtomicFile.write(path, out -> IndexFormat.write(snapshot, out));
  }

  /** Writes a snapshot to {@code out} and flushes it; the stream is not closed. */
  public static void saveSnapshot(IndexSnapshot snapshot, OutputStream out) throws IOException {
    Objects.requireNonNull(out, "out");
    write(snapshot, out);
  }

  private static Void write(IndexSnapshot snapshot, OutputStream out) throws IOException {
    HeaderCodec.checkWritable(snapshot);
    IndexFormat.write(snapshot, out);
    return null;
  }

  // ---------------------------------------------------------------- load

  /**
   * Loads the index saved at {@code path}, of whichever algorithm the file names.
   *
   * @throws CorruptIndexException if the file is not a vers index, is truncated or damaged, or its
   *     state is inconsistent ({@link IndexFormatTooNewException} if a newer vers wrote it)
   * @throws UnknownAlgorithmException if the file's algorithm is not on the class path; the message
   *     names the module to add
   * @throws FileSystemException if {@code path} is a directory ({@link java.nio.file.NoSuchFileException}
   *     if it does not exist)
   * @throws IndexTooLargeForHeapException if the file's arrays alone take more than the JVM's maximum
   *     heap; nothing was allocated
   */
  public static Index load(Path path) throws IOException {
    IndexSnapshot snapshot = readFile(path, IndexIO::readIndexPayload);
    return restore(Indexes.provider(snapshot.algorithm()), snapshot, path.toString());
  }

  /**
   * Loads the index saved at {@code path} as a {@code type}.
   *
   * @throws ClassCastException if the file holds an index of another class
   * @see #load(Path)
   */
  public static <T extends Index> T load(Path path, Class<T> type) throws IOException {
    return cast(load(path), type, path.toString());
  }

  /**
   * Reads one index from {@code in}, leaving the stream just after it (not closed), so several
   * indexes can be read from one stream in turn.
   *
   * @see #load(Path)
   */
  public static Index load(InputStream in) throws IOException {
    IndexSnapshot snapshot = readIndexPayload(new ChecksumReader(in, STREAM, -1));
    return restore(Indexes.provider(snapshot.algorithm()), snapshot, STREAM);
  }

  /** Reads one index from {@code in} as a {@code type}. */
  public static <T extends Index> T load(InputStream in, Class<T> type) throws IOException {
    return cast(load(in), type, STREAM);
  }

  /**
   * Reads the snapshot saved at {@code path} without restoring an index, checking the file's
   * integrity but not the algorithm's state; the algorithm need not be on the class path.
   */
  public static IndexSnapshot loadSnapshot(Path path) throws IOException {
    return readFile(path, r -> IndexFormat.readPayload(r, IndexFormat.readHeader(r)));
  }

  /** Reads one snapshot from {@code in}, leaving the stream just after it. */
  public static IndexSnapshot loadSnapshot(InputStream in) throws IOException {
    ChecksumReader r = new ChecksumReader(in, STREAM, -1);
    return IndexFormat.readPayload(r, IndexFormat.readHeader(r));
  }

  // ---------------------------------------------------------------- inspect

  /**
   * Reads the header of the index saved at {@code path}: format and algorithm versions, dimension,
   * metric, size, parameters and the array directory. Reads only the header, whose own checksum is
   * verified, and checks that the file has the length the header describes; the arrays are not read
   * (see {@link #verify}). The algorithm need not be on the class path.
   */
  public static IndexFileHeader readHeader(Path path) throws IOException {
    return readFile(path, IndexFormat::readHeader);
  }

  /** Reads the header of the index at the start of {@code in}, leaving the stream after the header. */
  public static IndexFileHeader readHeader(InputStream in) throws IOException {
    return IndexFormat.readHeader(new ChecksumReader(in, STREAM, -1));
  }

  /**
   * Reads the whole file at {@code path} and verifies its checksums without keeping the arrays, in
   * constant memory.
   *
   * @return the header
   * @throws CorruptIndexException if the file is damaged
   */
  public static IndexFileHeader verify(Path path) throws IOException {
    return readFile(path, r -> {
      IndexFileHeader header = IndexFormat.readHeader(r);
      IndexFormat.skipPayload(r, header);
      return header;
    });
  }

  // ---------------------------------------------------------------- internals

  private static final String STREAM = "the stream";

  /** Reads from the file at {@code path}, whose size bounds every length. */
  private static <T> T readFile(Path path, Reading<T> reading) throws IOException {
    if (Files.isDirectory(path)) {
      throw new FileSystemException(path.toString(), null, "is a directory, not a vers index file");
    }
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      return reading.read(new ChecksumReader(Channels.newInputStream(channel), path.toString(), channel.size()));
    }
  }

  private interface Reading<T> {
    T read(ChecksumReader reader) throws IOException;
  }

  /**
   * Reads an index's header, makes sure its algorithm is on the class path before reading further,
   * then reads the payload.
   */
  private static IndexSnapshot readIndexPayload(ChecksumReader r) throws IOException {
    IndexFileHeader header = IndexFormat.readHeader(r);
    requireProvider(header, r.source());
    return IndexFormat.readPayload(r, header);
  }

  /** Fails with an exception naming the file and the module to add if the header's algorithm is missing. */
  private static void requireProvider(IndexFileHeader header, String source) {
    try {
      Indexes.provider(header.algorithm());
    } catch (UnknownAlgorithmException e) {
      UnknownAlgorithmException missing = new UnknownAlgorithmException(header.algorithm(),
          source + " holds a '" + header.algorithm() + "' index (" + header.size() + " vectors of dimension "
              + header.dimension() + "), which this class path cannot load: " + e.getMessage());
      missing.initCause(e);
      throw missing;
    }
  }

  /**
   * Hands a verified snapshot to its provider. A provider rejects inconsistent state with a
   * {@link CorruptIndexException}; any unchecked exception it throws on this data is reported the same
   * way, since the data, not the caller, is at fault.
   */
  static Index restore(IndexProvider provider, IndexSnapshot snapshot, String source) throws CorruptIndexException {
    Index index;
    try {
      index = provider.restore(snapshot);
    } catch (CorruptIndexException e) {
      throw new CorruptIndexException(source + " holds an inconsistent '" + snapshot.algorithm() + "' index: "
          + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new CorruptIndexException(source + " holds a '" + snapshot.algorithm() + "' index its provider cannot"
          + " restore: " + e, e);
    }
    return Objects.requireNonNull(index, () -> "the '" + provider.name() + "' provider restored no index");
  }

  private static <T extends Index> T cast(Index index, Class<T> type, String source) {
    if (!type.isInstance(index)) {
      throw new ClassCastException(source + " holds a '" + index.algorithm() + "' index (" + index.getClass().getName()
          + "), not a " + type.getName());
    }
    return type.cast(index);
  }
}
