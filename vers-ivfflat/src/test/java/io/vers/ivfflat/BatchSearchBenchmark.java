package io.vers.ivfflat;

import io.vers.api.AddOptions;
import io.vers.api.BatchResults;
import io.vers.api.Metric;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.api.testkit.TestData;
import io.vers.flat.FlatIndex;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * Throughput of {@link IvfFlatIndex#searchBatch} against a loop of {@link IvfFlatIndex#search}, at the
 * smallest nprobe (of a ladder) whose recall@10 reaches 0.95: one thread batched and looped, and two
 * threads batched. Not a test: run its {@code main} with the test classpath and
 * {@code --add-modules jdk.incubator.vector}.
 *
 * <p>Data: fashion-mnist (60,000 x 784 base, 10,000 queries, L2) from
 * {@code /usr/share/datasets/fashion-mnist} when present, else sift5k from the path given as the first
 * argument, else synthetic clustered data of the same shape as fashion-mnist. Ground truth comes from
 * the flat index. Arguments: {@code [data-dir] [rounds]}.
 */
public final class BatchSearchBenchmark {
  private static final int K = 10;

  private BatchSearchBenchmark() {}

  public static void main(String[] args) throws IOException {
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    float[][][] data = load(args.length > 0 ? Path.of(args[0]) : null);
    float[][] base = data[0];
    float[][] queries = data[1];
    int dim = base[0].length;
    long[] ids = new long[base.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i;
    }
    long t0 = System.nanoTime();
    IvfFlatIndex index = IvfFlatIndex.builder(dim, Metric.L2).build(ids, base, AddOptions.threads(2));
    System.out.printf("built %d x %d, nlist %d, in %.1f s%n", base.length, dim, index.nlist(),
        (System.nanoTime() - t0) / 1e9);
    FlatIndex flat = FlatIndex.create(dim, Metric.L2);
    flat.addAll(ids, base);
    List<List<SearchResult>> truth = flat.searchAll(queries, K, 2);

    int chosen = -1;
    for (int nprobe : new int[] {1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 24, 32}) {
      BatchResults r = index.searchBatch(queries, K, params(nprobe), 2);
      double recall = recall(r, truth);
      System.out.printf("nprobe %3d recall@10 %.4f%n", nprobe, recall);
      if (chosen < 0 && recall >= 0.95) {
        chosen = nprobe;
      }
    }
    if (chosen < 0) {
      chosen = 32;
    }
    for (double target : new double[] {0.9, 0.95, 0.99}) {
      SearchParams asked = SearchParams.builder().targetRecall(target).build();
      index.searchBatch(queries, K, asked, 2);
      double[] speed = measure(queries.length, () -> index.searchBatch(queries, K, asked, 1));
      System.out.printf("targetRecall %.2f: nprobe %d from the calibration, recall@10 %.4f, %.0f QPS batched "
          + "on 1 thread%n", target, index.calibration(K).valueFor(target).getAsInt(),
          recall(index.searchBatch(queries, K, asked, 2), truth), speed[0]);
    }
    SearchParams params = params(chosen);
    checkIdentical(index, queries, params);
    System.out.printf("timing at nprobe %d (recall@10 %.4f), %d queries, best of %d rounds%n", chosen,
        recall(index.searchBatch(queries, K, params, 2), truth), queries.length, rounds);
    double[] loop = new double[2];
    double[] batch1 = new double[2];
    double[] batch2 = new double[2];
    for (int round = 0; round < rounds; round++) {
      best(loop, measure(queries.length, () -> {
        for (float[] q : queries) {
          index.search(q, K, params);
        }
      }));
      best(batch1, measure(queries.length, () -> index.searchBatch(queries, K, params, 1)));
      best(batch2, measure(queries.length, () -> index.searchBatch(queries, K, params, 2)));
      System.out.printf("round %d: QPS by wall clock (by CPU time): loop of search %.0f (%.0f), searchBatch "
          + "1 thread %.0f (%.0f), 2 threads %.0f (%.0f per CPU-second)%n", round, loop[0], loop[1], batch1[0],
          batch1[1], batch2[0], batch2[1]);
    }
    System.out.printf("batch/loop (1 thread) %.2fx by wall clock, %.2fx by CPU time; 2 threads/1 thread %.2fx "
        + "by wall clock%n", batch1[0] / loop[0], batch1[1] / loop[1], batch2[0] / batch1[0]);
  }

  private static void best(double[] best, double[] now) {
    best[0] = Math.max(best[0], now[0]);
    best[1] = Math.max(best[1], now[1]);
  }

  /** Queries per second of wall clock, and per second of this process's CPU time. */
  private static double[] measure(int count, Runnable work) {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpu = os.getProcessCpuTime();
    long start = System.nanoTime();
    work.run();
    long wall = System.nanoTime() - start;
    cpu = os.getProcessCpuTime() - cpu;
    return new double[] {count / (wall / 1e9), count / (cpu / 1e9)};
  }

  private static SearchParams params(int nprobe) {
    return SearchParams.builder().nprobe(nprobe).build();
  }

  private static void checkIdentical(IvfFlatIndex index, float[][] queries, SearchParams params) {
    BatchResults batch = index.searchBatch(queries, K, params, 2);
    for (int i = 0; i < queries.length; i++) {
      List<SearchResult> single = index.search(queries[i], K, params);
      if (!single.equals(batch.row(i))) {
        throw new AssertionError("batch row " + i + " differs from search: " + batch.row(i) + " vs " + single);
      }
    }
    System.out.println("batch rows equal single searches for all " + queries.length + " queries");
  }

  /** Recall@10 by distance: a result counts when no farther than the 10th true distance. */
  private static double recall(BatchResults r, List<List<SearchResult>> truth) {
    double total = 0;
    for (int i = 0; i < truth.size(); i++) {
      List<SearchResult> t = truth.get(i);
      float kth = t.get(t.size() - 1).distance();
      int hits = 0;
      for (int j = 0; j < r.size(i); j++) {
        if (r.distance(i, j) <= kth) {
          hits++;
        }
      }
      total += Math.min(hits, t.size()) / (double) t.size();
    }
    return total / truth.size();
  }

  private static float[][][] load(Path sift) throws IOException {
    Path fashion = Path.of("/usr/share/datasets/fashion-mnist");
    if (Files.exists(fashion.resolve("train-images-idx3-ubyte.gz"))) {
      System.out.println("fashion-mnist");
      return new float[][][] {idx(fashion.resolve("train-images-idx3-ubyte.gz")),
          idx(fashion.resolve("t10k-images-idx3-ubyte.gz"))};
    }
    if (sift != null && Files.exists(sift.resolve("sift5k.base.fvecs"))) {
      System.out.println("sift5k");
      return new float[][][] {fvecs(sift.resolve("sift5k.base.fvecs")), fvecs(sift.resolve("sift5k.query.fvecs"))};
    }
    System.out.println("synthetic clustered 60,000 x 784");
    Random random = new Random(1);
    float[][] all = TestData.clustered(random, 70_000, 784, 100, 40);
    return new float[][][] {Arrays.copyOf(all, 60_000), Arrays.copyOfRange(all, 60_000, 70_000)};
  }

  private static float[][] idx(Path file) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      DataInputStream data = new DataInputStream(in);
      data.readInt();
      int n = data.readInt();
      int dim = data.readInt() * data.readInt();
      byte[] bytes = data.readNBytes(n * dim);
      float[][] out = new float[n][dim];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < dim; j++) {
          out[i][j] = bytes[i * dim + j] & 0xFF;
        }
      }
      return out;
    }
  }

  private static float[][] fvecs(Path file) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    int dim = buffer.getInt(0);
    int n = buffer.capacity() / (4 + 4 * dim);
    float[][] out = new float[n][dim];
    for (int i = 0; i < n; i++) {
      buffer.getInt();
      for (int j = 0; j < dim; j++) {
        out[i][j] = buffer.getFloat();
      }
    }
    return out;
  }
}
