package io.vers.bench.harness;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Prints benchmark results as plain-text tables. Not thread-safe. */
public final class TextReport {
  private final PrintWriter out;

  public TextReport(PrintWriter out) {
    this.out = out;
  }

  /** The run's header: dataset, measurement and environment. */
  public void header(String dataset, int n, int dimension, int queries, String metric, int k, Environment env,
      String groundTruth) {
    out.printf(Locale.ROOT, "dataset   %s: %,d base vectors x %d, %,d queries, %s, recall@%d%n", dataset, n, dimension,
        queries, metric, k);
    out.printf(Locale.ROOT, "jdk       %s, %d cores; vers kernel %s%n", env.jdk(), env.cores(), env.versKernel());
    for (Map.Entry<String, String> peer : env.peerSimd().entrySet()) {
      out.printf(Locale.ROOT, "peer      %s SIMD path active: %s%n", peer.getKey(), peer.getValue());
    }
    out.printf(Locale.ROOT, "truth     %s%n", groundTruth);
    out.printf(Locale.ROOT, "measured  one thread, one call per query; warm-up, then the fastest of the timed passes,%n"
        + "          interleaved across algorithms%n");
    out.flush();
  }

  /**
   * The line on batched measurements, after the header, when they were made: {@code threads} is the
   * thread count of the multi-threaded batch call.
   */
  public void batchNote(int threads) {
    out.printf(Locale.ROOT, "batch     also every query in one searchBatch call, on 1 thread and on %d thread%s;%n"
        + "          the fastest call, interleaved like the rest (peers have no batch call: -)%n", threads,
        threads == 1 ? "" : "s");
    out.flush();
  }

  /** One algorithm's table: build line, then one row per search configuration. */
  public void algorithm(AlgorithmResult r, int k) {
    algorithm(r, k, 0);
  }

  /**
   * One algorithm's table: build line, then one row per search configuration; with {@code batchThreads}
   * above 0, columns for the batched recall and throughput on 1 and on {@code batchThreads} threads.
   */
  public void algorithm(AlgorithmResult r, int k, int batchThreads) {
    out.println();
    out.printf(Locale.ROOT, "%s%s  %s%n", r.algorithm(), r.peer() ? " (peer)" : "", describe(r.buildParameters()));
    out.printf(Locale.ROOT, "  built in %.2f s on %d thread%s, %s on the heap%s%n", r.buildSeconds(), r.buildThreads(),
        r.buildThreads() == 1 ? "" : "s", mib(r.indexBytes()), r.peer() ? " (heap growth over the build)" : "");
    String knob = r.knobName() == null ? "search" : r.knobName();
    boolean runs = r.points().stream().anyMatch(m -> m.qpsRuns().size() > 1);
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %15s  %9s  %11s  %10s  %8s  %8s", knob,
        "recall@" + k, runs ? "median QPS" : "QPS", "ms/query", "p50 ms", "p99 ms"));
    if (runs) {
      head.append(String.format(Locale.ROOT, "  %21s", "QPS over runs"));
    }
    if (batchThreads > 0) {
      head.append(String.format(Locale.ROOT, "  %12s  %13s  %13s", "batch recall", "batch QPS 1t",
          "batch QPS " + batchThreads + "t"));
    }
    out.println(head);
    for (Measurement m : r.points()) {
      String setting = r.knobName() == null ? "exact" : m.knobValue() > 0 ? String.valueOf(m.knobValue()) : "default";
      if (m.isDefault() && r.knobName() != null && m.knobValue() > 0) {
        setting += " (default)";
      }
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %15s  %9.4f  %,11.0f  %10.4f  %8s  %8s",
          setting, m.recall(), m.qps(), m.latencyMillis(), millis(m.p50Millis()), millis(m.p99Millis())));
      if (runs) {
        double low = m.qpsRuns().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double high = m.qpsRuns().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        row.append(String.format(Locale.ROOT, "  %,10.0f-%,10.0f", low, high));
      }
      if (batchThreads > 0) {
        BatchMeasurement b = m.batch();
        row.append(b == null ? String.format(Locale.ROOT, "  %12s  %13s  %13s", "-", "-", "-")
            : String.format(Locale.ROOT, "  %12.4f  %,13.0f  %,13.0f", b.recall(), b.qpsOneThread(), b.qps()));
      }
      out.println(row);
    }
    out.flush();
  }

  /**
   * The target-recall table: per algorithm that ran it, the calibration's cost, then per target the knob
   * value the index chose, its recall and QPS, the fastest configuration of the sweep reaching the target,
   * and the ratio of the two QPS.
   */
  public void targetRecall(BenchResult result) {
    if (result.targetRecalls().isEmpty()) {
      return;
    }
    out.println();
    out.printf(Locale.ROOT, "target recall@%d: SearchParams.targetRecall(t), the index choosing its own knob from a%n"
        + "calibration it measures on first use; against the fastest swept configuration reaching t%n", result.k());
    boolean any = false;
    for (AlgorithmResult r : result.algorithms()) {
      TargetRecallResult t = r.targetRecall();
      if (t == null) {
        continue;
      }
      any = true;
      out.printf(Locale.ROOT, "%s  calibrated in %.2f s on first use (%d of its vectors as queries)%n", r.algorithm(),
          t.calibrationSeconds(), t.calibrationQueries());
      out.printf(Locale.ROOT, "  %6s  %12s  %9s  %11s  %12s  %9s  %11s  %7s%n", "target", "chosen",
          "recall@" + result.k(), "QPS", "swept best", "recall@" + result.k(), "QPS", "ratio");
      for (TargetRecallResult.Point p : t.points()) {
        Measurement best = r.fastestReaching(p.target()).orElse(null);
        String chosen = t.knobName() + "=" + p.knobValue();
        String swept = best == null ? "-" : r.knobName() + "=" + best.knobValue();
        out.printf(Locale.ROOT, "  %6s  %12s  %9.4f  %,11.0f  %12s  %9s  %11s  %7s%n", target(p.target()), chosen,
            p.recall(), p.qps(), swept,
            best == null ? "-" : String.format(Locale.ROOT, "%.4f", best.recall()),
            best == null ? "-" : String.format(Locale.ROOT, "%,.0f", best.qps()),
            best == null ? "-" : String.format(Locale.ROOT, "%.2f", p.qps() / best.qps()));
      }
    }
    if (any) {
      out.println("(ratio: QPS with targetRecall over the swept best's; - : no swept configuration reached the target)");
    } else {
      out.println("(no selected vers algorithm has a search knob: nothing to choose)");
    }
    out.flush();
  }

  /** The closing summary: per algorithm, the best QPS at each recall target, build time and size. */
  public void summary(BenchResult result) {
    out.println();
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-14s", "QPS at recall@" + result.k()));
    for (double t : result.recallTargets()) {
      head.append(String.format(Locale.ROOT, " %10s", ">= " + target(t)));
    }
    head.append(String.format(Locale.ROOT, " %9s %10s", "build s", "heap MiB"));
    out.println(head);
    boolean missed = false;
    for (AlgorithmResult r : result.algorithms()) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-14s", r.algorithm()));
      for (double t : result.recallTargets()) {
        var fastest = r.fastestReaching(t);
        missed |= fastest.isEmpty();
        row.append(fastest
            .map(m -> String.format(Locale.ROOT, " %,10.0f", m.qps()))
            .orElse(String.format(Locale.ROOT, " %10s", "-")));
      }
      row.append(String.format(Locale.ROOT, " %9.2f %10.1f", r.buildSeconds(), r.indexBytes() / 1048576.0));
      out.println(row);
    }
    if (missed) {
      out.println("(- : recall target not reached by any configuration tried)");
    }
    out.flush();
  }

  /** A recall target as text: {@code 0.9}, {@code 0.95}. */
  public static String target(double t) {
    return new java.math.BigDecimal(Double.toString(t)).stripTrailingZeros().toPlainString();
  }

  static String describe(Map<String, Object> params) {
    if (params.isEmpty()) {
      return "(no parameters)";
    }
    return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  /** A latency to four decimals, or {@code -} when it was not measured. */
  private static String millis(double ms) {
    return Double.isNaN(ms) ? "-" : String.format(Locale.ROOT, "%.4f", ms);
  }
}
