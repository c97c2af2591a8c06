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

  /** One algorithm's table: build line, then one row per search configuration. */
  public void algorithm(AlgorithmResult r, int k) {
    out.println();
    out.printf(Locale.ROOT, "%s%s  %s%n", r.algorithm(), r.peer() ? " (peer)" : "", describe(r.buildParameters()));
    out.printf(Locale.ROOT, "  built in %.2f s on %d thread%s, %s on the heap%s%n", r.buildSeconds(), r.buildThreads(),
        r.buildThreads() == 1 ? "" : "s", mib(r.indexBytes()), r.peer() ? " (heap growth over the build)" : "");
    String knob = r.knobName() == null ? "search" : r.knobName();
    out.printf(Locale.ROOT, "  %15s  %9s  %11s  %10s%n", knob, "recall@" + k, "QPS", "ms/query");
    for (Measurement m : r.points()) {
      String setting = r.knobName() == null ? "exact" : m.knobValue() > 0 ? String.valueOf(m.knobValue()) : "default";
      if (m.isDefault() && r.knobName() != null && m.knobValue() > 0) {
        setting += " (default)";
      }
      out.printf(Locale.ROOT, "  %15s  %9.4f  %,11.0f  %10.4f%n", setting, m.recall(), m.qps(), m.latencyMillis());
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
    head.append(String.format(Locale.ROOT, " %9s %10s", "build s", "MiB"));
    out.println(head);
    for (AlgorithmResult r : result.algorithms()) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-14s", r.algorithm()));
      for (double t : result.recallTargets()) {
        row.append(r.fastestReaching(t)
            .map(m -> String.format(Locale.ROOT, " %,10.0f", m.qps()))
            .orElse(String.format(Locale.ROOT, " %10s", "-")));
      }
      row.append(String.format(Locale.ROOT, " %9.2f %10.1f", r.buildSeconds(), r.indexBytes() / 1048576.0));
      out.println(row);
    }
    out.println("(- : recall target not reached by any configuration tried)");
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
}
