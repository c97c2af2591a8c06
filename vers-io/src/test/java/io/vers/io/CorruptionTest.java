package io.vers.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.CorruptIndexException;
import io.vers.api.Index;
import io.vers.api.IndexSnapshot;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.api.UnknownAlgorithmException;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged, truncated and foreign files fail with a typed exception that says what is wrong; none
 * loads, runs out of memory or hangs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CorruptionTest {
  @TempDir Path dir;
  Path file;
  byte[] good;

  @BeforeEach
  void saveASmallIndex() throws IOException {
    file = dir.resolve("small.vers");
    IndexIO.save(TestFiles.smallFlat(12, 3, 42), file);
    good = Files.readAllBytes(file);
  }

  @Test
  void theIntactFileLoads() throws IOException {
    assertEquals(12, IndexIO.load(file).size());
    assertEquals(good.length, IndexIO.verify(file).fileBytes());
  }

  @Test
  void everyTruncationIsReported() throws IOException {
    Path cut = dir.resolve("cut.vers");
    for (int length = 0; length < good.length; length++) {
      byte[] prefix = Arrays.copyOf(good, length);
      Files.write(cut, prefix);
      String at = "truncated to " + length + " of " + good.length + " bytes";
      CorruptIndexException e = corrupt(() -> IndexIO.load(cut), at);
      assertTrue(e.getMessage().startsWith(cut.toString()), at + ": " + e.getMessage());
      assertTrue(e.getMessage().contains(length == 0 ? "empty" : "truncated"), at + ": " + e.getMessage());
      corrupt(() -> IndexIO.readHeader(cut), at + ", header only");
      corrupt(() -> IndexIO.verify(cut), at + ", verify");
      corrupt(() -> IndexIO.load(new ByteArrayInputStream(prefix)), at + ", from a stream");
    }
  }

  @Test
  void everySingleBitFlipIsDetected() throws IOException {
    Path flipped = dir.resolve("flipped.vers");
    for (int offset = 0; offset < good.length; offset++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] bad = good.clone();
        bad[offset] ^= (byte) (1 << bit);
        String at = "bit " + bit + " of byte " + offset + " of " + good.length + " flipped";
        corrupt(() -> IndexIO.load(new ByteArrayInputStream(bad)), at);
        if (bit == offset % 8) {
          Files.write(flipped, bad);
          corrupt(() -> IndexIO.load(flipped), at + ", from a file");
        }
      }
    }
  }

  @Test
  void damageToTheArraysIsCaughtByTheFileChecksum() throws IOException {
    byte[] bad = good.clone();
    bad[bad.length - 20] ^= 0x10;
    Files.write(file, bad);
    IndexIO.readHeader(file);
    CorruptIndexException e = corrupt(() -> IndexIO.load(file), "payload damaged");
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    corrupt(() -> IndexIO.verify(file), "payload damaged, verify");
  }

  @Test
  void foreignFilesAreNotVersIndexes() throws IOException {
    for (byte[] foreign : List.of(
        "{\"vectors\": []}".getBytes(), new byte[] {0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
        new byte[] {(byte) 0x89, 'V', 'E', 'R', 'Z'})) {
      Files.write(file, foreign);
      CorruptIndexException e = corrupt(() -> IndexIO.load(file), new String(foreign));
      assertTrue(e.getMessage().contains("not a vers index") && e.getMessage().contains("89 56 45 52 53 0D 0A 1A"),
          e.getMessage());
    }
    byte[] textMode = good.clone();
    textMode[6] = '\n';
    textMode[5] = '\n';
    Files.write(file, textMode);
    corrupt(() -> IndexIO.load(file), "line endings converted");
  }

  @Test
  void anEmptyFileIsReportedAsEmpty() throws IOException {
    Files.write(file, new byte[0]);
    CorruptIndexException e = corrupt(() -> IndexIO.load(file), "empty");
    assertTrue(e.getMessage().contains("is empty"), e.getMessage());
  }

  @Test
  void aDirectoryOrAMissingFileIsAFileSystemError() {
    FileSystemException e = assertThrows(FileSystemException.class, () -> IndexIO.load(dir));
    assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    assertThrows(FileSystemException.class, () -> IndexIO.readHeader(dir));
    assertThrows(NoSuchFileException.class, () -> IndexIO.load(dir.resolve("absent.vers")));
  }

  @Test
  void anUnknownAlgorithmNamesWhatIsAvailable() throws IOException {
    IndexIO.saveSnapshot(IndexSnapshot.builder("nosuch", 1, 3, Metric.L2, 0).build(), file);
    UnknownAlgorithmException e = assertThrows(UnknownAlgorithmException.class, () -> IndexIO.load(file));
    assertEquals("nosuch", e.algorithm());
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("'nosuch'")
        && e.getMessage().contains("available: " + String.join(", ", Indexes.available())), e.getMessage());
    assertEquals("nosuch", IndexIO.readHeader(file).algorithm(), "the header reads without the algorithm");
    assertEquals("nosuch", IndexIO.loadSnapshot(file).algorithm(), "so does the snapshot");
  }

  @Test
  void aMissingAlgorithmModuleIsNamed() throws Exception {
    List<URL> classPath = new ArrayList<>();
    for (String entry : testClassPath()) {
      if (!entry.matches(".*vers-(hnsw|ivfflat|lsh)[/\\\\-].*")) {
        classPath.add(Path.of(entry).toUri().toURL());
      }
    }
    // vers-api, vers-io and their libraries without any algorithm module, as a user's class path may be.
    try (URLClassLoader isolated = new URLClassLoader(classPath.toArray(URL[]::new),
        ClassLoader.getPlatformClassLoader())) {
      Object available = isolated.loadClass(Indexes.class.getName()).getMethod("available").invoke(null);
      assertEquals("[flat]", String.valueOf(available));
      Method load = isolated.loadClass(IndexIO.class.getName()).getMethod("load", Path.class);
      for (String missing : List.of("hnsw", "ivfflat", "lsh")) {
        IndexIO.saveSnapshot(IndexSnapshot.builder(missing, 1, 3, Metric.L2, 0).build(), file);
        Throwable e = assertThrows(InvocationTargetException.class, () -> load.invoke(null, file)).getCause();
        assertEquals(UnknownAlgorithmException.class.getName(), e.getClass().getName());
        assertTrue(e.getMessage().contains("holds a '" + missing + "' index")
            && e.getMessage().contains("add the vers-" + missing + " module"), e.getMessage());
      }
    }
  }

  /** The test class path, as surefire passes it, or the JVM's. */
  private static List<String> testClassPath() {
    String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return List.of(path.split(File.pathSeparator));
  }

  @Test
  void aNewerFormatVersionNamesBothVersions() throws IOException {
    byte[] newer = good.clone();
    TestFiles.putInt(newer, 8, 7);
    Files.write(file, TestFiles.fixChecksums(newer));
    IndexFormatTooNewException e = assertThrows(IndexFormatTooNewException.class, () -> IndexIO.load(file));
    assertEquals(7, e.fileVersion());
    assertEquals(IndexFormat.VERSION, e.newestSupportedVersion());
    assertTrue(e.getMessage().contains("version 7") && e.getMessage().contains("version " + IndexFormat.VERSION)
        && e.getMessage().contains("upgrade vers-io"), e.getMessage());
    assertThrows(IndexFormatTooNewException.class, () -> IndexIO.readHeader(file));

    byte[] unreadable = TestFiles.forge(2, new byte[] {(byte) 0xFF, (byte) 0xFF, 0x00}, new byte[0]);
    Files.write(file, unreadable);
    assertThrows(IndexFormatTooNewException.class, () -> IndexIO.load(file),
        "a newer header is not decoded, so its layout may change freely");
  }

  @Test
  void aDamagedVersionFieldIsDamageNotANewerFormat() throws IOException {
    byte[] bad = good.clone();
    TestFiles.putInt(bad, 8, 7);
    Files.write(file, bad);
    CorruptIndexException e = corrupt(() -> IndexIO.load(file), "version field changed");
    assertTrue(!(e instanceof IndexFormatTooNewException) && e.getMessage().contains("header checksum mismatch"),
        e.getMessage());
    TestFiles.putInt(bad, 8, 0);
    Files.write(file, TestFiles.fixChecksums(bad));
    assertTrue(corrupt(() -> IndexIO.load(file), "version 0").getMessage().contains("format version 0"));
  }

  @Test
  void bytesAfterTheFooterAreRejectedInAFile() throws IOException {
    byte[] longer = Arrays.copyOf(good, good.length + 3);
    Files.write(file, longer);
    CorruptIndexException e = corrupt(() -> IndexIO.load(file), "trailing bytes");
    assertTrue(e.getMessage().contains("3 unexpected bytes"), e.getMessage());
  }

  @Test
  void aStreamIsLeftJustAfterTheIndex() throws IOException {
    byte[] two = new byte[good.length * 2 + 1];
    System.arraycopy(good, 0, two, 0, good.length);
    System.arraycopy(good, 0, two, good.length, good.length);
    two[two.length - 1] = 42;
    ByteArrayInputStream in = new ByteArrayInputStream(two);
    Index first = IndexIO.load(in);
    Index second = IndexIO.load(in);
    assertEquals(first.search(new float[] {1, 2, 3}, 5), second.search(new float[] {1, 2, 3}, 5));
    assertEquals(42, in.read());
  }

  @Test
  void theSavedBytesAreStable() throws IOException {
    assertArrayEquals(good, TestFiles.bytesOf(TestFiles.smallFlat(12, 3, 42)));
  }

  static CorruptIndexException corrupt(Executable load, String what) {
    try {
      load.execute();
    } catch (CorruptIndexException e) {
      assertTrue(e.getMessage() != null && e.getMessage().length() > 20, what + ": unclear message " + e.getMessage());
      return e;
    } catch (Throwable t) {
      throw new AssertionError(what + ": expected a CorruptIndexException, got " + t, t);
    }
    throw new AssertionError(what + ": loaded without an error");
  }
}
