package io.vers.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes through a temporary file: the old file or the whole new one, nothing left over on failure. */
class IndexStoreTest {
  @TempDir java.nio.file.Path dir;

  @Test
  void aCompleteWriteReplacesTheFileAndAFailedOneKeepsIt() throws IOException {
    // Hadoop's login calls Subject.getSubject, which JDK 23 and newer refuse (as for the Spark tests)
    Assumptions.assumeTrue(Runtime.version().feature() < 23, "Hadoop's file systems need JDK 22 or older");
    Configuration conf = new Configuration();
    FileSystem fs = FileSystem.getLocal(conf);
    Path target = new Path(dir.resolve("part.vers").toUri());
    IndexStore.writeAtomically(fs, target, conf, out -> out.write(new byte[] {1, 2, 3}));
    IndexStore.writeAtomically(fs, target, conf, out -> out.write(new byte[] {4, 5}));
    assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(dir.resolve("part.vers")));

    IOException e = assertThrows(IOException.class, () -> IndexStore.writeAtomically(fs, target, conf, out -> {
      out.write(new byte[100]);
      throw new IOException("disk full (simulated)");
    }));
    assertEquals("disk full (simulated)", e.getMessage());
    assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(dir.resolve("part.vers")));
    assertEquals(List.of("part.vers"), files());

    FileSystem undeletable = new FilterFileSystem(fs) {
      @Override
      public boolean delete(Path f, boolean recursive) throws IOException {
        throw new IOException("delete refused (simulated)");
      }
    };
    IOException kept = assertThrows(IOException.class, () -> IndexStore.writeAtomically(undeletable, target, conf,
        out -> {
          throw new IOException("disk full (simulated)");
        }));
    assertEquals("disk full (simulated)", kept.getMessage(), "the write's failure, not the clean-up's");
    assertEquals("delete refused (simulated)", kept.getSuppressed()[0].getMessage());
  }

  /** Every file in the directory but Hadoop's checksum files. */
  private List<String> files() throws IOException {
    try (Stream<java.nio.file.Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted()
          .collect(Collectors.toList());
    }
  }
}
