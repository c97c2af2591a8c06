package io.vers.io;

import io.vers.api.AddOptions;
import io.vers.api.Index;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The indexes behind the files in {@code src/test/resources/compat/0.1.0}: files saved by vers 0.1.0 (state
 * versions before quantization), which every later vers must still load with the same answers
 * ({@link PreviousFormatTest}). {@link #main} wrote them; running it again would write the current formats,
 * so the files are kept, not regenerated.
 */
final class CompatFiles {
  static final List<String> ALGORITHMS = List.of("flat", "hnsw", "ivfflat", "lsh");
  static final List<Metric> METRICS = List.of(Metric.L2, Metric.COSINE);
  static final int DIMENSION = 12;
  static final int COUNT = 1500;
  static final int QUERIES = 8;
  static final int K = 10;

  private CompatFiles() {}

  static long id(int i) {
    return 3L * i + 1;
  }

  /** Vector {@code i} of the data set: clustered, so that every algorithm has structure to find. */
  static float[] vector(int i) {
    Random random = new Random(1000 + i);
    float[] v = new float[DIMENSION];
    int cluster = i % 7;
    for (int d = 0; d < DIMENSION; d++) {
      v[d] = cluster * ((d % 3) - 1) + (float) random.nextGaussian() * 0.5f;
    }
    return v;
  }

  static float[] query(int q) {
    float[] v = vector(q * 37);
    for (int d = 0; d < DIMENSION; d++) {
      v[d] += 0.1f * ((q + d) % 5 - 2);
    }
    return v;
  }

  static Index build(String algorithm, Metric metric) {
    long[] ids = new long[COUNT];
    float[][] vectors = new float[COUNT][];
    for (int i = 0; i < COUNT; i++) {
      ids[i] = id(i);
      vectors[i] = vector(i);
    }
    return Indexes.build(algorithm, DIMENSION, metric, Map.of(), ids, vectors, AddOptions.threads(1));
  }

  static String name(String algorithm, Metric metric) {
    return algorithm + "-" + metric.name().toLowerCase(Locale.ROOT);
  }

  /** The answers to the queries, one line per query: {@code id:distance} pairs, nearest first. */
  static List<String> answers(Index index) {
    List<String> lines = new ArrayList<>();
    for (int q = 0; q < QUERIES; q++) {
      StringBuilder line = new StringBuilder();
      for (SearchResult r : index.search(query(q), K, SearchParams.DEFAULT)) {
        line.append(line.length() == 0 ? "" : " ").append(r.id()).append(':').append(Float.floatToIntBits(r.distance()));
      }
      lines.add(line.toString());
    }
    return lines;
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    for (String algorithm : ALGORITHMS) {
      for (Metric metric : METRICS) {
        Index index = build(algorithm, metric);
        IndexIO.save(index, dir.resolve(name(algorithm, metric) + ".vers"));
        Files.write(dir.resolve(name(algorithm, metric) + ".answers"), answers(index), StandardCharsets.UTF_8);
      }
    }
  }
}
