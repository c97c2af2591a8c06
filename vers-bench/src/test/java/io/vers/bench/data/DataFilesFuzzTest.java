package io.vers.bench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.vers.api.ProgressListener;
import io.vers.api.testkit.FuzzBounds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzz tests of the data-file readers of the command line: whatever the bytes, a reader
 * throws only {@link DataFormatException} (the exception every reader documents for a file that is not
 * in its format), never runs out of a 256 MiB heap (the surefire execution of these tests has
 * {@code -Xmx256m}), and takes at most 1 s per MB of input (at least 1 s). What a reader returns has
 * one dimension and finite components.
 *
 * <p>The readers are reached the way the command line reaches them, through {@link VectorFiles}, on a
 * file named with the format's extension. The seeds are small valid files of each format, some
 * gzip-compressed; findings are kept as regression inputs in
 * {@code src/test/resources/io/vers/bench/data/DataFilesFuzzTestInputs/<method>/}.
 *
 * <p>A normal build runs the seeds and the saved inputs only. To fuzz one target, see the README
 * ("Fuzzing and soak testing").
 */
class DataFilesFuzzTest {
  private static final Path DIR = scratchDir();
  private static final String[] TEXMEX = {"input.fvecs", "input.bvecs", "input.ivecs", "input.ivecs"};

  /**
   * TEXMEX {@code .fvecs}, {@code .bvecs} and {@code .ivecs}: the first byte chooses the format
   * (modulo 4: fvecs, bvecs, ivecs as vectors, ivecs as neighbour lists), the rest is the file.
   */
  @MethodSource("texmexFiles")
  @FuzzTest(maxDuration = "60s")
  void texmex(byte[] data) throws IOException {
    if (data.length == 0) {
      return;
    }
    int format = data[0] & 3;
    Path file = write(TEXMEX[format], data, 1);
    FuzzBounds.within(data.length, TEXMEX[format], () -> {
      try {
        if (format == 3) {
          int[][] rows = VectorFiles.readNeighbours(file, Integer.MAX_VALUE, ProgressListener.NONE);
          for (int[] row : rows) {
            assertEquals(rows[0].length, row.length, "rows of different lengths");
          }
        } else {
          checkVectors(VectorFiles.readVectors(file, Integer.MAX_VALUE, ProgressListener.NONE));
        }
      } catch (DataFormatException expected) {
        // documented
      }
    });
  }

  /** fastText {@code .vec} and GloVe text. */
  @MethodSource("wordVectorFiles")
  @FuzzTest(maxDuration = "60s")
  void wordVectors(byte[] data) throws IOException {
    Path file = write("input.vec", data, 0);
    FuzzBounds.within(data.length, "word vectors", () -> {
      try {
        WordVectors words = VectorFiles.readWords(file, Integer.MAX_VALUE, ProgressListener.NONE);
        assertEquals(words.words().size(), words.size());
        checkVectors(words.vectors());
      } catch (DataFormatException expected) {
        // documented
      }
    });
  }

  /** IDX (the MNIST family). */
  @MethodSource("idxFiles")
  @FuzzTest(maxDuration = "60s")
  void idx(byte[] data) throws IOException {
    Path file = write("input.idx", data, 0);
    FuzzBounds.within(data.length, "IDX", () -> {
      try {
        checkVectors(VectorFiles.readVectors(file, Integer.MAX_VALUE, ProgressListener.NONE));
      } catch (DataFormatException expected) {
        // documented
      }
    });
  }

  /** ann-benchmarks HDF5 through jHDF: train, test, neighbors and the distance attribute. */
  @MethodSource("hdf5Files")
  @FuzzTest(maxDuration = "60s")
  void hdf5(byte[] data) throws IOException {
    Path file = write("input.hdf5", data, 0);
    FuzzBounds.within(data.length, "HDF5", () -> {
      try {
        AnnBenchmarksHdf5.metric(file);
      } catch (DataFormatException expected) {
        // documented
      }
      try {
        checkVectors(VectorFiles.readVectors(file, "train", Integer.MAX_VALUE, ProgressListener.NONE));
      } catch (DataFormatException expected) {
        // documented
      }
      try {
        checkVectors(AnnBenchmarksHdf5.readVectors(file, "test", 3));
      } catch (DataFormatException expected) {
        // documented
      }
      try {
        if (AnnBenchmarksHdf5.hasNeighbors(file)) {
          VectorFiles.readNeighbours(file, Integer.MAX_VALUE, ProgressListener.NONE);
        }
      } catch (DataFormatException expected) {
        // documented
      }
    });
  }

  private static void checkVectors(float[][] vectors) {
    assertTrue(vectors.length > 0, "no vectors returned without an exception");
    for (float[] v : vectors) {
      assertEquals(vectors[0].length, v.length, "vectors of different dimensions");
      for (float x : v) {
        assertTrue(Float.isFinite(x), "component " + x);
      }
    }
  }

  private static Path write(String name, byte[] data, int from) throws IOException {
    Path file = DIR.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(data, from, data.length - from);
    }
    return file;
  }

  // ---------------------------------------------------------------- seeds

  static Stream<Arguments> texmexFiles() throws IOException {
    List<Arguments> seeds = new ArrayList<>();
    float[][] grid = TestFiles.grid(5, 3);
    int[][] ints = {{1, 2, 3}, {4, 5, 6}, {0, 9, 255}};
    seeds.add(seed(0, fvecs(grid)));
    seeds.add(seed(0, gzip(fvecs(grid))));
    seeds.add(seed(1, texmexInts(ints, 1)));
    seeds.add(seed(2, texmexInts(ints, 4)));
    seeds.add(seed(3, texmexInts(ints, 4)));
    seeds.add(seed(3, gzip(texmexInts(ints, 4))));
    return seeds.stream();
  }

  static Stream<Arguments> wordVectorFiles() throws IOException {
    String fastText = "3 2\nthe 0.1 -0.2\nof 1e-3 4\nand 5 6.5\n";
    String glove = "king 0.5 0.25 -1\r\nqueen\t0.5 0.5 1\r\n\r\nman 1 2 3\r\n";
    return Stream.of(
        arguments((Object) fastText.getBytes(StandardCharsets.UTF_8)),
        arguments((Object) glove.getBytes(StandardCharsets.UTF_8)),
        arguments((Object) "été 1 2\nÅngström -3.5e2 7\n".getBytes(StandardCharsets.UTF_8)),
        arguments((Object) gzip(fastText.getBytes(StandardCharsets.UTF_8))));
  }

  static Stream<Arguments> idxFiles() throws IOException {
    List<Arguments> seeds = new ArrayList<>();
    int[] shape = {2, 2, 3};
    for (int type : new int[] {0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E}) {
      seeds.add(arguments((Object) idx(type, shape)));
    }
    seeds.add(arguments((Object) gzip(idx(0x08, new int[] {3, 4}))));
    return seeds.stream();
  }

  static Stream<Arguments> hdf5Files() throws IOException {
    List<Arguments> seeds = new ArrayList<>();
    float[][] train = TestFiles.grid(4, 3);
    seeds.add(arguments((Object) hdf5(hdf -> {
      hdf.putDataset("train", train);
      hdf.putDataset("test", TestFiles.grid(2, 3));
      hdf.putDataset("neighbors", new int[][] {{0, 1}, {1, 0}});
      hdf.putAttribute("distance", "angular");
    })));
    seeds.add(arguments((Object) hdf5(hdf -> {
      hdf.putDataset("train", new double[][] {{1, 2}, {3, 4}});
      hdf.putDataset("test", new int[][] {{1, 2}});
      hdf.putAttribute("distance", "euclidean");
    })));
    return seeds.stream();
  }

  private static Arguments seed(int format, byte[] file) {
    byte[] data = new byte[file.length + 1];
    data[0] = (byte) format;
    System.arraycopy(file, 0, data, 1, file.length);
    return arguments((Object) data);
  }

  private static byte[] fvecs(float[][] vectors) {
    ByteBuffer b = ByteBuffer.allocate(vectors.length * (4 + 4 * vectors[0].length)).order(ByteOrder.LITTLE_ENDIAN);
    for (float[] v : vectors) {
      b.putInt(v.length);
      for (float x : v) {
        b.putFloat(x);
      }
    }
    return b.array();
  }

  private static byte[] texmexInts(int[][] rows, int width) {
    ByteBuffer b = ByteBuffer.allocate(rows.length * (4 + width * rows[0].length)).order(ByteOrder.LITTLE_ENDIAN);
    for (int[] row : rows) {
      b.putInt(row.length);
      for (int x : row) {
        if (width == 1) {
          b.put((byte) x);
        } else {
          b.putInt(x);
        }
      }
    }
    return b.array();
  }

  /** An IDX file of the given element type and shape, with small distinct values. */
  private static byte[] idx(int type, int[] shape) {
    int elements = 1;
    for (int s : shape) {
      elements *= s;
    }
    int width = switch (type) {
      case 0x08, 0x09 -> 1;
      case 0x0B -> 2;
      case 0x0C, 0x0D -> 4;
      default -> 8;
    };
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + width * elements).order(ByteOrder.BIG_ENDIAN);
    b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) shape.length);
    for (int s : shape) {
      b.putInt(s);
    }
    for (int i = 0; i < elements; i++) {
      switch (type) {
        case 0x08, 0x09 -> b.put((byte) i);
        case 0x0B -> b.putShort((short) (i - 3));
        case 0x0C -> b.putInt(i * 1000);
        case 0x0D -> b.putFloat(i * 0.5f);
        default -> b.putDouble(i * -0.25);
      }
    }
    return b.array();
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  private interface HdfWriting {
    void write(WritableHdfFile hdf);
  }

  private static byte[] hdf5(HdfWriting writing) throws IOException {
    Path file = Files.createTempFile(DIR, "seed", ".hdf5");
    try (WritableHdfFile hdf = HdfFile.write(file)) {
      writing.write(hdf);
    }
    byte[] bytes = Files.readAllBytes(file);
    Files.delete(file);
    return bytes;
  }

  private static Path scratchDir() {
    try {
      Path dir = Files.createTempDirectory("vers-data-fuzz");
      dir.toFile().deleteOnExit();
      for (String name : new String[] {"input.fvecs", "input.bvecs", "input.ivecs", "input.vec", "input.idx",
          "input.hdf5"}) {
        dir.resolve(name).toFile().deleteOnExit();
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
