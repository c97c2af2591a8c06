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
import java.util.function.BiFunction;

/**
 * Builds one contender's index and measures its search configurations.
 *
 * <h2>Measurement rules</h2>
 * Queries run on the calling thread, one {@code search} call per query. Each index is first warmed up
 * with its default configuration for {@code warmupSeconds}. Every configuration then runs
 * one untimed warm-up pass over all queries, from which recall@k is computed (the share of the first k
 * ground-truth ids among the k returned, averaged over queries); then {@code passes} timed passes (more,
 * up to 50, while they add up to less than half a second), of which the fastest gives the QPS.
 *
 * <h2>Sweeps</h2>
 * Without a fixed knob value, the first search knob the contender declares is swept over
 * {@link KnobGrid#values}: its declared default (if any) is measured first, then the grid in ascending order, stopping
 * once recall reaches the highest target, or after three steps that improve recall by less than 0.0005,
 * or at the end of the grid.
 *
 * <h2>Memory</h2>
 * vers indexes report their heap use ({@code Index.ramBytesUsed()}); for contenders that keep no
 * accounting (the peers) it is the growth of the used heap across the build, each side measured after
 * full garbage collections, outside the timed build. Not thread-safe.
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
   * @param passes timed passes per configuration (the best counts)
   * @param threads threads for building
   * @param recallTargets recall levels to reach, ascending
   * @param sweep whether to sweep the search knob (otherwise only the default configuration runs)
   * @param warmupSeconds how long to run queries before the first measurement of an index, so that the
   *     JIT has compiled the search path
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

  /** Receives progress: building in vectors, then sweeping in configurations. */
  public interface Listener {
    /** A progress listener for building {@code name} (units: vectors). */
    ProgressListener building(String name, int vectors);

    /** A progress listener for measuring {@code name}'s configurations (units: configurations). */
    ProgressListener sweeping(String name, int configurations);

    /** Called when the current task is over. */
    void done();
  }

  private Benchmark() {}

  /**
   * Builds {@code contender}'s index over {@code base} and measures it.
   *
   * @param buildParams build parameters by name, as the user gave them (defaults are applied by the
   *     contender)
   * @param fixedKnob a knob value to use instead of sweeping, if the user fixed one
   * @param truth exact neighbours per query (base ordinals, nearest first), at least {@code min(k, n)}
   */
  public static AlgorithmResult run(
      Contender contender,
      float[][] base,
      float[][] queries,
      int[][] truth,
      Metric metric,
      Map<String, ?> buildParams,
      OptionalInt fixedKnob,
      Settings settings,
      Listener listener) throws Exception {
    long heapBefore = contender.reportsSize() ? 0 : HeapUsage.usedAfterGc();
    ProgressListener buildProgress = listener.building(contender.name(), base.length);
    long start = System.nanoTime();
    BuiltIndex index;
    try {
      index = contender.build(base, metric, buildParams, settings.threads(), buildProgress);
    } finally {
      listener.done();
    }
    double buildSeconds = (System.nanoTime() - start) / 1e9;
    long bytes = contender.reportsSize() ? index.bytes() : HeapUsage.usedAfterGc() - heapBefore;
    try {
      List<ParameterSpec> knobs = contender.searchParameters();
      ParameterSpec knob = knobs.isEmpty() ? null : knobs.get(0);
      List<Measurement> points = measureAll(contender.name(), index, knob, fixedKnob, base.length, queries, truth,
          settings, listener);
      return new AlgorithmResult(contender.name(), contender.isPeer(), index.parameters(),
          knob == null ? null : knob.name(), buildSeconds, settings.threads(), bytes, points);
    } finally {
      index.close();
    }
  }

  private static List<Measurement> measureAll(String name, BuiltIndex index, ParameterSpec knob, OptionalInt fixedKnob,
      int n, float[][] queries, int[][] truth, Settings settings, Listener listener) {
    int k = settings.k();
    warmUp(index.searcher(null, 0), queries, k, settings.warmupSeconds());
    BiFunction<String, Integer, Measurement> measure = (knobName, value) -> {
      QueryRunner runner = index.searcher(knobName, value == null ? 0 : value);
      Measurement m = measure(runner, queries, truth, k, settings.passes());
      int shown = value != null ? value : defaultValue(knob);
      return new Measurement(knobName, shown, m.recall(), m.qps());
    };
    List<Measurement> points = new ArrayList<>();
    if (knob != null && fixedKnob.isPresent()) {
      ProgressListener progress = listener.sweeping(name, 1);
      try {
        points.add(measure.apply(knob.name(), fixedKnob.getAsInt()));
        progress.progress(1, 1);
      } finally {
        listener.done();
      }
      return points;
    }
    if (knob == null || !settings.sweep()) {
      ProgressListener progress = listener.sweeping(name, 1);
      try {
        points.add(measure.apply(null, null));
        progress.progress(1, 1);
      } finally {
        listener.done();
      }
      return points;
    }
    int[] grid = KnobGrid.values(knob, k, n);
    int declared = defaultValue(knob);
    int total = grid.length + (declared > 0 ? 1 : 0);
    ProgressListener progress = listener.sweeping(name, total);
    try {
      // The default runs first (when the knob declares one), so it is reported even if the sweep stops early.
      Measurement byDefault = null;
      if (declared > 0) {
        byDefault = measure.apply(null, null);
        points.add(byDefault);
        progress.progress(1, total);
      }
      double best = -1;
      int stale = 0;
      for (int i = 0; i < grid.length; i++) {
        Measurement m;
        if (byDefault != null && grid[i] == declared) {
          m = byDefault;
        } else {
          m = measure.apply(knob.name(), grid[i]);
          points.add(m);
        }
        progress.progress(i + 1 + total - grid.length, total);
        stale = m.recall() < best + PLATEAU ? stale + 1 : 0;
        best = Math.max(best, m.recall());
        if (m.recall() >= settings.highestTarget() || stale >= PLATEAU_STEPS) {
          break;
        }
      }
      progress.progress(total, total);
    } finally {
      listener.done();
    }
    points.sort(Comparator.comparingInt(Measurement::knobValue).thenComparing(m -> !m.isDefault()));
    return points;
  }

  private static int defaultValue(ParameterSpec knob) {
    return knob != null && knob.defaultValue() instanceof Number number ? number.intValue() : 0;
  }

  /** Runs passes over the queries with the default configuration until {@code seconds} have passed. */
  static void warmUp(QueryRunner runner, float[][] queries, int k, double seconds) {
    long[] out = new long[k];
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    long local = 0;
    while (System.nanoTime() < deadline) {
      for (float[] query : queries) {
        local += runner.search(query, k, out);
      }
    }
    sink += local;
  }

  /**
   * Measures one configuration: a warm-up pass that also computes recall@k, then {@code passes} timed
   * passes (more, up to 50, while they add up to less than half a second); the fastest gives the QPS.
   */
  public static Measurement measure(QueryRunner runner, float[][] queries, int[][] truth, int k, int passes) {
    long[] out = new long[k];
    long hits = 0;
    long expected = 0;
    for (int q = 0; q < queries.length; q++) {
      int found = runner.search(queries[q], k, out);
      int[] exact = truth[q];
      int depth = Math.min(k, exact.length);
      expected += depth;
      hits += overlap(out, found, exact, depth);
    }
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
    double recall = expected == 0 ? 1.0 : (double) hits / expected;
    double qps = queries.length * 1e9 / Math.max(1, bestNanos);
    return new Measurement(null, 0, recall, qps);
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
