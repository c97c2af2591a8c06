package io.vers.spark;

import io.vers.api.Index;
import io.vers.io.IndexIO;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * Partition index files on any Hadoop file system: each in the normal vers-io format ({@code .vers},
 * checksummed, readable by {@code vers info}), written atomically. On the local file system vers-io's own
 * atomic save is used (temporary file, forced to the device, renamed); elsewhere the bytes go to a
 * temporary file beside the target that is renamed over it once complete.
 */
final class IndexStore {
  private static final int BUFFER = 1 << 20;

  private IndexStore() {}

  /** The file name of partition {@code p}: {@code part-00007.vers}. */
  static String fileName(int partition) {
    return String.format("part-%05d.vers", partition);
  }

  /** Writes {@code index} to {@code file} atomically and returns the file's length in bytes. */
  static long save(Index index, Path file, Configuration conf) throws IOException {
    FileSystem fs = file.getFileSystem(conf);
    if (isLocal(fs)) {
      java.nio.file.Path local = local(fs, file);
      java.nio.file.Files.createDirectories(local.getParent());
      IndexIO.save(index, local);
      return java.nio.file.Files.size(local);
    }
    writeAtomically(fs, file, conf, out -> IndexIO.save(index, out));
    return fs.getFileStatus(file).getLen();
  }

  /** Loads the index in {@code file}, after vers-io has verified its checksum. */
  static Index load(Path file, Configuration conf) throws IOException {
    FileSystem fs = file.getFileSystem(conf);
    if (isLocal(fs)) {
      return IndexIO.load(local(fs, file));
    }
    try (InputStream in = new BufferedInputStream(fs.open(file), BUFFER)) {
      return IndexIO.load(in);
    }
  }

  /** Something that writes a file's bytes. */
  interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code target} through a temporary file beside it, synced to the storage ({@code hsync}) and
   * then renamed over it, so a reader sees the old file or the whole new one (on file systems whose rename
   * is atomic, as HDFS's and the local one's are; an object store's rename copies, and a reader may see
   * the target missing meanwhile). If anything fails, the temporary file is deleted and the failure is
   * what is thrown.
   */
  static void writeAtomically(FileSystem fs, Path target, Configuration conf, Writer writer) throws IOException {
    Path tmp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (FSDataOutputStream raw = fs.create(tmp, true)) {
        OutputStream out = new BufferedOutputStream(raw, BUFFER);
        writer.write(out);
        out.flush();
        raw.hsync();
      }
      FileContext.getFileContext(fs.getUri(), conf).rename(tmp, target, Options.Rename.OVERWRITE);
    } catch (Throwable t) {
      try {
        fs.delete(tmp, false);
      } catch (IOException | RuntimeException e) {
        t.addSuppressed(e);
      }
      throw t;
    }
  }

  /** Copies {@code source} to {@code target} (atomically, as {@link #writeAtomically}). */
  static void copy(Path source, Path target, Configuration conf) throws IOException {
    FileSystem from = source.getFileSystem(conf);
    FileSystem to = target.getFileSystem(conf);
    writeAtomically(to, target, conf, out -> {
      try (InputStream in = from.open(source)) {
        in.transferTo(out);
      }
    });
  }

  static boolean isLocal(FileSystem fs) {
    return "file".equals(fs.getScheme());
  }

  private static java.nio.file.Path local(FileSystem fs, Path file) {
    return java.nio.file.Paths.get(fs.makeQualified(file).toUri());
  }
}
