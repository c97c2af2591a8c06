package io.vers.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.Index;
import io.vers.api.IndexSnapshot;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A save that fails part way leaves the previous file loadable and no temporary file behind. */
class AtomicSaveTest {
  @TempDir Path dir;
  Path target;
  Index first;
  byte[] firstBytes;
  IndexSnapshot second;
  int secondLength;

  @BeforeEach
  void saveTheFirstVersion() throws IOException {
    target = dir.resolve("index.vers");
    first = TestFiles.smallFlat(50, 8, 1);
    IndexIO.save(first, target);
    firstBytes = Files.readAllBytes(target);
    Index bigger = TestFiles.smallFlat(2000, 8, 2);
    second = bigger.snapshot();
    secondLength = TestFiles.bytesOf(bigger).length;
  }

  @Test
  void aSaveFailingAfterAnyNumberOfBytesKeepsThePreviousFile() throws IOException {
    for (long limit : new long[] {0, 1, 15, 16, 100, secondLength / 2, secondLength - 5, secondLength - 1}) {
      IOException e = assertThrows(IOException.class,
          () -> AtomicFile.write(target, out -> IndexFormat.write(second, new FailingAfter(out, limit))),
          "failure after " + limit + " bytes");
      assertEquals(FailingAfter.MESSAGE, e.getMessage());
      assertPreviousFileIntact("failure after " + limit + " of " + secondLength + " bytes");
    }
  }

  @Test
  void anUncheckedFailureAlsoCleansUp() throws IOException {
    assertThrows(IllegalStateException.class, () -> AtomicFile.write(target, out -> {
      out.write(new byte[1000]);
      throw new IllegalStateException("snapshot failed");
    }));
    assertPreviousFileIntact("unchecked failure");
  }

  @Test
  void anInterruptedSaveKeepsThePreviousFile() throws IOException {
    Thread.currentThread().interrupt();
    try {
      assertThrows(ClosedByInterruptException.class, () -> IndexIO.saveSnapshot(second, target));
    } finally {
      assertTrue(Thread.interrupted(), "the interrupt is left for the caller");
    }
    assertPreviousFileIntact("interrupted save");
  }

  @Test
  void anIndexStaysWritableAfterAFailedSave() throws Exception {
    Index index = TestFiles.smallFlat(2000, 8, 2);
    assertThrows(IOException.class, () -> IndexIO.save(index, new FailingAfter(OutputStream.nullOutputStream(), 5000)));
    Thread.currentThread().interrupt();
    try {
      assertThrows(ClosedByInterruptException.class, () -> IndexIO.save(index, target));
    } finally {
      assertTrue(Thread.interrupted());
    }
    assertPreviousFileIntact("interrupted save of an index");
    index.add(-1, new float[8]);
    Thread writer = new Thread(() -> index.add(-2, new float[8]));
    writer.start();
    writer.join(30_000);
    assertFalse(writer.isAlive(), "a writer on another thread waits after a failed save");
    assertEquals(2002, index.size());
  }

  @Test
  void aFailedFirstSaveLeavesNothing() throws IOException {
    Path fresh = dir.resolve("fresh.vers");
    assertThrows(IOException.class,
        () -> AtomicFile.write(fresh, out -> IndexFormat.write(second, new FailingAfter(out, 500))));
    assertFalse(Files.exists(fresh));
    assertEquals(List.of("index.vers"), listing());
  }

  @Test
  void aSuccessfulSaveReplacesTheFile() throws IOException {
    IndexIO.saveSnapshot(second, target);
    assertEquals(2000, IndexIO.load(target).size());
    assertEquals(secondLength, Files.size(target));
    assertEquals(List.of("index.vers"), listing());
  }

  @Test
  void aDirectoryIsNeverReplaced() throws IOException {
    Path sub = Files.createDirectory(dir.resolve("sub"));
    FileSystemException e = assertThrows(FileSystemException.class, () -> IndexIO.save(first, sub));
    assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    assertTrue(Files.isDirectory(sub));
    assertEquals(List.of("index.vers", "sub"), listing());
  }

  @Test
  void aLongFileNameStillGetsATemporaryFile() throws IOException {
    Path longName = dir.resolve("x".repeat(240) + ".vers");
    IndexIO.save(first, longName);
    assertEquals(50, IndexIO.load(longName).size());
    assertEquals(List.of("index.vers", longName.getFileName().toString()), listing());
  }

  @Test
  void longNamesOutsideAsciiGetTemporaryFilesWithinTheNameLimit() throws IOException {
    Path cjk = dir.resolve("\u7d22\u5f15".repeat(40) + ".vers"); // 245 bytes in UTF-8
    Path emoji = dir.resolve("a" + "\ud83d\ude00".repeat(60) + ".vers"); // the 100-byte cut falls inside a pair
    for (Path name : List.of(cjk, emoji)) {
      IndexIO.save(first, name);
      IndexIO.save(first, name); // the second save replaces the first through a new temporary file
      assertEquals(50, IndexIO.load(name).size());
    }
    assertEquals(3, listing().size());
  }

  @Test
  void longNamesSharingTheirFirstHundredBytesDoNotShareTemporaryFiles() {
    String start = "x".repeat(120);
    String a = AtomicFile.tempPrefix(dir.resolve(start + "a.vers"));
    String b = AtomicFile.tempPrefix(dir.resolve(start + "b.vers"));
    assertFalse(a.startsWith(b) || b.startsWith(a), a + " / " + b);
    assertTrue(a.getBytes(StandardCharsets.UTF_8).length <= 112, a);
    assertEquals(".index.vers.", AtomicFile.tempPrefix(dir.resolve("index.vers")));
  }

  @Test
  void concurrentSavesToOnePathAllSucceed() throws Exception {
    Index other = TestFiles.smallFlat(60, 8, 5);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> saves = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Index index = t % 2 == 0 ? first : other;
        saves.add(pool.submit(() -> {
          for (int i = 0; i < 150; i++) {
            IndexIO.save(index, target);
          }
          return null;
        }));
      }
      for (Future<?> save : saves) {
        save.get(); // rethrows what any save threw
      }
    } finally {
      pool.shutdownNow();
    }
    int size = IndexIO.load(target).size();
    assertTrue(size == 50 || size == 60, "size " + size);
    assertEquals(List.of("index.vers"), listing());
  }

  @Test
  void aSymbolicLinkStaysAndItsFileIsReplaced() throws IOException {
    Path real = dir.resolve("data").resolve("real.vers");
    Files.createDirectories(real.getParent());
    IndexIO.save(first, real);
    Path link = Files.createSymbolicLink(dir.resolve("link.vers"), Path.of("data", "real.vers"));
    Index bigger = TestFiles.smallFlat(70, 8, 6);
    IndexIO.save(bigger, link);
    assertTrue(Files.isSymbolicLink(link), "the link is still a link");
    assertEquals(70, IndexIO.load(real).size());
    Path dangling = Files.createSymbolicLink(dir.resolve("next.vers"), Path.of("data", "next.vers"));
    IndexIO.save(bigger, dangling);
    assertTrue(Files.isSymbolicLink(dangling));
    assertEquals(70, IndexIO.load(dir.resolve("data").resolve("next.vers")).size());
  }

  @Test
  void aLinkAnotherUserPlantedIsReplacedNotFollowed() throws IOException {
    Path victim = dir.resolve("mine.vers");
    IndexIO.save(first, victim);
    Path planted = Files.createSymbolicLink(dir.resolve("planted.vers"), victim.getFileName());
    try {
      UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
      Files.getFileAttributeView(planted, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setOwner(nobody);
    } catch (IOException | UnsupportedOperationException e) {
      Assumptions.abort("cannot give a link to another user here (needs root): " + e);
    }
    IndexIO.save(TestFiles.smallFlat(70, 8, 6), planted);
    assertFalse(Files.isSymbolicLink(planted), "the planted link was replaced by the saved file");
    assertEquals(70, IndexIO.load(planted).size());
    assertArrayEquals(firstBytes, Files.readAllBytes(victim), "the file the link pointed to is untouched");
  }

  @Test
  void aReplacedFileKeepsItsPermissions() throws IOException {
    Assumptions.assumeTrue(Files.getFileAttributeView(target, PosixFileAttributeView.class) != null, "POSIX");
    Path fresh = Files.createFile(dir.resolve("fresh"));
    Set<PosixFilePermission> chosen = PosixFilePermissions.fromString(
        Files.getPosixFilePermissions(fresh).contains(PosixFilePermission.OTHERS_READ) ? "rw-------" : "rw-r--r--");
    Files.delete(fresh);
    Files.setPosixFilePermissions(target, chosen); // not what a new file gets here
    IndexIO.save(TestFiles.smallFlat(70, 8, 6), target);
    assertEquals(70, IndexIO.load(target).size());
    assertEquals(chosen, Files.getPosixFilePermissions(target));
  }

  @Test
  void aMissingDirectoryIsReported() {
    assertThrows(NoSuchFileException.class, () -> IndexIO.save(first, dir.resolve("no/such/dir/index.vers")));
  }

  private void assertPreviousFileIntact(String what) throws IOException {
    assertArrayEquals(firstBytes, Files.readAllBytes(target), what + ": the previous file changed");
    float[] query = new float[8];
    query[0] = 1;
    assertEquals(first.search(query, 10), IndexIO.load(target).search(query, 10), what);
    assertEquals(List.of("index.vers"), listing(), what + ": leftover files");
  }

  private List<String> listing() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  /** Passes through {@code limit} bytes, then fails as a full disk would. */
  static final class FailingAfter extends FilterOutputStream {
    static final String MESSAGE = "No space left on device (simulated)";
    private long left;

    FailingAfter(OutputStream out, long limit) {
      super(out);
      this.left = limit;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      int n = (int) Math.min(len, left);
      out.write(b, off, n);
      left -= n;
      if (n < len) {
        throw new IOException(MESSAGE);
      }
    }
  }
}
