package io.vers.bench.cli;

import io.vers.api.AddOptions;
import io.vers.api.Index;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.bench.data.StreamedClusters;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vers scale}: builds an index over generated vectors that need not fit the heap as floats
 * (added in chunks, each generated on the fly), then reports build time, heap, and recall@k and
 * single-thread QPS per search-knob value against exact neighbours found by a streamed scan.
 */
@Command(
    name = "scale",
    sortOptions = false,
    description = {"Builds an index over generated clustered vectors added in chunks (so the float vectors never"
        + " have to fit the heap), then reports build time, heap per vector, and recall@k and single-thread QPS for"
        + " each value of the algorithm's search knob, against exact neighbours from a streamed scan.",
        "Example: VERS_JAVA_OPTS=-Xmx1g ./vers scale --count 1000000 --dimension 384 --param quantization=sq8"
            + " --param keepVectors=false"})
public final class ScaleCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Mixin HelpOption help;

  @Spec CommandSpec spec;

  @Option(names = "--algorithm", defaultValue = "hnsw", paramLabel = "NAME", description = "Index algorithm"
      + " (default: hnsw).")
  String algorithm;

  @Option(names = "--count", defaultValue = "1000000", paramLabel = "N", description = "Vectors (default: 1,000,000).")
  int count;

  @Option(names = "--dimension", defaultValue = "384", paramLabel = "D", description = "Components (default: 384).")
  int dimension;

  @Option(names = "--clusters", defaultValue = "2000", paramLabel = "C", description = "Clusters (default: 2,000).")
  int clusters;

  @Option(names = "--queries", defaultValue = "200", paramLabel = "Q", description = "Queries (default: 200).")
  int queries;

  @Option(names = "--k", defaultValue = "10", paramLabel = "K", description = "Neighbours per query (default: 10).")
  int k;

  @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A build parameter, repeatable:"
      + " --param quantization=sq8 (see 'vers algorithms').")
  List<String> params;

  @Option(names = "--knob", split = ",", paramLabel = "V", description = "Values of the algorithm's first search"
      + " knob to measure (default: 16,32,64,128,256).")
  List<Integer> knobValues;

  @Option(names = "--threads", paramLabel = "N", description = "Threads for building and the exact scan (default:"
      + " all cores).")
  Integer threads;

  @Option(names = "--chunk", defaultValue = "10000", paramLabel = "N", description = "Vectors per addAll call"
      + " (default: 10,000).")
  int chunk;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Seed of the data (default: 42).")
  long seed;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Map<String, String> buildParams = Assignments.parse(params, "--param");
    Checks.buildParameters(algorithm, buildParams);
    int workers = Assignments.threads("--threads", threads);
    if (count < 1 || dimension < 1 || clusters < 1 || queries < 1 || k < 1 || chunk < 1) {
      throw new IllegalArgumentException("--count, --dimension, --clusters, --queries, --k and --chunk must be at"
          + " least 1");
    }
    List<Integer> values = knobValues != null ? knobValues : List.of(16, 32, 64, 128, 256);
    Metric metric = Metric.COSINE;
    StreamedClusters data = new StreamedClusters(dimension, clusters, seed);
    out.printf(Locale.ROOT, "data      %,d x %d, cosine, %,d overlapping clusters in a %d-dimensional subspace,"
        + " seed %d; float vectors alone: %,d MB%n", count, dimension, clusters, StreamedClusters.RANK, seed,
        (long) count * dimension * 4 / (1 << 20));
    out.printf(Locale.ROOT, "jvm       %s, max heap %,d MB, %d threads%n", System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20, workers);
    out.flush();

    float[][] queryVectors = new float[queries][dimension];
    for (int q = 0; q < queries; q++) {
      data.query(q, queryVectors[q], 0);
    }
    long start = System.nanoTime();
    long[][] truth = StreamedTruth.compute(data, count, queryVectors, metric, k, workers);
    out.printf(Locale.ROOT, "truth     exact %d nearest of %d queries by a streamed scan: %.1f s%n", k, queries,
        seconds(start));
    out.flush();

    long baseline = settledHeap();
    Index index = Indexes.create(algorithm, dimension, metric, buildParams);
    start = System.nanoTime();
    float[][] vectors = new float[Math.min(chunk, count)][dimension];
    long[] ids = new long[vectors.length];
    int reported = 0;
    for (int from = 0; from < count; from += vectors.length) {
      int n = Math.min(vectors.length, count - from);
      float[][] batch = n == vectors.length ? vectors : Arrays.copyOf(vectors, n);
      long[] batchIds = n == ids.length ? ids : new long[n];
      for (int i = 0; i < n; i++) {
        data.vector(from + i, batch[i], 0);
        batchIds[i] = from + i;
      }
      index.addAll(batchIds, batch, AddOptions.threads(workers));
      int percent = (int) ((from + n) * 10L / count) * 10;
      if (percent > reported) {
        reported = percent;
        out.printf(Locale.ROOT, "build     %3d%% after %.1f s%n", percent, seconds(start));
        out.flush();
      }
    }
    double buildSeconds = seconds(start);
    vectors = null;
    long heap = settledHeap() - baseline;
    out.printf(Locale.ROOT, "build     %s %s on %d threads: %.1f s%n", algorithm, index.parameters(), workers,
        buildSeconds);
    out.printf(Locale.ROOT, "memory    heap %,d MB (%,d bytes per vector); ramBytesUsed %,d MB (%,d bytes per"
        + " vector)%n", heap >> 20, heap / count, index.ramBytesUsed() >> 20, index.ramBytesUsed() / count);
    List<ParameterSpec> knobs = Indexes.provider(algorithm).searchParameters(index.parameters(), k);
    out.printf(Locale.ROOT, "%-9s %-9s %s%n", knobs.isEmpty() ? "search" : knobs.get(0).name(), "recall@" + k,
        "QPS (1 thread)");
    out.flush();
    for (Integer value : knobs.isEmpty() ? List.of(0) : values) {
      SearchParams searchParams = knobs.isEmpty() ? SearchParams.DEFAULT
          : SearchParams.builder().set(knobs.get(0).name(), value).build();
      double recall = recall(index, queryVectors, truth, searchParams);
      double qps = qps(index, queryVectors, searchParams);
      out.printf(Locale.ROOT, "%-9s %-9.4f %,.0f%n", knobs.isEmpty() ? "default" : value, recall, qps);
      out.flush();
    }
    return 0;
  }

  private double recall(Index index, float[][] queryVectors, long[][] truth, SearchParams params) {
    long hits = 0;
    for (int q = 0; q < queryVectors.length; q++) {
      List<SearchResult> found = index.search(queryVectors[q], k, params);
      for (SearchResult r : found) {
        for (long id : truth[q]) {
          if (id == r.id()) {
            hits++;
            break;
          }
        }
      }
    }
    return hits / (double) ((long) queryVectors.length * k);
  }

  /** Queries per second of the fastest of at least three passes (and at least a second of passes). */
  private double qps(Index index, float[][] queryVectors, SearchParams params) {
    List<Long> passes = new ArrayList<>();
    long total = 0;
    long sink = 0;
    for (int pass = 0; pass < 3 || total < 1_000_000_000L; pass++) {
      long start = System.nanoTime();
      for (float[] query : queryVectors) {
        sink += index.search(query, k, params).size();
      }
      long elapsed = System.nanoTime() - start;
      passes.add(elapsed);
      total += elapsed;
    }
    if (sink < 0) {
      throw new IllegalStateException();
    }
    return queryVectors.length * 1e9 / passes.stream().mapToLong(Long::longValue).min().orElseThrow();
  }

  private static long settledHeap() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
