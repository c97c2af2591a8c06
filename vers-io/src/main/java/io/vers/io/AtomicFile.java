package io.vers.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file atomically: the content goes to a new temporary file in the target's directory,
 * which is flushed and forced to the storage device, then renamed over the target in one atomic
 * step, and the directory is forced too. Readers see the old file or the new one, never a mix. If
 * anything fails before the rename, the temporary file is deleted and the target is untouched.
 *
 * <p>The temporary file is named {@code .<target name>.<random hex>.tmp}; a name longer than 100 bytes
 * (UTF-8) is cut there, on a character boundary, and followed by a hash of the whole name, so that two
 * long names never share their temporary files. A crash (power loss, kill -9) during a save can leave
 * such a file behind; it is never mistaken for the target, and the next save of the same target
 * deletes it.
 *
 * <p>A target that is a symbolic link owned by the saving user (or by the owner of its directory) is
 * resolved first: the file it points to is replaced and the link stays. A link someone else owns, in a
 * shared directory, is replaced itself, as Linux's protected symlinks would have it. A target that exists
 * keeps its POSIX permissions (where the file system has them); its owner becomes the saving user, as
 * with any new file.
 *
 * <p>How a save knows a temporary file is a leftover and not another save's work in progress: every
 * save holds an exclusive lock on its temporary file from creation until it has been renamed, and the
 * operating system releases a lock when its process dies, however it dies. So a later save deletes a
 * temporary file of its target only when it can lock it itself and the file has not been written for
 * {@value #STALE_SECONDS} seconds (which covers the instant between a save creating its file and
 * locking it). A temporary file of another target, or one that is locked, is left alone. The saves of
 * this process never even open each other's temporary files: on some systems closing any channel to a
 * file releases every lock the process holds on it.
 */
final class AtomicFile {
  /** Writes the content. */
  interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** UTF-8 bytes of the target's name kept in the temporary name, so it stays within name limits. */
  private static final int MAX_NAME_PREFIX = 100;
  /** Links followed when resolving a target, as many as Linux follows. */
  private static final int MAX_LINKS = 40;
  /** The temporary files this process's saves have created and not yet renamed or deleted. */
  private static final Set<Path> OWN = ConcurrentHashMap.newKeySet();
  /** How long an unlocked temporary file must have been left unwritten before a save deletes it. */
  static final int STALE_SECONDS = 10;

  private AtomicFile() {}

  static void write(Path target, Content content) throws IOException {
    Path absolute = resolveLinks(target.toAbsolutePath());
    if (Files.isDirectory(absolute)) {
      throw new FileSystemException(target.toString(), null, "is a directory; give a file name to save to");
    }
    Path directory = absolute.getParent();
    String prefix = tempPrefix(absolute);
    removeStaleTemporaries(directory, prefix);
    Path temp = null;
    boolean moved = false;
    try {
      FileChannel channel = null;
      for (int attempt = 0; channel == null; attempt++) {
        temp = directory.resolve(prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".tmp");
        OWN.add(temp); // before it exists, so that no clean-up in this process opens it
        try {
          channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
          OWN.remove(temp);
          temp = null;
          if (attempt >= 10) {
            throw e;
          }
        }
      }
      try (FileChannel ch = channel; FileLock lock = lockNew(ch, temp)) {
        keepPermissions(absolute, temp);
        content.writeTo(Channels.newOutputStream(ch));
        ch.force(true);
        // renamed while still locked, so no other save can take it for a leftover
        Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        moved = true;
      }
    } catch (Throwable t) {
      if (temp != null && !moved) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          t.addSuppressed(e);
        }
      }
      throw t;
    } finally {
      if (temp != null) {
        OWN.remove(temp);
      }
    }
    forceDirectory(directory);
  }

  /**
   * The file {@code path} names once symbolic links are followed, in its last element as in its
   * directories; {@code path} itself if it is no link. A link to a file that does not exist yet resolves
   * to that file's path. A link is followed only if {@link #trusted}; an untrusted one is the target itself.
   */
  static Path resolveLinks(Path path) throws IOException {
    Path current = path;
    for (int i = 0; Files.isSymbolicLink(current) && trusted(current); i++) {
      if (i == MAX_LINKS) {
        throw new FileSystemException(path.toString(), null, "too many levels of symbolic links");
      }
      Path parent = current.getParent();
      current = parent == null ? current : parent.resolve(Files.readSymbolicLink(current));
    }
    Path parent = current.getParent();
    if (parent != null && Files.exists(parent)) {
      current = parent.toRealPath().resolve(current.getFileName());
    }
    return current;
  }

  /**
   * Whether a save follows the link {@code link}: when this process's user or the owner of the link's
   * directory owns it, the rule Linux applies in shared directories such as {@code /tmp}. A link someone
   * else planted there is replaced, as a file would be, rather than followed to a file of the saving user.
   */
  private static boolean trusted(Path link) {
    try {
      UserPrincipal owner = Files.getOwner(link, LinkOption.NOFOLLOW_LINKS);
      UserPrincipal me = link.getFileSystem().getUserPrincipalLookupService()
          .lookupPrincipalByName(System.getProperty("user.name"));
      Path parent = link.getParent();
      return owner.equals(me) || (parent != null && owner.equals(Files.getOwner(parent)));
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false; // owners unknown: the link is replaced, never followed
    }
  }

  /**
   * Gives the new file the POSIX permissions of the file it replaces, where there are both; best effort,
   * as the permissions are not the content.
   */
  private static void keepPermissions(Path target, Path temp) {
    PosixFileAttributeView old = Files.getFileAttributeView(target, PosixFileAttributeView.class);
    if (old == null || !Files.exists(target)) {
      return;
    }
    try {
      Set<PosixFilePermission> permissions = old.readAttributes().permissions();
      Files.setPosixFilePermissions(temp, permissions);
    } catch (IOException | UnsupportedOperationException e) {
      // removed meanwhile, or a file system that refuses chmod: the new file keeps the default permissions
    }
  }

  /**
   * Locks a temporary file just created. Only another save's clean-up can hold it, for an instant, so a
   * non-blocking try is retried briefly (a blocking lock would turn an interrupt into another exception
   * than the write's).
   */
  private static FileLock lockNew(FileChannel channel, Path temp) throws IOException {
    long deadline = System.nanoTime() + 1_000_000_000L;
    for (FileLock lock = tryLock(channel); ; lock = tryLock(channel)) {
      if (lock != null) {
        return lock;
      }
      if (System.nanoTime() > deadline) {
        throw new FileSystemException(temp.toString(), null, "another process keeps this new file locked");
      }
      Thread.onSpinWait();
    }
  }

  /** The lock, or null if another channel in this process or another process holds one. */
  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  /**
   * What the target's temporary files start with: {@code .<target name>.}, or for a name of more than
   * 100 UTF-8 bytes {@code .<its first 100 bytes at most, whole characters>~<hash of the name>.}.
   */
  static String tempPrefix(Path absoluteTarget) {
    String name = absoluteTarget.getFileName().toString();
    if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_PREFIX) {
      return "." + name + ".";
    }
    int end = 0;
    int bytes = 0;
    while (end < name.length()) {
      int codePoint = name.codePointAt(end);
      int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4; // in UTF-8
      if (bytes + size > MAX_NAME_PREFIX) {
        break;
      }
      bytes += size;
      end += Character.charCount(codePoint);
    }
    return "." + name.substring(0, end) + "~" + Integer.toHexString(name.hashCode()) + ".";
  }

  /**
   * Deletes the target's temporary files that no save owns: unlocked, and not written for
   * {@value #STALE_SECONDS} seconds. Best effort: a file that cannot be examined is left alone.
   */
  static void removeStaleTemporaries(Path directory, String prefix) {
    long cutoff = System.currentTimeMillis() - STALE_SECONDS * 1000L;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
        entry -> isTemporary(entry.getFileName().toString(), prefix))) {
      for (Path entry : entries) {
        if (OWN.contains(entry)) {
          continue; // a save in this process is writing it
        }
        try (FileChannel ch = FileChannel.open(entry, StandardOpenOption.WRITE)) {
          FileLock lock;
          try {
            lock = ch.tryLock();
          } catch (OverlappingFileLockException e) {
            continue; // a save in this process holds it
          }
          if (lock != null) {
            try {
              if (Files.getLastModifiedTime(entry).toMillis() < cutoff) {
                Files.delete(entry);
              }
            } finally {
              lock.release();
            }
          }
        } catch (IOException e) {
          // gone meanwhile, or not ours to open: leave it
        }
      }
    } catch (IOException | DirectoryIteratorException e) {
      // an unreadable directory: the save itself will say what is wrong
    }
  }

  private static boolean isTemporary(String name, String prefix) {
    if (!name.startsWith(prefix) || !name.endsWith(".tmp")) {
      return false;
    }
    String middle = name.substring(prefix.length(), name.length() - ".tmp".length());
    return !middle.isEmpty() && middle.length() <= 16 && middle.chars().allMatch(c -> Character.digit(c, 16) >= 0);
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
