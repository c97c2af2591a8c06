package io.vers.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file atomically: the content goes to a new temporary file in the target's directory,
 * which is flushed and forced to the storage device, then renamed over the target in one atomic
 * step, and the directory is forced too. Readers see the old file or the new one, never a mix. If
 * anything fails before the rename, the temporary file is deleted and the target is untouched.
 *
 * <p>The temporary file is named {@code .<target name>.<random>.tmp} (the name cut to 100 characters)
 * and created with the default
 * permissions for new files. A crash (power loss, kill -9) during a save can leave such a file
 * behind; it is never mistaken for the target.
 */
final class AtomicFile {
  /** Writes the content. */
  interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Characters of the target's name kept in the temporary name, so it stays within name limits. */
  private static final int MAX_NAME_PREFIX = 100;

  private AtomicFile() {}

  static void write(Path target, Content content) throws IOException {
    Path absolute = target.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      throw new FileSystemException(target.toString(), null, "is a directory; give a file name to save to");
    }
    Path directory = absolute.getParent();
    Path temp = null;
    boolean moved = false;
    try {
      FileChannel channel = null;
      for (int attempt = 0; channel == null; attempt++) {
        String name = absolute.getFileName().toString();
        temp = directory.resolve("." + name.substring(0, Math.min(name.length(), MAX_NAME_PREFIX)) + "."
            + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".tmp");
        try {
          channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
          temp = null;
          if (attempt >= 10) {
            throw e;
          }
        }
      }
      try (FileChannel ch = channel) {
        content.writeTo(Channels.newOutputStream(ch));
        ch.force(true);
      }
      Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      moved = true;
    } catch (Throwable t) {
      if (temp != null && !moved) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          t.addSuppressed(e);
        }
      }
      throw t;
    }
    forceDirectory(directory);
  }

  /**
   * Forces the directory entry of the rename to the device. Not every platform can open a directory
   * (Windows cannot); there the rename's durability is up to the file system, and the failure to open
   * is ignored: the new file is already in place.
   */
  private static void forceDirectory(Path directory) {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // The file has been replaced; only the durability of the directory entry is left to the OS.
    }
  }
}
