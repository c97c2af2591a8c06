package io.vers.flat;

import io.vers.api.BatchResults;
import io.vers.api.Metric;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.spi.NeighborQueue;
import io.vers.spi.simd.Kernels;
import io.vers.spi.storage.VectorStore;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Measures the exact index's batch search on Fashion-MNIST (60,000 training images of 784 pixels as
 * the stored vectors, the first test images as queries, L2): queries per second of one
 * {@code searchBatch} call at each thread count, of a loop of single {@code search} calls, and of the
 * one-query scan the index had before batches (one {@link Metric#distance} per stored vector). A
 * benchmark, not a test: run it by hand, on an otherwise idle machine, next to
 * {@code peers/faiss_flat.py}.
 *
 * <pre>
 * mvn -q -B -o -pl vers-api test-compile
 * mvn -q -B -o -pl vers-api dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=runtime
 * java --add-modules jdk.incubator.vector -Xmx3g \
 *     -cp vers-api/target/classes:vers-api/target/test-classes:$(cat /tmp/cp.txt) \
 *     io.vers.flat.FlatBatchBench /usr/share/datasets/fashion-mnist [queries=1000] [k=10] [runs=5] [threads=1,2]
 * OPENBLAS_NUM_THREADS=1 /usr/bin/python3 peers/faiss_flat.py --idx /usr/share/datasets/fashion-mnist --threads 1
 * </pre>
 *
 * Prints one line per measurement: the median wall-clock queries per second of the runs, the median per
 * CPU second of the calling thread (steadier on a shared machine; for one thread only), and each run's
 * seconds.
 */
public final class FlatBatchBench {
  private FlatBatchBench() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist");
    int nq = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int k = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    int[] threadCounts = Arrays.stream((args.length > 4 ? args[4] : "1,2").split(","))
        .mapToInt(Integer::parseInt).toArray();
    float[][] base = readImages(dir.resolve("train-images-idx3-ubyte.gz"), Integer.MAX_VALUE);
    float[][] queries = readImages(dir.resolve("t10k-images-idx3-ubyte.gz"), nq);
    int dim = base[0].length;
    FlatIndex index = FlatIndex.create(dim, Metric.L2);
    for (int i = 0; i < base.length; i++) {
      index.add(i, base[i]);
    }
    System.out.printf(Locale.ROOT, "# java %s, kernel %s, blocks %s, n=%d, d=%d, nq=%d, k=%d, runs=%d%n",
        System.getProperty("java.version"), Kernels.get().name(), Kernels.get().block(Metric.L2, dim).name(),
        base.length, dim, queries.length, k, runs);

    BatchResults reference = index.searchBatch(queries, k, SearchParams.DEFAULT, 1);
    for (int threads : threadCounts) {
      int t = threads;
      measure("batch threads=" + t, queries.length, runs, () -> check(reference, index.searchBatch(queries, k,
          SearchParams.DEFAULT, t)));
    }
    measure("single-search loop", queries.length, runs, () -> {
      for (int q = 0; q < queries.length; q++) {
        if (!index.search(queries[q], k).equals(reference.row(q))) {
          throw new AssertionError("query " + q + ": a single search differs from its batch row");
        }
      }
    });
    VectorStore store = new VectorStore(dim);
    for (float[] v : base) {
      store.append(v);
    }
    measure("previous one-query scan", queries.length, runs, () -> {
      for (float[] q : queries) {
        previousScan(store, q, k);
      }
    });
  }

  /** The index's scan before batches: one kernel distance per stored vector into a bounded heap. */
  private static List<SearchResult> previousScan(VectorStore vectors, float[] q, int k) {
    int n = vectors.size();
    NeighborQueue best = new NeighborQueue(Math.min(k, Math.max(Math.min(n, 1024), 1)), true);
    for (int ord = 0; ord < n; ord++) {
      best.insertWithOverflow(ord, vectors.distance(Metric.L2, q, ord), k);
    }
    return best.drainToResults(ord -> ord);
  }

  private static void check(BatchResults reference, BatchResults got) {
    if (!Arrays.equals(reference.ids(), got.ids()) || !Arrays.equals(reference.distances(), got.distances())) {
      throw new AssertionError("batches differ between thread counts");
    }
  }

  private static void measure(String what, int queries, int runs, Runnable work) {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    work.run(); // warm-up
    work.run();
    double[] wall = new double[runs];
    double[] cpu = new double[runs];
    for (int r = 0; r < runs; r++) {
      long cpu0 = bean.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      work.run();
      wall[r] = (System.nanoTime() - t0) / 1e9;
      cpu[r] = (bean.getCurrentThreadCpuTime() - cpu0) / 1e9;
    }
    List<String> each = new ArrayList<>();
    for (double w : wall) {
      each.add(String.format(Locale.ROOT, "%.3f", w));
    }
    System.out.printf(Locale.ROOT, "%-26s qps %7.1f   cpu-qps %7.1f   runs_s %s%n", what, queries / median(wall),
        queries / median(cpu), String.join(",", each));
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int m = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  }

  /** The first {@code limit} images of an IDX3 file (gzip), pixels as floats 0..255. */
  static float[][] readImages(Path file, int limit) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16))) {
      int magic = in.readInt();
      if (magic != 2051) {
        throw new IOException(file + " is not an IDX image file (magic " + magic + ")");
      }
      int count = Math.min(in.readInt(), limit);
      int dim = in.readInt() * in.readInt();
      byte[] pixels = new byte[dim];
      float[][] out = new float[count][dim];
      for (int i = 0; i < count; i++) {
        in.readFully(pixels);
        for (int j = 0; j < dim; j++) {
          out[i][j] = pixels[j] & 0xFF;
        }
      }
      return out;
    }
  }
}
