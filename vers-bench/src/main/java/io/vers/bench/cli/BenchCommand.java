package io.vers.bench.cli;

import io.vers.api.IndexParams;
import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import io.vers.api.ProgressListener;
import io.vers.bench.Vers;
import io.vers.bench.data.AnnBenchmarksHdf5;
import io.vers.bench.data.Dataset;
import io.vers.bench.data.FashionMnist;
import io.vers.bench.data.SyntheticDataset;
import io.vers.bench.data.VectorFormat;
import io.vers.bench.harness.AlgorithmResult;
import io.vers.bench.harness.BenchResult;
import io.vers.bench.harness.Benchmark;
import io.vers.bench.harness.Contender;
import io.vers.bench.harness.Contenders;
import io.vers.bench.harness.Environment;
import io.vers.bench.harness.GroundTruth;
import io.vers.bench.harness.JsonReport;
import io.vers.bench.harness.RecallPlot;
import io.vers.bench.harness.TextReport;
import io.vers.bench.peers.Peers;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code vers bench}: builds every selected algorithm on one dataset and measures recall and QPS. */
@Command(
    name = "bench",
    sortOptions = false,
    // One element per paragraph: picocli wraps each to the usage width, and the command list shows the first.
    description = {
      "Builds each algorithm on one dataset and measures recall@k against queries per second.",
      "Searches run on one thread, one call per query, after a warm-up; the best of --passes timed passes"
          + " counts. Each algorithm's search knob (ef, nprobe, searchK) is swept to find the fastest"
          + " configuration reaching every recall target. --batch adds batched throughput (searchBatch on 1 and"
          + " N threads); --target-recall adds searches that let the index choose its knob.",
      "Without options: a built-in deterministic synthetic dataset (50,000 x 128 Gaussian clusters, 1,000"
          + " queries, L2) and every vers algorithm on the class path."
    })
public final class BenchCommand implements Callable<Integer> {
  /** Graph defaults for vers' HNSW and the peers, unless --param says otherwise. */
  static final int DEFAULT_M = 16;

  static final int DEFAULT_EF_CONSTRUCTION = 200;

  private static final Pattern SYNTHETIC = Pattern.compile("synthetic(?::(\\d+)x(\\d+))?");
  private static final String SIFT5K = "sift5k";

  @Mixin GlobalOptions global;

  @Mixin HelpOption help;

  @ParentCommand Vers parent;

  @Spec CommandSpec spec;

  @Option(names = "--dataset", paramLabel = "NAME|FILE", description = "synthetic (default),"
      + " synthetic:NxD (N vectors of dimension D), fashion-mnist (Debian's dataset-fashion-mnist: 60,000 train"
      + " images as base, 10,000 test images as queries), sift5k (4,800 x 128 with 200 queries and their"
      + " exact neighbours, from -Dvers.datasets, $VERS_DATASETS or the first shared/datasets found from the"
      + " working directory up), or an ann-benchmarks HDF5 file (train, test, neighbors).")
  String dataset;

  @Option(names = "--base", paramLabel = "FILE", description = "Base vectors: fvecs, bvecs, ivecs,"
      + " fastText/GloVe text (vec, txt) or IDX, optionally gzipped (gz), or HDF5 (not gzipped).")
  Path base;

  @Option(names = "--queries", paramLabel = "FILE", description = "Query vectors, same formats. Optional when --base"
      + " is .hdf5 (its test set is used).")
  Path queries;

  @Option(names = "--groundtruth", paramLabel = "FILE", description = "Exact neighbours (.ivecs or .hdf5"
      + " neighbors), base ordinals nearest first. Without it, computed exactly with the flat index on all cores.")
  Path groundTruth;

  @Option(names = "--metric", paramLabel = "l2|cosine|dot", description = "Distance (default: the dataset's, else"
      + " l2).")
  String metric;

  @Option(names = "--k", defaultValue = "10", description = "Neighbours per query (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--max-queries", paramLabel = "N", description = "Use only the first N queries.")
  Integer maxQueries;

  @Option(names = "--build-threads", paramLabel = "N", description = "Threads for building (default: all cores).")
  Integer buildThreads;

  @Option(names = "--algorithms", split = ",", paramLabel = "NAME", description = "Comma-separated:"
      + " vers algorithms (flat, hnsw, ivfflat, lsh: default every one found) and peers (hnswlib-java, jvector,"
      + " lucene-hnsw); 'peers' selects every peer, 'all' everything. NAME:LABEL measures a second configuration"
      + " of NAME, set with --param NAME:LABEL.*, for example hnsw,hnsw:sq8 --param hnsw:sq8.quantization=sq8.")
  List<String> algorithms;

  @Option(names = "--param", paramLabel = "ALGORITHM.NAME=VALUE", description = "A build parameter or"
      + " a fixed search knob, repeatable, for example: --param hnsw.M=32 --param ivfflat.nprobe=8 (see 'vers"
      + " algorithms'). HNSW and the peers default to M=16 and efConstruction=200; the peers follow hnsw.M and"
      + " hnsw.efConstruction unless given their own. Checked before any data is read.")
  List<String> params;

  @Option(names = "--recall-targets", split = ",", defaultValue = "0.9,0.95,0.99", paramLabel = "R",
      description = "Recall levels to report the fastest configuration for (default: ${DEFAULT-VALUE}).")
  List<Double> recallTargets;

  @Option(names = "--no-sweep", description = "Measure only each algorithm's default search settings.")
  boolean noSweep;

  @Option(names = "--batch", description = "Also measure batched throughput: every query in one"
      + " searchBatch call, on 1 thread and on --batch-threads threads, for each configuration (vers algorithms;"
      + " peers have no batch call).")
  boolean batch;

  @Option(names = "--batch-threads", paramLabel = "N", description = "Threads of the multi-threaded batch call"
      + " (default: all cores; implies --batch).")
  Integer batchThreads;

  @Option(names = "--target-recall", split = ",", paramLabel = "R", description = "Also search"
      + " each vers algorithm that has a knob with SearchParams.targetRecall(R) for each R, letting the index"
      + " choose its knob (it calibrates itself on first use, timed apart), and compare with the fastest swept"
      + " configuration reaching R.")
  List<Double> targetRecalls;

  @Option(names = "--passes", defaultValue = "3", description = "Timed passes per configuration; the best counts"
      + " (default: ${DEFAULT-VALUE}).")
  int passes;

  @Option(names = "--runs", defaultValue = "1", paramLabel = "N", description = "Repeat the interleaved timing N"
      + " times on the same indexes and report each configuration's median QPS with the range over the runs"
      + " (default: 1).")
  int runs;

  @Option(names = "--warmup", defaultValue = "2", paramLabel = "SECONDS", description = "Queries run on each index"
      + " before its first measurement, so that the JIT has compiled the search path (default: ${DEFAULT-VALUE}).")
  double warmupSeconds;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the synthetic dataset (default:"
      + " ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON (schema in the"
      + " README).")
  Path json;

  @Option(names = "--plot", paramLabel = "FILE.png", description = "Also draw recall against QPS (log scale), one"
      + " curve per algorithm.")
  Path plot;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Progress progress = global.progress(parent, spec);
    checkOptions();
    int threads = Assignments.threads("--build-threads", buildThreads);
    boolean batched = batch || batchThreads != null;
    int batchWorkers = Assignments.threads("--batch-threads", batchThreads);
    List<Double> targets = targetRecalls == null ? List.of() : targetRecalls;
    List<Contender> contenders = Contenders.select(
        algorithms != null ? algorithms : Contenders.vers().stream().map(Contender::name).toList());
    Map<String, Map<String, String>> userParams = Assignments.parseQualified(params, "--param");
    for (String algorithm : userParams.keySet()) {
      if (contenders.stream().noneMatch(c -> c.name().equals(algorithm))) {
        throw new IllegalArgumentException("--param names algorithm '" + algorithm + "', which is not selected;"
            + " selected: " + String.join(", ", contenders.stream().map(Contender::name).toList()));
      }
    }

    // Parameters, knobs and output paths are checked before any data is read or generated.
    Map<String, Object> shared = sharedGraphParameters(userParams.get("hnsw"));
    List<Benchmark.Entry> entries = new ArrayList<>();
    for (Contender contender : contenders) {
      Map<String, String> mine = userParams.getOrDefault(contender.name(), Map.of());
      Map<String, Object> build = new LinkedHashMap<>();
      OptionalInt fixedKnob = OptionalInt.empty();
      for (Map.Entry<String, String> e : mine.entrySet()) {
        int knob = knobIndex(contender, e.getKey());
        if (knob == 0) {
          fixedKnob = OptionalInt.of(knobValue(contender, e.getKey(), e.getValue()));
        } else if (knob > 0) {
          throw new IllegalArgumentException("--param " + contender.name() + "." + e.getKey() + ": only the first"
              + " search knob of " + contender.name() + " (" + contender.searchParameters().get(0).name()
              + ") can be fixed");
        } else if (contender.parameters().stream().anyMatch(spec -> spec.matches(e.getKey()))) {
          build.put(e.getKey(), e.getValue());
        } else {
          throw new IllegalArgumentException("--param " + contender.name() + "." + e.getKey() + ": "
              + contender.name() + " has no build parameter or search knob named '" + e.getKey()
              + "'; build parameters: " + names(contender.parameters()) + "; search knobs: "
              + names(contender.searchParameters()));
        }
      }
      if (contender.algorithm().equals("hnsw") || contender.isPeer()) {
        applyDefaults(contender, build, shared);
      }
      checkBuildParameters(contender, build);
      entries.add(new Benchmark.Entry(contender, build, fixedKnob));
    }
    if (json != null) {
      Checks.outputFile("--json", json);
    }
    if (plot != null) {
      Path name = plot.getFileName();
      if (name == null || !name.toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
        throw new IllegalArgumentException("--plot draws a PNG image; give a file name ending in .png, not " + plot);
      }
      Checks.outputFile("--plot", plot);
    }

    Dataset data = loadDataset(progress);
    Metric chosen = metric != null ? Metric.parse(metric) : data.declaredMetric().orElse(Metric.L2);
    if (data.groundTruth() != null && data.metric() != null && chosen != data.metric() && groundTruth == null) {
      out.printf(Locale.ROOT, "note      the dataset's neighbours are for %s; computing exact ones for %s%n",
          name(data.metric()), name(chosen));
      data = data.withGroundTruth(null);
    }
    if (maxQueries != null) {
      data = data.limitQueries(maxQueries);
    }
    int n = data.base().length;
    String truthSource;
    int[][] truth;
    if (data.groundTruth() != null) {
      GroundTruth.check(data.groundTruth(), data.queries().length, n, k);
      truth = data.groundTruth();
      truthSource = "from " + (groundTruth != null ? groundTruth : "the dataset") + " (first " + Math.min(k, n)
          + " ids per query)";
    } else {
      long start = System.nanoTime();
      try (Progress.Task task = progress.start("ground truth", data.queries().length)) {
        truth = GroundTruth.compute(data.base(), data.queries(), chosen, k, Runtime.getRuntime().availableProcessors(),
            task);
        task.complete();
      }
      truthSource = String.format(Locale.ROOT, "exact, computed with the flat index on %d threads in %.1f s",
          Runtime.getRuntime().availableProcessors(), (System.nanoTime() - start) / 1e9);
    }

    TextReport report = new TextReport(out);
    Environment env = Environment.detect(contenders);
    report.header(data.name(), n, data.dimension(), data.queries().length, name(chosen), k, env, truthSource);
    if (batched) {
      report.batchNote(batchWorkers);
    }
    Benchmark.Settings settings = new Benchmark.Settings(k, passes, threads, recallTargets, !noSweep,
        warmupSeconds, batched, batchWorkers, targets, runs);
    PhaseListener listener = new PhaseListener(progress);
    List<AlgorithmResult> results;
    try {
      results = Benchmark.run(entries, data.base(), data.queries(), truth, chosen, settings, listener);
    } finally {
      listener.done(); // a failed phase's bar is cleared before the error is printed
    }
    for (AlgorithmResult result : results) {
      report.algorithm(result, k, batched ? batchWorkers : 0);
    }
    BenchResult result = new BenchResult(data.name(), n, data.dimension(), data.queries().length, chosen, k, env,
        settings.recallTargets(), results, batched ? batchWorkers : 0, settings.targetRecalls());
    report.summary(result);
    report.targetRecall(result);
    if (json != null) {
      JsonReport.write(result, json);
      out.println("wrote " + json);
    }
    if (plot != null) {
      RecallPlot.write(result, plot);
      out.println("wrote " + plot);
    }
    out.flush();
    return 0;
  }

  private void checkOptions() {
    if (k < 1) {
      throw new IllegalArgumentException("--k must be at least 1, got " + k);
    }
    if (passes < 1) {
      throw new IllegalArgumentException("--passes must be at least 1, got " + passes);
    }
    if (runs < 1) {
      throw new IllegalArgumentException("--runs must be at least 1, got " + runs);
    }
    if (warmupSeconds < 0) {
      throw new IllegalArgumentException("--warmup must not be negative, got " + warmupSeconds);
    }
    if (maxQueries != null && maxQueries < 1) {
      throw new IllegalArgumentException("--max-queries must be at least 1, got " + maxQueries);
    }
    for (double t : recallTargets) {
      if (!(t > 0 && t <= 1)) {
        throw new IllegalArgumentException("--recall-targets must lie in (0, 1], got " + t);
      }
    }
    if (targetRecalls != null) {
      for (double t : targetRecalls) {
        if (!(t > 0 && t <= 1)) {
          throw new IllegalArgumentException("--target-recall must lie in (0, 1], got " + t);
        }
      }
    }
    if (base != null && dataset != null) {
      throw new IllegalArgumentException("give either --dataset or --base/--queries, not both");
    }
    if (base == null && (queries != null || groundTruth != null)) {
      throw new IllegalArgumentException("--queries and --groundtruth need --base");
    }
    if (metric != null) {
      Metric.parse(metric);
    }
  }

  private Dataset loadDataset(Progress progress) throws Exception {
    int queryLimit = maxQueries != null ? maxQueries : Integer.MAX_VALUE;
    if (base != null) {
      return loadFiles(progress, queryLimit);
    }
    String name = dataset == null ? "synthetic" : dataset.trim();
    Matcher synthetic = SYNTHETIC.matcher(name.toLowerCase(Locale.ROOT));
    if (synthetic.matches()) {
      int size = synthetic.group(1) == null ? SyntheticDataset.DEFAULT_SIZE : parseSize(synthetic.group(1));
      int dim = synthetic.group(2) == null ? SyntheticDataset.DEFAULT_DIMENSION : parseSize(synthetic.group(2));
      int count = maxQueries != null ? maxQueries : SyntheticDataset.DEFAULT_QUERIES;
      return SyntheticDataset.generate(size, dim, count, seed);
    }
    if (name.equalsIgnoreCase(FashionMnist.NAME)) {
      FashionMnist.Files files = FashionMnist.locate();
      float[][] baseVectors = Loading.vectors(progress, files.train(), "train", Integer.MAX_VALUE);
      float[][] queryVectors = Loading.vectors(progress, files.test(), "test", queryLimit);
      return new Dataset(FashionMnist.NAME, baseVectors, queryVectors, null, Metric.L2);
    }
    if (name.equalsIgnoreCase(SIFT5K)) {
      Path dir = locateSift5k();
      float[][] baseVectors = Loading.vectors(progress, dir.resolve("sift5k.base.fvecs"), "train", Integer.MAX_VALUE);
      float[][] queryVectors = Loading.vectors(progress, dir.resolve("sift5k.query.fvecs"), "test", queryLimit);
      int[][] truth = Loading.neighbours(progress, dir.resolve("sift5k.gt.ivecs"), queryLimit);
      return new Dataset(SIFT5K, baseVectors, queryVectors, truth, Metric.L2);
    }
    Path file = Path.of(name);
    if (Files.isRegularFile(file) && VectorFormat.of(file) == VectorFormat.HDF5) {
      return loadHdf5(progress, file, null, queryLimit);
    }
    throw new IllegalArgumentException("unknown dataset '" + name + "'; use synthetic, synthetic:NxD, fashion-mnist,"
        + " sift5k, an existing ann-benchmarks .hdf5 file, or --base/--queries");
  }

  /**
   * The directory holding sift5k's three files: {@code -Dvers.datasets}, else {@code $VERS_DATASETS}, else
   * the first {@code shared/datasets} found from the working directory up, as the tests look for it.
   */
  private static Path locateSift5k() {
    String base = "sift5k.base.fvecs";
    String property = System.getProperty("vers.datasets");
    String variable = System.getenv("VERS_DATASETS");
    String given = property != null ? "-Dvers.datasets=" + property : "VERS_DATASETS=" + variable;
    String where = property != null ? property : variable;
    if (where != null && !where.isBlank()) {
      Path dir = Path.of(where);
      if (Files.isRegularFile(dir.resolve(base))) {
        return dir;
      }
      throw new IllegalArgumentException(given + " has no " + base);
    }
    Path start = Path.of("").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      Path dir = p.resolve("shared").resolve("datasets");
      if (Files.isRegularFile(dir.resolve(base))) {
        return dir;
      }
    }
    throw new IllegalArgumentException("sift5k not found: looked for shared/datasets/" + base + " in " + start
        + " and every parent; set VERS_DATASETS=DIR, or give its files with --base/--queries/--groundtruth");
  }

  private static int parseSize(String text) {
    try {
      int v = Integer.parseInt(text);
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException("synthetic sizes must be whole numbers from 1 to " + Integer.MAX_VALUE
        + ", got " + text);
  }

  private Dataset loadFiles(Progress progress, int queryLimit) throws Exception {
    if (VectorFormat.of(base) == VectorFormat.HDF5) {
      return loadHdf5(progress, base, queries, queryLimit);
    }
    if (queries == null) {
      throw new IllegalArgumentException("--base needs --queries (only an .hdf5 base carries its own queries)");
    }
    float[][] baseVectors = Loading.vectors(progress, base, "train", Integer.MAX_VALUE);
    float[][] queryVectors = Loading.vectors(progress, queries, "test", queryLimit);
    int[][] truth = groundTruth == null ? null : Loading.neighbours(progress, groundTruth, queryLimit);
    checkDimensions(baseVectors, queryVectors, queries);
    return new Dataset(stem(base), baseVectors, queryVectors, truth, null);
  }

  private Dataset loadHdf5(Progress progress, Path file, Path separateQueries, int queryLimit) throws Exception {
    float[][] baseVectors = Loading.vectors(progress, file, "train", Integer.MAX_VALUE);
    float[][] queryVectors = separateQueries != null
        ? Loading.vectors(progress, separateQueries, "test", queryLimit)
        : Loading.vectors(progress, file, "test", queryLimit);
    int[][] truth = null;
    if (groundTruth != null) {
      truth = Loading.neighbours(progress, groundTruth, queryLimit);
    } else if (separateQueries == null && AnnBenchmarksHdf5.hasNeighbors(file)) {
      truth = Loading.neighbours(progress, file, queryLimit);
    }
    checkDimensions(baseVectors, queryVectors, separateQueries != null ? separateQueries : file);
    Metric declared = AnnBenchmarksHdf5.metric(file).orElse(null);
    return new Dataset(stem(file), baseVectors, queryVectors, truth, declared);
  }

  private static void checkDimensions(float[][] base, float[][] queries, Path queryFile) {
    if (base[0].length != queries[0].length) {
      throw new IllegalArgumentException("the queries in " + queryFile + " have dimension " + queries[0].length
          + " but the base vectors have " + base[0].length);
    }
  }

  private static String stem(Path file) {
    String name = file.getFileName().toString();
    if (name.endsWith(".gz")) {
      name = name.substring(0, name.length() - 3);
    }
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** Index of the search knob {@code key} names among the contender's knobs, or -1. */
  private static int knobIndex(Contender contender, String key) {
    List<ParameterSpec> knobs = contender.searchParameters();
    for (int i = 0; i < knobs.size(); i++) {
      if (knobs.get(i).matches(key)) {
        return i;
      }
    }
    return -1;
  }

  /** M and efConstruction for HNSW and the peers: 16 and 200 unless --param hnsw.* says otherwise. */
  static Map<String, Object> sharedGraphParameters(Map<String, String> hnsw) {
    Map<String, Object> shared = new LinkedHashMap<>();
    shared.put(Peers.M.name(), DEFAULT_M);
    shared.put(Peers.EF_CONSTRUCTION.name(), DEFAULT_EF_CONSTRUCTION);
    if (hnsw != null) {
      hnsw.forEach((key, value) -> {
        if (Peers.M.matches(key)) {
          shared.put(Peers.M.name(), value);
        } else if (Peers.EF_CONSTRUCTION.matches(key)) {
          shared.put(Peers.EF_CONSTRUCTION.name(), value);
        }
      });
    }
    return shared;
  }

  /** Adds each shared value the contender accepts and the user did not set for it. */
  static void applyDefaults(Contender contender, Map<String, Object> build, Map<String, Object> shared) {
    for (Map.Entry<String, Object> e : shared.entrySet()) {
      ParameterSpec spec = contender.parameters().stream().filter(s -> s.matches(e.getKey())).findFirst().orElse(null);
      if (spec == null) {
        continue;
      }
      boolean given = build.keySet().stream().anyMatch(spec::matches);
      if (!given) {
        build.put(spec.name(), e.getValue());
      }
    }
  }

  /** Each phase of the benchmark as a progress phase; a phase still open when the run ends had failed. */
  private static final class PhaseListener implements Benchmark.Listener {
    private final Progress progress;
    private Progress.Task current;

    PhaseListener(Progress progress) {
      this.progress = progress;
    }

    @Override
    public ProgressListener building(String name, int vectors) {
      return begin("build " + name, vectors);
    }

    @Override
    public ProgressListener sweeping(String name, int configurations) {
      return begin("measure " + name, configurations);
    }

    @Override
    public ProgressListener timing(int passes) {
      return begin("time all, interleaved", passes);
    }

    private Progress.Task begin(String name, long total) {
      end(false);
      current = progress.start(name, total);
      return current;
    }

    @Override
    public void done() {
      end(true);
    }

    private void end(boolean completed) {
      if (current != null) {
        if (completed) {
          current.complete();
        }
        current.close();
        current = null;
      }
    }
  }

  /** The build parameters a contender will be built with, checked against its specs. */
  private static void checkBuildParameters(Contender contender, Map<String, Object> build) {
    try {
      IndexParams.resolve(contender.name(), contender.parameters(), build);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(contender.name() + ": " + e.getMessage(), e);
    }
  }

  /** A fixed value of a contender's first search knob: a whole number in the knob's range. */
  private static int knobValue(Contender contender, String key, String value) {
    int v = Assignments.positiveInt("--param", contender.name() + "." + key, value);
    ParameterSpec knob = contender.searchParameters().get(0);
    if (v < knob.min() || v > knob.max()) {
      throw new IllegalArgumentException("--param " + contender.name() + "." + key + "=" + value + ": "
          + knob.name() + " of " + contender.name() + " must be in " + knob.range());
    }
    return v;
  }

  private static String names(List<ParameterSpec> specs) {
    return specs.isEmpty() ? "none" : String.join(", ", specs.stream().map(ParameterSpec::name).toList());
  }

  private static String name(Metric metric) {
    return metric.name().toLowerCase(Locale.ROOT);
  }
}
