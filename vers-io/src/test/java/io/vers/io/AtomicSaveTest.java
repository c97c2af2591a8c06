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
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
