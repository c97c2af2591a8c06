package io.vers.bench.cli;

import io.vers.api.AddOptions;
import io.vers.api.Index;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.bench.Vers;
import io.vers.bench.data.SyntheticDataset;
import io.vers.bench.harness.HeapPeak;
import io.vers.io.IndexIO;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vers io}: measures saving and loading an index: file size, seconds and MB/s of file per round,
 * and the heap a load needs relative to the loaded index.
 */
@Command(
    name = "io",
    sortOptions = false,
    description = {
      "Measures saving and loading an index.",
      "Prints the file size, the time and MB/s of file for each save and load, and the peak heap during a load"
          + " relative to the loaded index. Measures a saved index (--index) or builds one over synthetic"
          + " vectors (--algorithm)."
    })
public final class IoCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Mixin HelpOption help;

  @ParentCommand Vers parent;

  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--index", paramLabel = "INDEX", description = "A saved index to load, save and load again.")
    Path index;

    @Option(names = "--algorithm", paramLabel = "NAME", description = "Build an index of this algorithm instead.")
    String algorithm;
  }

  @Option(names = "--size", defaultValue = "100000", paramLabel = "N", description = "Synthetic vectors to index"
      + " (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--dimension", defaultValue = "128", paramLabel = "D", description = "Their dimension (default:"
      + " ${DEFAULT-VALUE}).")
  int dimension;

  @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A build parameter, repeatable: --param m=16.")
  List<String> params;

  @Option(names = "--threads", paramLabel = "N", description = "Threads for building (default: all cores).")
  Integer threads;

  @Option(names = "--rounds", defaultValue = "3", paramLabel = "N", description = "Saves, then loads, to time"
      + " (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--dir", paramLabel = "DIR", description = "Where to write the index file, which is removed"
      + " afterwards (default: the system's temporary directory).")
  Path dir;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (rounds < 1) {
      throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
    }
    // Everything is checked before an index is loaded or built.
    Path directory = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"));
    Checks.directory(dir != null ? "--dir:" : "the temporary directory:", directory);
    Map<String, String> buildParams = Map.of();
    int workers = 1;
    if (source.algorithm != null) {
      if (size < 1 || dimension < 1) {
        throw new IllegalArgumentException("--size and --dimension must be at least 1, got " + size + " and "
            + dimension);
      }
      buildParams = Assignments.parse(params, "--param");
      Checks.buildParameters(source.algorithm, buildParams);
      workers = Assignments.threads("--threads", threads);
    } else if (params != null) {
      throw new IllegalArgumentException("--param applies to an index built with --algorithm, not to --index");
    }
    Index index = source.index != null ? loadGiven(out) : build(out, buildParams, workers);
    Path file = Files.createTempFile(directory, "vers-io-", ".vers");
    try {
      CountingStream counted = new CountingStream();
      long start = System.nanoTime();
      IndexIO.save(index, counted);
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf(Locale.ROOT, "encode %.3f s  %,7.0f MB/s   the same bytes to a stream that drops them: the save"
          + " without the file system%n", seconds, counted.bytes / 1e6 / seconds);
      double[] saves = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        HeapPeak heap = HeapPeak.start();
        start = System.nanoTime();
        IndexIO.save(index, file);
        seconds = (System.nanoTime() - start) / 1e9;
        long grew = heap.stop();
        saves[r] = Files.size(file) / 1e6 / seconds;
        out.printf(Locale.ROOT, "save %d   %.3f s  %,7.0f MB/s   heap +%,d MB%n", r + 1, seconds, saves[r], grew >> 20);
        out.flush();
      }
      long bytes = Files.size(file);
      index = null; // so that each load starts from the same heap
      double[] loads = new double[rounds];
      double[] peaks = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        HeapPeak heap = HeapPeak.start();
        start = System.nanoTime();
        Index loaded = IndexIO.load(file);
        seconds = (System.nanoTime() - start) / 1e9;
        long peak = heap.stop();
        loads[r] = bytes / 1e6 / seconds;
        peaks[r] = peak / (double) loaded.ramBytesUsed();
        out.printf(Locale.ROOT, "load %d   %.3f s  %,7.0f MB/s   peak heap +%,.1f MiB = %.2fx the loaded index (%,.1f MiB)%n",
            r + 1, seconds, loads[r], peak / 1048576.0, peaks[r], loaded.ramBytesUsed() / 1048576.0);
        out.flush();
      }
      out.printf(Locale.ROOT, "file %,d bytes; median save %,.0f MB/s, median load %,.0f MB/s, load peak heap at most"
          + " %.2fx the index%n", bytes, median(saves), median(loads), Arrays.stream(peaks).max().orElse(0));
    } finally {
      Files.deleteIfExists(file);
    }
    out.flush();
    return 0;
  }

  private Index loadGiven(PrintWriter out) throws Exception {
    if (!Files.exists(source.index)) {
      throw new NoSuchFileException(source.index.toString());
    }
    long start = System.nanoTime();
    Index index = IndexIO.load(source.index);
    double seconds = (System.nanoTime() - start) / 1e9;
    long bytes = Files.size(source.index);
    out.printf(Locale.ROOT, "loaded %s (%,d bytes) in %.3f s = %,.0f MB/s, the first load in this JVM: %s,"
        + " %,d x %d, ramBytesUsed %,d MB%n", source.index, bytes, seconds, bytes / 1e6 / seconds, index.algorithm(),
        index.size(), index.dimension(), index.ramBytesUsed() >> 20);
    return index;
  }

  private Index build(PrintWriter out, Map<String, String> buildParams, int workers) {
    float[][] vectors = SyntheticDataset.generate(size, dimension, 1, SyntheticDataset.DEFAULT_SEED).base();
    long[] ids = new long[vectors.length];
    Arrays.setAll(ids, i -> i);
    Progress progress = global.progress(parent, spec);
    long start = System.nanoTime();
    Index index;
    try (Progress.Task task = progress.start("build " + source.algorithm, vectors.length)) {
      index = Indexes.build(source.algorithm, dimension, Metric.L2, buildParams, ids, vectors,
          new AddOptions(workers, task));
      task.complete();
    }
    out.printf(Locale.ROOT, "built %s over %,d synthetic vectors of dimension %d in %.1f s: ramBytesUsed %,d MB%n",
        index.algorithm(), index.size(), dimension, (System.nanoTime() - start) / 1e9, index.ramBytesUsed() >> 20);
    return index;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Counts the bytes written to it and drops them. */
  private static final class CountingStream extends OutputStream {
    long bytes;

    @Override
    public void write(int b) {
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes += len;
    }
  }
}
