package io.vers.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vers.api.CorruptIndexException;
import io.vers.api.Index;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.api.SearchResult;
import io.vers.api.UnknownAlgorithmException;
import io.vers.api.testkit.FuzzBounds;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzz tests of the loader: whatever the bytes, {@link IndexIO#load} and
 * {@link IndexIO#readHeader} throw only what they document ({@link CorruptIndexException}, of which
 * {@link IndexFormatTooNewException} is a kind, another {@link IOException}, or for {@code load}
 * {@link UnknownAlgorithmException} when the file names an algorithm that is not installed), never run
 * out of a 256 MiB heap (the surefire execution of these tests has {@code -Xmx256m}), and take at most
 * 1 s per MB of input (at least 1 s). An index that loads must answer a search, list its ids and hand
 * out their vectors.
 *
 * <p>Every input is tried twice: as it is, and with both checksums recomputed ("resealed") when the
 * frame allows it, so that mutations reach the header decoder, the array reader and each provider's
 * {@code restore} instead of stopping at the checksum. The seeds are small valid files of every
 * installed algorithm and metric ({@link #indexFiles()}); findings are kept as regression inputs in
 * {@code src/test/resources/io/vers/io/IndexIOFuzzTestInputs/<method>/}.
 *
 * <p>A normal build runs the seeds and the saved inputs only. To fuzz one target, see the README
 * ("Fuzzing and soak testing").
 */
class IndexIOFuzzTest {
  private static final Path SCRATCH = scratchFile();

  /** Loads the bytes from a file and from a stream, as they are and resealed. */
  @MethodSource("indexFiles")
  @FuzzTest(maxDuration = "60s")
  void load(byte[] data) throws IOException {
    loadAll(data);
    byte[] resealed = reseal(data);
    if (resealed != null) {
      loadAll(resealed);
    }
  }

  /** Reads the header from a file and from a stream, as it is and with its checksum recomputed. */
  @MethodSource("indexFiles")
  @FuzzTest(maxDuration = "60s")
  void readHeader(byte[] data) throws IOException {
    readHeaderAll(data);
    byte[] resealed = resealHeader(data);
    if (resealed != null) {
      readHeaderAll(resealed);
    }
  }

  private static void loadAll(byte[] data) throws IOException {
    Files.write(SCRATCH, data);
    FuzzBounds.within(data.length, "IndexIO.load(Path)", () -> {
      try {
        exercise(IndexIO.load(SCRATCH));
      } catch (CorruptIndexException | UnknownAlgorithmException expected) {
        // documented
      }
    });
    FuzzBounds.within(data.length, "IndexIO.load(InputStream)", () -> {
      try {
        exercise(IndexIO.load(new ByteArrayInputStream(data)));
      } catch (CorruptIndexException | UnknownAlgorithmException expected) {
        // documented
      } catch (IOException expected) {
        // documented: for example the stream ends early
      }
    });
  }

  private static void readHeaderAll(byte[] data) throws IOException {
    Files.write(SCRATCH, data);
    FuzzBounds.within(data.length, "IndexIO.readHeader(Path)", () -> {
      try {
        IndexFileHeader header = IndexIO.readHeader(SCRATCH);
        assertTrue(header.dimension() >= 1, "dimension " + header.dimension());
      } catch (CorruptIndexException expected) {
        // documented
      }
    });
    FuzzBounds.within(data.length, "IndexIO.readHeader(InputStream)", () -> {
      try {
        IndexIO.readHeader(new ByteArrayInputStream(data));
      } catch (IOException expected) {
        // documented: CorruptIndexException, or the stream ends early
      }
    });
  }

  /** A loaded index must be usable: a search, its ids and their vectors. */
  private static void exercise(Index index) {
    float[] query = new float[index.dimension()];
    Arrays.fill(query, 0.5f);
    List<SearchResult> results = index.search(query, 5);
    assertTrue(results.size() <= Math.min(5, index.size()), results.size() + " results of " + index.size());
    for (int i = 1; i < results.size(); i++) {
      assertTrue(results.get(i - 1).distance() <= results.get(i).distance(), "results out of order: " + results);
    }
    long[] ids = index.ids().limit(50).toArray();
    for (long id : ids) {
      assertEquals(index.dimension(), index.vector(id).orElseThrow().length, "vector of id " + id);
    }
  }

  /** The bytes with both checksums recomputed, or null when the frame cannot hold them. */
  static byte[] reseal(byte[] data) {
    int headerEnd = headerEnd(data);
    if (headerEnd < 0 || headerEnd + 4 + IndexFormat.FOOTER_BYTES > data.length) {
      return null;
    }
    return TestFiles.fixChecksums(data);
  }

  /** The bytes with the header checksum recomputed, or null when the frame cannot hold it. */
  static byte[] resealHeader(byte[] data) {
    int headerEnd = headerEnd(data);
    if (headerEnd < 0 || headerEnd + 4 > data.length) {
      return null;
    }
    byte[] out = data.clone();
    TestFiles.putInt(out, headerEnd, TestFiles.crc(out, headerEnd));
    return out;
  }

  private static int headerEnd(byte[] data) {
    if (data.length < IndexFormat.PREFIX_BYTES) {
      return -1;
    }
    long length = TestFiles.headerLength(data);
    return length < 1 || length > data.length ? -1 : IndexFormat.PREFIX_BYTES + (int) length;
  }

  /** Small valid files of every installed algorithm: empty, with removals, each metric. */
  static Stream<Arguments> indexFiles() throws IOException {
    List<Arguments> seeds = new ArrayList<>();
    Random random = new Random(18);
    for (String algorithm : Indexes.available()) {
      int variant = 0;
      for (Metric metric : Metric.values()) {
        int dim = 2 + variant;
        int n = variant == 0 ? 0 : 12 * variant;
        Index index = Indexes.create(algorithm, dim, metric);
        for (int i = 0; i < n; i++) {
          float[] v = new float[dim];
          for (int j = 0; j < dim; j++) {
            v[j] = (float) random.nextGaussian();
          }
          index.add(i * 3L - 5, v);
        }
        for (int i = 0; i < n / 4; i++) {
          index.remove(i * 12L - 5);
        }
        seeds.add(arguments((Object) TestFiles.bytesOf(index)));
        variant++;
      }
    }
    return seeds.stream();
  }

  private static Path scratchFile() {
    try {
      Path dir = Files.createTempDirectory("vers-io-fuzz");
      dir.toFile().deleteOnExit();
      Path file = dir.resolve("input.vers");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
