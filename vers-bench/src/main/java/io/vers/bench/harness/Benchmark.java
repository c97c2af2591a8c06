package io.vers.bench.harness;

import static com.google.common.base.Preconditions.checkArgument;

import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import io.vers.api.ProgressListener;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

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
 * <h2>Sweeps</h2>
 * Without a fixed knob value, the first search knob a contender declares is swept over
 * {@link KnobGrid#values}: its declared default (if any) first, then the grid in ascending order,
 * stopping once recall reaches the highest target, or after three steps that improve recall by less
 * than 0.0005, or at the end of the grid.
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
   */
  public record Settings(int k, int passes, int threads, List<Double> recallTargets, boolean sweep,
      double warmupSeconds) {
    public Settings {
      checkArgument(warmupSeconds >= 0, "warmupSeconds must not be negative, got %s", warmupSeconds);
      checkArgument(k >= 1, "k must be at least 1, got %s", k);
      checkArgument(passes >= 1, "passes must be at least 1, got %s", passes);
      checkArgument(threads >= 1, "threads must be at least 1, got %s", threads);
      recallTargets = recallTargets.stream().sorted().toList();
    }

    double highestTarget() {
      return recallTargets.isEmpty() ? 1.0 : recallTargets.get(recallTargets.size() - 1);
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
    List<Built> built = new ArrayList<>();
    try {
      for (Entry entry : entries) {
        built.add(build(entry, base, metric, settings, listener));
      }
      for (Built b : built) {
        b.configs = sweep(b, base.length, queries, truth, settings, listener);
      }
      time(built, queries, settings, listener);
      List<AlgorithmResult> results = new ArrayList<>();
      for (Built b : built) {
        List<Measurement> points = new ArrayList<>();
        for (Config c : b.configs) {
          points.add(new Measurement(c.knob, c.shownValue, c.recall, queries.length * 1e9 / Math.max(1, c.bestNanos)));
        }
        points.sort(Comparator.comparingInt(Measurement::knobValue).thenComparing(m -> !m.isDefault()));
        Contender contender = b.entry.contender();
        results.add(new AlgorithmResult(contender.name(), contender.isPeer(), b.index.parameters(),
            b.knob == null ? null : b.knob.name(), b.buildSeconds, settings.threads(), b.bytes, points));
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

    Built(Entry entry, BuiltIndex index, ParameterSpec knob, double buildSeconds, long bytes) {
      this.entry = entry;
      this.index = index;
      this.knob = knob;
      this.buildSeconds = buildSeconds;
      this.bytes = bytes;
    }
  }

  /** One search configuration: its runner, recall, and timing so far. */
  private static final class Config {
    final String knob;
    final int shownValue;
    final QueryRunner runner;
    double recall;
    long bestNanos = Long.MAX_VALUE;
    long timedNanos;
    int passes;

    Config(String knob, int shownValue, QueryRunner runner) {
      this.knob = knob;
      this.shownValue = shownValue;
      this.runner = runner;
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
    List<ParameterSpec> knobs = contender.searchParameters();
    return new Built(entry, index, knobs.isEmpty() ? null : knobs.get(0), seconds, bytes);
  }

  /** Chooses the configurations of one index and measures their recall. */
  private static List<Config> sweep(Built b, int n, float[][] queries, int[][] truth, Settings settings,
      Listener listener) {
    int k = settings.k();
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
      configs.add(measured(new Config(knob.name(), value, b.index.searcher(knob.name(), value)), queries, truth, k));
      return configs;
    }
    if (knob == null || !settings.sweep()) {
      configs.add(measured(new Config(null, declared, b.index.searcher(null, 0)), queries, truth, k));
      return configs;
    }
    int total = grid.length + (declared > 0 ? 1 : 0);
    ProgressListener progress = listener.sweeping(name, total);
    try {
      // The declared default comes first, so that it is reported even when the sweep stops early.
      Config byDefault = null;
      if (declared > 0) {
        byDefault = measured(new Config(null, declared, b.index.searcher(null, 0)), queries, truth, k);
        configs.add(byDefault);
        progress.progress(1, total);
      }
      double best = -1;
      int stale = 0;
      for (int i = 0; i < grid.length; i++) {
        Config c;
        if (byDefault != null && grid[i] == declared) {
          c = byDefault;
        } else {
          c = measured(new Config(knob.name(), grid[i], b.index.searcher(knob.name(), grid[i])), queries, truth, k);
          configs.add(c);
        }
        progress.progress(configs.size(), total);
        stale = c.recall < best + PLATEAU ? stale + 1 : 0;
        best = Math.max(best, c.recall);
        if (c.recall >= settings.highestTarget() || stale >= PLATEAU_STEPS) {
          break;
        }
      }
      progress.progress(total, total);
    } finally {
      listener.done();
    }
    return configs;
  }

  private static Config measured(Config c, float[][] queries, int[][] truth, int k) {
    c.recall = recall(c.runner, queries, truth, k);
    return c;
  }

  /** Timed passes, interleaved across every configuration of every index. */
  private static void time(List<Built> built, float[][] queries, Settings settings, Listener listener) {
    List<Config> all = new ArrayList<>();
    built.forEach(b -> all.addAll(b.configs));
    ProgressListener progress = listener.timing(settings.passes());
    try {
      long[] out = new long[settings.k()];
      long local = 0;
      for (int round = 0; round < MAX_PASSES; round++) {
        boolean more = false;
        for (Config c : all) {
          if (c.passes >= settings.passes() && c.timedNanos >= MIN_TIMED_NANOS) {
            continue;
          }
          long start = System.nanoTime();
          for (float[] query : queries) {
            local += c.runner.search(query, settings.k(), out) + out[0];
          }
          long elapsed = System.nanoTime() - start;
          c.bestNanos = Math.min(c.bestNanos, elapsed);
          c.timedNanos += elapsed;
          c.passes++;
          more |= c.passes < settings.passes() || c.timedNanos < MIN_TIMED_NANOS;
        }
        progress.progress(Math.min(round + 1, settings.passes()), settings.passes());
        if (!more) {
          break;
        }
      }
      sink += local;
    } finally {
      listener.done();
    }
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
    int hits = 0;
    for (int i = 0; i < count; i++) {
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
