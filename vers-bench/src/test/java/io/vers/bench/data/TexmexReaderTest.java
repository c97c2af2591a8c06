package io.vers.bench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.ProgressListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TexmexReaderTest {
  @TempDir Path dir;

  @Test
  void readsFvecsAsWritten() throws IOException {
    float[][] vectors = TestFiles.grid(7, 5);
    Path file = TestFiles.fvecs(dir.resolve("a.fvecs"), vectors);
    AtomicLong reported = new AtomicLong();
    float[][] read = TexmexReader.readFvecs(file, Integer.MAX_VALUE, (done, total) -> reported.set(done));
    assertEquals(7, read.length);
    for (int i = 0; i < vectors.length; i++) {
      assertArrayEquals(vectors[i], read[i]);
    }
    assertEquals(Files.size(file), reported.get(), "progress ends at the file size");
  }

  @Test
  void limitStopsEarly() throws IOException {
    Path file = TestFiles.fvecs(dir.resolve("a.fvecs"), TestFiles.grid(7, 5));
    float[][] read = TexmexReader.readFvecs(file, 3, ProgressListener.NONE);
    assertEquals(3, read.length);
    assertArrayEquals(TestFiles.grid(7, 5)[2], read[2]);
  }

  @Test
  void readsGzippedFvecs() throws IOException {
    float[][] vectors = TestFiles.grid(4, 3);
    byte[] plain = Files.readAllBytes(TestFiles.fvecs(dir.resolve("p.fvecs"), vectors));
    Path file = TestFiles.gzip(dir.resolve("a.fvecs.gz"), plain);
    float[][] read = VectorFiles.readVectors(file, Integer.MAX_VALUE, ProgressListener.NONE);
    assertArrayEquals(vectors[3], read[3]);
  }

  @Test
  void readsIvecsAndBvecs() throws IOException {
    int[][] rows = {{3, 1, 4}, {1, 5, 9}};
    int[][] ids = TexmexReader.readIvecs(TestFiles.ivecs(dir.resolve("g.ivecs"), rows), 10, ProgressListener.NONE);
    assertArrayEquals(rows[1], ids[1]);
    int[][] bytes = {{0, 128, 255}, {7, 8, 9}};
    float[][] b = TexmexReader.readBvecs(TestFiles.bvecs(dir.resolve("b.bvecs"), bytes), 10, ProgressListener.NONE);
    assertArrayEquals(new float[] {0, 128, 255}, b[0], "bytes are unsigned");
    assertArrayEquals(new float[] {7, 8, 9}, b[1]);
  }

  @Test
  void truncatedRecordNamesFileAndOffset() throws IOException {
    Path full = TestFiles.fvecs(dir.resolve("full.fvecs"), TestFiles.grid(3, 4));
    byte[] bytes = Files.readAllBytes(full);
    Path cut = TestFiles.write(dir.resolve("cut.fvecs"), Arrays.copyOf(bytes, bytes.length - 2));
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> TexmexReader.readFvecs(cut, Integer.MAX_VALUE, ProgressListener.NONE));
    // Record 2 starts at 2 * 20; its last float starts at 40 + 4 + 12 = 56.
    assertEquals(56, e.offset());
    assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("offset 56"), e.getMessage());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void changingDimensionIsRejectedAtTheRecord() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 + 8 + 4 + 12).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(2).putFloat(1).putFloat(2).putInt(3).putFloat(1).putFloat(2).putFloat(3);
    Path file = TestFiles.write(dir.resolve("mixed.fvecs"), b.array());
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> TexmexReader.readFvecs(file, Integer.MAX_VALUE, ProgressListener.NONE));
    assertEquals(12, e.offset());
    assertTrue(e.getMessage().contains("dimension 3 but record 0 has dimension 2"), e.getMessage());
  }

  @Test
  void implausibleDimensionIsRejected() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-5).putFloat(1);
    Path file = TestFiles.write(dir.resolve("neg.fvecs"), b.array());
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> TexmexReader.readFvecs(file, Integer.MAX_VALUE, ProgressListener.NONE));
    assertEquals(0, e.offset());
    assertTrue(e.getMessage().contains("dimension -5"), e.getMessage());
  }

  @Test
  void nonFiniteComponentIsRejectedWithItsOffset() throws IOException {
    float[][] vectors = TestFiles.grid(2, 3);
    vectors[1][2] = Float.NaN;
    Path file = TestFiles.fvecs(dir.resolve("nan.fvecs"), vectors);
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> TexmexReader.readFvecs(file, Integer.MAX_VALUE, ProgressListener.NONE));
    assertEquals(16 + 4 + 8, e.offset());
    assertTrue(e.getMessage().contains("vector 1 has NaN at component 2"), e.getMessage());
  }

  @Test
  void emptyFileHoldsNoVectors() throws IOException {
    Path file = TestFiles.write(dir.resolve("empty.fvecs"), new byte[0]);
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> VectorFiles.readVectors(file, Integer.MAX_VALUE, ProgressListener.NONE));
    assertTrue(e.getMessage().contains("holds no vectors"), e.getMessage());
  }

  @Test
  void readsTheSharedSift5kSample() throws IOException {
    Path base = Path.of("../../shared/datasets/sift5k.base.fvecs");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(base), "shared datasets not present");
    float[][] vectors = VectorFiles.readVectors(base, Integer.MAX_VALUE, ProgressListener.NONE);
    assertEquals(4800, vectors.length);
    assertEquals(128, vectors[0].length);
    int[][] truth = VectorFiles.readNeighbours(Path.of("../../shared/datasets/sift5k.gt.ivecs"), 1000,
        ProgressListener.NONE);
    assertEquals(200, truth.length);
    assertEquals(100, truth[0].length);
  }
}
