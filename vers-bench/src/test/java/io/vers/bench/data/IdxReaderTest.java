package io.vers.bench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.ProgressListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path dir;

  /** Three 2 x 2 "images". */
  private static final int[] PIXELS = {0, 1, 2, 3, 10, 11, 12, 13, 200, 201, 254, 255};

  @Test
  void flattensImagesIntoVectors() throws IOException {
    Path file = TestFiles.write(dir.resolve("t-images-idx3-ubyte"), TestFiles.idxUbyte(new int[] {3, 2, 2}, PIXELS));
    float[][] v = IdxReader.read(file, Integer.MAX_VALUE, ProgressListener.NONE);
    assertEquals(3, v.length);
    assertArrayEquals(new float[] {10, 11, 12, 13}, v[1]);
    assertArrayEquals(new float[] {200, 201, 254, 255}, v[2], "pixels are unsigned");
  }

  @Test
  void readsGzippedFilesAndHonoursTheLimit() throws IOException {
    Path file = TestFiles.gzip(dir.resolve("t-images-idx3-ubyte.gz"), TestFiles.idxUbyte(new int[] {3, 2, 2}, PIXELS));
    assertEquals(VectorFormat.IDX, VectorFormat.of(file));
    float[][] v = VectorFiles.readVectors(file, 2, ProgressListener.NONE);
    assertEquals(2, v.length);
    assertArrayEquals(new float[] {0, 1, 2, 3}, v[0]);
  }

  @Test
  void readsFloatElements() throws IOException {
    Path file = TestFiles.write(dir.resolve("f.idx"),
        TestFiles.idxFloat(new int[] {2, 3}, new float[] {0.5f, -1.5f, 2f, 3f, 4f, 5.25f}));
    float[][] v = IdxReader.read(file, Integer.MAX_VALUE, ProgressListener.NONE);
    assertArrayEquals(new float[] {3f, 4f, 5.25f}, v[1]);
  }

  @Test
  void rejectsAFileWithoutTheMagicNumber() throws IOException {
    byte[] bytes = TestFiles.idxUbyte(new int[] {3, 2, 2}, PIXELS);
    bytes[0] = 0x42;
    Path file = TestFiles.write(dir.resolve("bad.idx"), bytes);
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> IdxReader.read(file, Integer.MAX_VALUE, ProgressListener.NONE));
    assertEquals(0, e.offset());
    assertTrue(e.getMessage().contains("not an IDX file") && e.getMessage().contains(file.toString()),
        e.getMessage());
  }

  @Test
  void rejectsLabelFiles() throws IOException {
    Path file = TestFiles.write(dir.resolve("labels.idx"), TestFiles.idxUbyte(new int[] {4}, new int[] {1, 2, 3, 4}));
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> IdxReader.read(file, Integer.MAX_VALUE, ProgressListener.NONE));
    assertEquals(3, e.offset());
    assertTrue(e.getMessage().contains("labels"), e.getMessage());
  }

  @Test
  void rejectsTruncatedData() throws IOException {
    byte[] bytes = TestFiles.idxUbyte(new int[] {3, 2, 2}, PIXELS);
    Path file = TestFiles.write(dir.resolve("cut.idx"), Arrays.copyOf(bytes, bytes.length - 3));
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> IdxReader.read(file, Integer.MAX_VALUE, ProgressListener.NONE));
    // header 16 bytes, vectors of 4: vector 2 starts at 24; its second pixel (offset 25) is missing.
    assertEquals(25, e.offset());
    assertTrue(e.getMessage().contains("vector 2 of 3"), e.getMessage());
  }

  @Test
  void rejectsTrailingData() throws IOException {
    byte[] bytes = TestFiles.idxUbyte(new int[] {3, 2, 2}, PIXELS);
    Path file = TestFiles.write(dir.resolve("long.idx"), Arrays.copyOf(bytes, bytes.length + 2));
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> IdxReader.read(file, Integer.MAX_VALUE, ProgressListener.NONE));
    assertEquals(bytes.length, e.offset());
  }
}
