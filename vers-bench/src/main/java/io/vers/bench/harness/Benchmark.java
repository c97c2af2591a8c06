package io.vers.bench.harness;

import static com.google.common.base.Preconditions.checkArgument;

import io.vers.api.Calibration;
import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import io.vers.api.ProgressListener;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Builds every contender's index on one dataset and measures recall and speed of their search
 * configurations, with the timing of all contenders interleaved.
 *
 * <h2>Phases</h2>
 * <ol>
 *   <li>Build: each index in turn, timed, on {@code threads} threads; all indexes then stay in memory.
 *   <li>Recall: per index, a warm-up of {@code warmupSeconds} (alternating its default configuration and
 *       two knob settings, so that the JIT compiles the paths measured next), then one untimed pass over
 *       all queries per configuration, giving recall@k: the share of the first k ground-truth ids among
 *       the k returned, averaged over queries. This pass is also each configuration's own warm-up.
 *   <li>Timing, interleaved: rounds in which every configuration of every index runs one timed pass over
 *       all queries, on the calling thread, one {@code search} call per query. At least {@code passes}
 *       rounds, more (up to 50) while a configuration's passes add up to less than half a second. A
 *       configuration's QPS comes from its fastest pass. Interleaving spreads slow spells of a shared
 *       machine over every contender instead of penalising whichever ran during them.
 * </ol>
 *
 * <h2>Batches</h2>
 * With {@link Settings#batch()}, every configuration of an index that has a batch call
 * ({@link BuiltIndex#batchSearcher}) is also measured with all queries in one call: its recall from one
 * untimed call on {@link Settings#batchThreads()} threads, and in each timing round one call on one thread
 * and one on {@code batchThreads} threads, timed like the passes above (the fastest call counts).
 *
 * <h2>Target recall</h2>
 * With {@link Settings#targetRecalls()}, every index that has a search knob and can search for a recall
 * ({@link BuiltIndex#targetRecallSearcher}) runs, after its sweep, one query asking for the lowest target;
 * that first call measures the index's calibration and is timed on its own. Each target then gets its
 * recall pass and joins the interleaved timing as a configuration of its own, one call per query.
 *
 * <h2>Sweeps</h2>
 * Without a fixed knob value, the first search knob a contender declares is swept over
 * {@link KnobGrid#values}: its declared default (if any) first, then the grid in ascending order,
 * stopping once recall reaches the highest target (of the recall targets and the target recalls), or after
 * three steps that improve recall by less than 0.0005, or at the end of the grid.
 *
 * <h2>Memory</h2>
 * vers indexes report their heap use ({@code Index.ramBytesUsed()}); for contenders that keep no
 * accounting (the peers) it is the growth of the used heap across the build, each side measured after
 * full garbage collections, outside the timed build.
 *
 * <p>Not thread-safe.
 */
public final class Benchmark {
  /** Recall gains below this count as a plateau. */
  private static final double PLATEAU = 0.0005;

  private static final int PLATEAU_STEPS = 3;

  /** The most extra knob values measured per recall target to narrow its crossing. */
  private static final int REFINE_STEPS = 4;

  /** Short passes are noisy: timed passes continue (beyond the requested number) until this much time. */
  private static final long MIN_TIMED_NANOS = 500_000_000L;

  /** The most timed passes one configuration gets. */
  private static final int MAX_PASSES = 50;

  /** Keeps the timed loops' results alive so that the JIT cannot drop them. */
  private static volatile long sink;

  /**
   * How to run.
   *
   * @param k neighbours per query
   * @param passes timed passes per configuration, at least (the fastest counts)
   * @param threads threads for building
   * @param recallTargets recall levels to reach, ascending
   * @param sweep whether to sweep the search knob (otherwise only the default configuration runs)
   * @param warmupSeconds how long to run queries on an index before its first measurement
   * @param batch whether to measure batched throughput too (all queries in one call)
   * @param batchThreads the threads of the multi-threaded batch call
   * @param targetRecalls recalls to search for with the index choosing its knob, ascending; empty for none
   */
  public record Settings(int k, int passes, int threads, List<Double> recallTargets, boolean sweep,
      double warmupSeconds, boolean batch, int batchThreads, List<Double> targetRecalls, int runs) {
    public Settings {
      checkArgument(runs >= 1, "runs must be at least 1, got %s", runs);
      checkArgument(warmupSeconds >= 0, "warmupSeconds must not be negative, got %s", warmupSeconds);
      checkArgument(k >= 1, "k must be at least 1, got %s", k);
      checkArgument(passes >= 1, "passes must be at least 1, got %s", passes);
      checkArgument(threads >= 1, "threads must be at least 1, got %s", threads);
      checkArgument(batchThreads >= 1, "batchThreads must be at least 1, got %s", batchThreads);
      recallTargets = recallTargets.stream().sorted().toList();
      targetRecalls = targetRecalls.stream().sorted().distinct().toList();
      for (double t : targetRecalls) {
        checkArgument(t > 0 && t <= 1, "a target recall must lie in (0, 1], got %s", t);
      }
    }

    /** One query per call only: no batches, no target recalls, one run. */
    public Settings(int k, int passes, int threads, List<Double> recallTargets, boolean sweep, double warmupSeconds) {
      this(k, passes, threads, recallTargets, sweep, warmupSeconds, false, 1, List.of());
    }

    /** One run of the timed passes. */
    public Settings(int k, int passes, int threads, List<Double> recallTargets, boolean sweep, double warmupSeconds,
        boolean batch, int batchThreads, List<Double> targetRecalls) {
      this(k, passes, threads, recallTargets, sweep, warmupSeconds, batch, batchThreads, targetRecalls, 1);
    }

    double highestTarget() {
      double highest = recallTargets.isEmpty() ? 0 : recallTargets.get(recallTargets.size() - 1);
      if (!targetRecalls.isEmpty()) {
        highest = Math.max(highest, targetRecalls.get(targetRecalls.size() - 1));
      }
      return recallTargets.isEmpty() && targetRecalls.isEmpty() ? 1.0 : highest;
    }
  }

  /**
   * One contender to run.
   *
   * @param contender what to build
   * @param buildParams build parameters by name, as the user gave them (the contender applies defaults)
   * @param fixedKnob a value for the first search knob instead of a sweep, if the user fixed one
   */
  public record Entry(Contender contender, Map<String, ?> buildParams, OptionalInt fixedKnob) {}

  /** Receives progress. Each task ends with {@link #done()}. */
  public interface Listener {
    /** Building {@code name} starts (units: vectors). */
    ProgressListener building(String name, int vectors);

    /** The recall sweep of {@code name} starts (units: configurations, at most {@code configurations}). */
    ProgressListener sweeping(String name, int configurations);

    /** The interleaved timing starts (units: timed passes, {@code passes} expected). */
    ProgressListener timing(int passes);

    /** The current task is over. */
    void done();
  }

  private Benchmark() {}

  /** Runs one contender alone; see {@link #run(List, float[][], float[][], int[][], Metric, Settings, Listener)}. */
  public static AlgorithmResult run(Contender contender, float[][] base, float[][] queries, int[][] truth,
      Metric metric, Map<String, ?> buildParams, OptionalInt fixedKnob, Settings settings, Listener listener)
      throws Exception {
    return run(List.of(new Entry(contender, buildParams, fixedKnob)), base, queries, truth, metric, settings, listener)
        .get(0);
  }

  /**
   * Builds every entry's index over {@code base} (vector {@code i} gets id {@code i}) and measures it.
   *
   * @param truth exact neighbours per query (base ordinals, nearest first), at least {@code min(k, n)}
   * @return one result per entry, in order
   */
  public static List<AlgorithmResult> run(List<Entry> entries, float[][] base, float[][] queries, int[][] truth,
      Metric metric, Settings settings, Listener listener) throws Exception {
    Queries q = new Queries(queries, settings.batch() ? rowMajor(queries) : null, truth);
    List<Built> built = new ArrayList<>();
    try {
      for (Entry entry : entries) {
        built.add(build(entry, base, metric, settings, listener));
      }
      for (Built b : built) {
        b.configs = sweep(b, base.length, q, settings, listener);
        targetRecall(b, q, settings);
      }
      time(built, q, settings, listener);
      List<AlgorithmResult> results = new ArrayList<>();
      for (Built b : built) {
        List<Measurement> points = new ArrayList<>();
        for (Config c : b.configs) {
          points.add(c.measurement(queries.length, settings.batchThreads()));
        }
        points.sort(Comparator.comparingInt(Measurement::knobValue).thenComparing(m -> !m.isDefault()));
        TargetRecallResult targets = null;
        if (b.targetConfigs != null) {
          List<TargetRecallResult.Point> chosen = new ArrayList<>();
          for (Config c : b.targetConfigs) {
            chosen.add(new TargetRecallResult.Point(c.target, c.shownValue, c.recall, c.single.qps(queries.length)));
          }
          targets = new TargetRecallResult(b.knob.name(), b.calibrationSeconds, b.calibrationQueries, chosen);
        }
        Contender contender = b.entry.contender();
        results.add(new AlgorithmResult(contender.name(), contender.isPeer(), b.index.parameters(),
            b.knob == null ? null : b.knob.name(), b.buildSeconds, settings.threads(), b.bytes, points, targets));
      }
      return results;
    } finally {
      for (Built b : built) {
        b.index.close();
      }
    }
  }

  /** A built index and its configurations. */
  private static final class Built {
    final Entry entry;
    final BuiltIndex index;
    final ParameterSpec knob;
    final double buildSeconds;
    final long bytes;
    List<Config> configs;
    /** The target-recall searches, one per target; {@code null} when not measured. */
    List<Config> targetConfigs;
    double calibrationSeconds;
    int calibrationQueries;

    Built(Entry entry, BuiltIndex index, ParameterSpec knob, double buildSeconds, long bytes) {
      this.entry = entry;
      this.index = index;
      this.knob = knob;
      this.buildSeconds = buildSeconds;
      this.bytes = bytes;
    }
  }

  /** The queries, also row-major for batch calls, and their exact neighbours. */
  private record Queries(float[][] vectors, float[] rows, int[][] truth) {
    int count() {
      return vectors.length;
    }
  }

  /** One search configuration: its runners, recall, and timing so far. */
  private static final class Config {
    final String knob;
    final int shownValue;
    final QueryRunner runner;
    /** The same configuration as one batch call, or {@code null} when batches are not measured. */
    BatchRunner batchRunner;
    /** The recall asked for, for a target-recall search; NaN otherwise. */
    double target = Double.NaN;
    double recall;
    double batchRecall;
    final PassTimer single = new PassTimer();
    final PassTimer batchOne = new PassTimer();
    final PassTimer batchMany = new PassTimer();

    Config(String knob, int shownValue, QueryRunner runner) {
      this.knob = knob;
      this.shownValue = shownValue;
      this.runner = runner;
    }

    Measurement measurement(int queries, int batchThreads) {
      BatchMeasurement batch = batchRunner == null ? null : new BatchMeasurement(batchThreads, batchRecall,
          batchOne.qps(queries), (batchThreads > 1 ? batchMany : batchOne).qps(queries));
      List<Double> runs = single.runs();
      return new Measurement(knob, shownValue, recall, single.qps(queries), batch, single.percentileMillis(50),
          single.percentileMillis(99), runs.size() > 1 ? runs : List.of());
    }

    void endRun(int queries) {
      single.endRun(queries);
      batchOne.endRun(queries);
      batchMany.endRun(queries);
    }
  }

  private static Built build(Entry entry, float[][] base, Metric metric, Settings settings, Listener listener)
      throws Exception {
    Contender contender = entry.contender();
    long heapBefore = contender.reportsSize() ? 0 : HeapUsage.usedAfterGc();
    ProgressListener progress = listener.building(contender.name(), base.length);
    long start = System.nanoTime();
    BuiltIndex index;
    try {
      index = contender.build(base, metric, entry.buildParams(), settings.threads(), progress);
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      throw new IllegalArgumentException(contender.name() + ": " + e.getMessage(), e);
    } finally {
      listener.done();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long bytes = contender.reportsSize() ? index.bytes() : HeapUsage.usedAfterGc() - heapBefore;
    List<ParameterSpec> knobs = contender.searchParameters(index.parameters(), settings.k());
    return new Built(entry, index, knobs.isEmpty() ? null : knobs.get(0), seconds, bytes);
  }

  /** Chooses the configurations of one index and measures their recall. */
  private static List<Config> sweep(Built b, int n, Queries q, Settings settings, Listener listener) {
    int k = settings.k();
    float[][] queries = q.vectors();
    ParameterSpec knob = b.knob;
    String name = b.entry.contender().name();
    int declared = knob != null && knob.defaultValue() instanceof Number number ? number.intValue() : 0;
    int[] grid = knob == null ? new int[0] : KnobGrid.values(knob, k, n);

    List<QueryRunner> warmers = new ArrayList<>();
    warmers.add(b.index.searcher(null, 0));
    if (grid.length > 0) {
      warmers.add(b.index.searcher(knob.name(), grid[0]));
      warmers.add(b.index.searcher(knob.name(), grid[Math.min(grid.length - 1, 4)]));
    }
    warmUp(warmers, queries, k, settings.warmupSeconds());

    List<Config> configs = new ArrayList<>();
    if (knob != null && b.entry.fixedKnob().isPresent()) {
      int value = b.entry.fixedKnob().getAsInt();
      configs.add(measured(config(b, knob.name(), value, settings), q, settings));
      return configs;
    }
    if (knob == null || !settings.sweep()) {
      configs.add(measured(config(b, null, declared, settings), q, settings));
      return configs;
    }
    int total = grid.length + (declared > 0 ? 1 : 0);
    ProgressListener progress = listener.sweeping(name, total);
    try {
      // The declared default comes first, so that it is reported even when the sweep stops early.
      Config byDefault = null;
      if (declared > 0) {
        byDefault = measured(config(b, null, declared, settings), q, settings);
        configs.add(byDefault);
        progress.progress(1, total);
      }
      double best = -1;
      int stale = 0;
      Map<Integer, Config> ladder = new HashMap<>();
      for (int i = 0; i < grid.length; i++) {
        Config c;
        if (byDefault != null && grid[i] == declared) {
          c = byDefault;
        } else {
          c = measured(config(b, knob.name(), grid[i], settings), q, settings);
          configs.add(c);
        }
        ladder.put(grid[i], c);
        progress.progress(configs.size(), total);
        stale = c.recall < best + PLATEAU ? stale + 1 : 0;
        best = Math.max(best, c.recall);
        if (c.recall >= settings.highestTarget() || stale >= PLATEAU_STEPS) {
          break;
        }
      }
      refine(b, configs, ladder, q, settings);
      progress.progress(total, total);
    } finally {
      listener.done();
    }
    return configs;
  }

  /**
   * Narrows each recall target's crossing: between the largest knob value that missed the target and the
   * smallest that reached it, bisects until the two are within an eighth of each other (or adjacent), so
   * that the 1.5x steps of the ladder do not decide a QPS-at-recall figure. Adds the measured values to
   * {@code configs}.
   *
   * @param ladder the knob value of each configuration the ladder measured ({@code configs} also holds
   *     the declared default, which counts only where the ladder reused it for its own value)
   */
  private static void refine(Built b, List<Config> configs, Map<Integer, Config> ladder, Queries q,
      Settings settings) {
    TreeMap<Integer, Double> recalls = new TreeMap<>();
    ladder.forEach((value, c) -> recalls.put(value, c.recall));
    for (double target : settings.recallTargets()) {
      for (int step = 0; step < REFINE_STEPS; step++) {
        Integer reached = null;
        for (Map.Entry<Integer, Double> e : recalls.entrySet()) {
          if (e.getValue() >= target) {
            reached = e.getKey();
            break;
          }
        }
        Integer below = reached == null ? null : recalls.lowerKey(reached);
        if (below == null || reached - below <= Math.max(1, below / 8)) {
          break;
        }
        int middle = below + (reached - below) / 2;
        Config c = measured(config(b, b.knob.name(), middle, settings), q, settings);
        configs.add(c);
        recalls.put(middle, c.recall);
      }
    }
  }

  /**
   * A configuration of {@code b}: {@code knob} set to {@code value}, or the defaults (shown as
   * {@code value}, the declared default) when {@code knob} is {@code null}.
   */
  private static Config config(Built b, String knob, int value, Settings settings) {
    Config c = new Config(knob, value, b.index.searcher(knob, knob == null ? 0 : value));
    if (settings.batch()) {
      c.batchRunner = b.index.batchSearcher(knob, knob == null ? 0 : value).orElse(null);
    }
    return c;
  }

  private static Config measured(Config c, Queries q, Settings settings) {
    c.recall = recall(c.runner, q.vectors(), q.truth(), settings.k());
    if (c.batchRunner != null) {
      c.batchRecall = batchRecall(c.batchRunner, q.rows(), q.count(), q.truth(), settings.k(), settings.batchThreads());
    }
    return c;
  }

  /**
   * The target-recall searches of {@code b}, when asked for and possible: the first call (which measures
   * the index's calibration) timed on its own, then each target's recall pass.
   */
  private static void targetRecall(Built b, Queries q, Settings settings) {
    List<Double> targets = settings.targetRecalls();
    if (targets.isEmpty() || b.knob == null || q.count() == 0) {
      return;
    }
    Optional<QueryRunner> first = b.index.targetRecallSearcher(targets.get(0));
    if (first.isEmpty()) {
      return;
    }
    int k = settings.k();
    long start = System.nanoTime();
    sink += first.get().search(q.vectors()[0], k, new long[k]);
    b.calibrationSeconds = (System.nanoTime() - start) / 1e9;
    Calibration calibration = b.index.calibration(k).orElse(null);
    b.calibrationQueries = calibration == null ? 0 : calibration.queries();
    b.targetConfigs = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      double t = targets.get(i);
      QueryRunner runner = i == 0 ? first.get() : b.index.targetRecallSearcher(t).orElseThrow();
      int chosen = calibration == null ? 0 : calibration.valueFor(t).orElse(0);
      Config c = new Config(b.knob.name(), chosen, runner);
      c.target = t;
      c.recall = recall(runner, q.vectors(), q.truth(), k);
      b.targetConfigs.add(c);
    }
  }

  /**
   * Timed passes, interleaved across every configuration of every index; with {@code runs} above 1 the
   * whole interleaved timing is repeated that many times and each configuration reports the median run.
   * Every query of a single-query pass is timed on its own as well, for latency percentiles.
   */
  private static void time(List<Built> built, Queries q, Settings settings, Listener listener) {
    List<Config> all = new ArrayList<>();
    for (Built b : built) {
      all.addAll(b.configs);
      if (b.targetConfigs != null) {
        all.addAll(b.targetConfigs);
      }
    }
    ProgressListener progress = listener.timing(settings.passes() * settings.runs());
    try {
      for (int run = 0; run < settings.runs(); run++) {
        timeOnce(all, q, settings, progress, run);
        if (settings.runs() > 1) {
          for (Config c : all) {
            c.endRun(q.count());
          }
        }
      }
    } finally {
      listener.done();
    }
  }

  private static void timeOnce(List<Config> all, Queries q, Settings settings, ProgressListener progress, int run) {
    int k = settings.k();
    int p = settings.passes();
    long[] out = new long[k];
    long local = 0;
    for (int round = 0; round < MAX_PASSES; round++) {
      boolean more = false;
      for (Config c : all) {
        if (c.single.needsMore(p, MIN_TIMED_NANOS)) {
          long start = System.nanoTime();
          long last = start;
          for (float[] query : q.vectors()) {
            local += c.runner.search(query, k, out) + out[0];
            long now = System.nanoTime();
            c.single.addLatency(now - last);
            last = now;
          }
          c.single.add(last - start);
          more |= c.single.needsMore(p, MIN_TIMED_NANOS);
        }
        if (c.batchRunner != null) {
          local += timeBatch(c.batchRunner, c.batchOne, q, k, 1, p);
          more |= c.batchOne.needsMore(p, MIN_TIMED_NANOS);
          if (settings.batchThreads() > 1) {
            local += timeBatch(c.batchRunner, c.batchMany, q, k, settings.batchThreads(), p);
            more |= c.batchMany.needsMore(p, MIN_TIMED_NANOS);
          }
        }
      }
      progress.progress((long) run * p + Math.min(round + 1, p), (long) p * settings.runs());
      if (!more) {
        break;
      }
    }
    sink += local;
  }

  /** One timed batch call over every query, unless {@code timer} has enough; returns a result id. */
  private static long timeBatch(BatchRunner runner, PassTimer timer, Queries q, int k, int threads, int passes) {
    if (!timer.needsMore(passes, MIN_TIMED_NANOS)) {
      return 0;
    }
    long start = System.nanoTime();
    long[] ids = runner.search(q.rows(), q.count(), k, threads);
    timer.add(System.nanoTime() - start);
    return ids.length == 0 ? 0 : ids[0];
  }

  /** Runs passes over the queries, cycling through {@code runners}, until {@code seconds} have passed. */
  static void warmUp(List<QueryRunner> runners, float[][] queries, int k, double seconds) {
    long[] out = new long[k];
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    long local = 0;
    for (int pass = 0; System.nanoTime() < deadline; pass++) {
      QueryRunner runner = runners.get(pass % runners.size());
      for (float[] query : queries) {
        local += runner.search(query, k, out);
      }
    }
    sink += local;
  }

  /** Recall@k of one pass of {@code runner} over the queries. */
  static double recall(QueryRunner runner, float[][] queries, int[][] truth, int k) {
    long[] out = new long[k];
    long hits = 0;
    long expected = 0;
    for (int q = 0; q < queries.length; q++) {
      int found = runner.search(queries[q], k, out);
      int depth = Math.min(k, truth[q].length);
      expected += depth;
      hits += overlap(out, found, truth[q], depth);
    }
    return expected == 0 ? 1.0 : (double) hits / expected;
  }

  /**
   * Recall@k of one batch call over every query, computed as {@link #recall} computes it.
   *
   * @param rows the queries row-major
   */
  static double batchRecall(BatchRunner runner, float[] rows, int count, int[][] truth, int k, int threads) {
    long[] ids = runner.search(rows, count, k, threads);
    long hits = 0;
    long expected = 0;
    for (int q = 0; q < count; q++) {
      int found = 0;
      while (found < k && ids[q * k + found] >= 0) {
        found++;
      }
      int depth = Math.min(k, truth[q].length);
      expected += depth;
      hits += overlap(ids, q * k, found, truth[q], depth);
    }
    return expected == 0 ? 1.0 : (double) hits / expected;
  }

  /** The queries in one row-major array, query {@code i} at {@code [i * d, (i + 1) * d)}. */
  static float[] rowMajor(float[][] queries) {
    int d = queries.length == 0 ? 0 : queries[0].length;
    float[] rows = new float[Math.multiplyExact(queries.length, d)];
    for (int i = 0; i < queries.length; i++) {
      System.arraycopy(queries[i], 0, rows, i * d, d);
    }
    return rows;
  }

  /**
   * Measures one configuration on its own: a pass that computes recall@k, then {@code passes} timed
   * passes (more, up to 50, while they add up to less than half a second); the fastest gives the QPS.
   */
  public static Measurement measure(QueryRunner runner, float[][] queries, int[][] truth, int k, int passes) {
    double recall = recall(runner, queries, truth, k);
    long[] out = new long[k];
    long bestNanos = Long.MAX_VALUE;
    long timedNanos = 0;
    long local = 0;
    for (int p = 0; p < passes || (timedNanos < MIN_TIMED_NANOS && p < MAX_PASSES); p++) {
      long start = System.nanoTime();
      for (float[] query : queries) {
        local += runner.search(query, k, out) + out[0];
      }
      long elapsed = System.nanoTime() - start;
      bestNanos = Math.min(bestNanos, elapsed);
      timedNanos += elapsed;
    }
    sink += local;
    return new Measurement(null, 0, recall, queries.length * 1e9 / Math.max(1, bestNanos));
  }

  /** How many of {@code found[0..count)} are among {@code exact[0..depth)}. */
  static int overlap(long[] found, int count, int[] exact, int depth) {
    return overlap(found, 0, count, exact, depth);
  }

  /** How many of {@code found[from..from + count)} are among {@code exact[0..depth)}. */
  static int overlap(long[] found, int from, int count, int[] exact, int depth) {
    int hits = 0;
    for (int i = from; i < from + count; i++) {
      long id = found[i];
      for (int j = 0; j < depth; j++) {
        if (exact[j] == id) {
          hits++;
          break;
        }
      }
    }
    return hits;
  }
}
