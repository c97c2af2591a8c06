package io.vers.bench.harness;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a {@link BenchResult} as JSON:
 *
 * <pre>{@code
 * {"dataset": {"name": "...", "n": 60000, "dim": 784, "queries": 10000, "metric": "l2"},
 *  "results": [{"algorithm": "hnsw", "params": {"m": 16, "efConstruction": 200, "ef": 64},
 *               "build_seconds": 12.3, "recall": 0.97, "qps": 5120.4, "p50_ms": 0.19, "p99_ms": 0.41,
 *               "index_bytes": 210000000}, ...],
 *  "best": {"hnsw": {"0.9": 9000.1, "0.95": 7000.2, "0.99": null}, ...}}
 * }</pre>
 *
 * {@code results} has one entry per measured configuration; {@code params} holds the build parameters and
 * the search knob's value; {@code p50_ms} and {@code p99_ms} are percentiles of the single-query times over
 * every timed pass; with {@code --runs N} above 1, {@code qps} is the median of the runs and {@code qps_runs}
 * lists each run's QPS; {@code best} gives, per algorithm and recall target, the QPS of the fastest
 * configuration reaching the target, or {@code null} when none does.
 *
 * <p>Batched measurements add to every entry of {@code results}
 * {@code "batch": {"threads": 2, "recall": 0.97, "qps_1_thread": 6100.2, "qps": 11800.9}} ({@code null} for a
 * peer, which has no batch call). Target recalls add a last member, per algorithm that ran them:
 *
 * <pre>{@code
 *  "target_recall": {"hnsw": {"knob": "ef", "calibration_seconds": 0.41, "calibration_queries": 250,
 *      "targets": [{"target": 0.9, "knob_value": 24, "recall": 0.93, "qps": 12345.6,
 *                   "swept_best": {"knob_value": 16, "recall": 0.91, "qps": 14000.2}, "qps_ratio": 0.88}]}}
 * }</pre>
 *
 * {@code swept_best} and {@code qps_ratio} are {@code null} when no swept configuration reached the target.
 * Without these measurements the text is exactly as before. Stateless.
 */
public final class JsonReport {
  private JsonReport() {}

  /** Writes {@code result} to {@code file}, replacing it. */
  public static void write(BenchResult result, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(toJson(result));
      w.write('\n');
    }
  }

  /** The JSON text. */
  public static String toJson(BenchResult result) {
    StringBuilder b = new StringBuilder();
    b.append("{\n  \"dataset\": {");
    b.append("\"name\": ").append(string(result.dataset()));
    b.append(", \"n\": ").append(result.size());
    b.append(", \"dim\": ").append(result.dimension());
    b.append(", \"queries\": ").append(result.queries());
    b.append(", \"metric\": ").append(string(result.metric().name().toLowerCase(Locale.ROOT)));
    b.append("},\n  \"results\": [");
    boolean first = true;
    for (AlgorithmResult r : result.algorithms()) {
      for (Measurement m : r.points()) {
        b.append(first ? "\n    " : ",\n    ");
        first = false;
        b.append("{\"algorithm\": ").append(string(r.algorithm()));
        b.append(", \"params\": ").append(object(r.parameters(m)));
        b.append(", \"build_seconds\": ").append(number(r.buildSeconds()));
        b.append(", \"recall\": ").append(number(m.recall()));
        b.append(", \"qps\": ").append(number(m.qps()));
        b.append(", \"p50_ms\": ").append(number(m.p50Millis()));
        b.append(", \"p99_ms\": ").append(number(m.p99Millis()));
        if (!m.qpsRuns().isEmpty()) {
          b.append(", \"qps_runs\": [");
          for (int i = 0; i < m.qpsRuns().size(); i++) {
            b.append(i == 0 ? "" : ", ").append(number(m.qpsRuns().get(i)));
          }
          b.append(']');
        }
        b.append(", \"index_bytes\": ").append(r.indexBytes());
        if (result.batchThreads() > 0) {
          b.append(", \"batch\": ").append(batch(m.batch()));
        }
        b.append('}');
      }
    }
    b.append(first ? "],\n" : "\n  ],\n");
    b.append("  \"best\": {");
    first = true;
    for (AlgorithmResult r : result.algorithms()) {
      b.append(first ? "\n    " : ",\n    ");
      first = false;
      b.append(string(r.algorithm())).append(": {");
      Iterator<Double> targets = result.recallTargets().iterator();
      while (targets.hasNext()) {
        double t = targets.next();
        Optional<Measurement> best = r.fastestReaching(t);
        b.append(string(TextReport.target(t))).append(": ")
            .append(best.map(m -> number(m.qps())).orElse("null"));
        if (targets.hasNext()) {
          b.append(", ");
        }
      }
      b.append('}');
    }
    b.append(first ? "}" : "\n  }");
    if (!result.targetRecalls().isEmpty()) {
      b.append(",\n  \"target_recall\": ").append(targetRecall(result));
    }
    b.append("\n}");
    return b.toString();
  }

  private static String batch(BatchMeasurement m) {
    if (m == null) {
      return "null";
    }
    return "{\"threads\": " + m.threads() + ", \"recall\": " + number(m.recall()) + ", \"qps_1_thread\": "
        + number(m.qpsOneThread()) + ", \"qps\": " + number(m.qps()) + "}";
  }

  private static String targetRecall(BenchResult result) {
    StringBuilder b = new StringBuilder("{");
    boolean first = true;
    for (AlgorithmResult r : result.algorithms()) {
      TargetRecallResult t = r.targetRecall();
      if (t == null) {
        continue;
      }
      b.append(first ? "\n    " : ",\n    ");
      first = false;
      b.append(string(r.algorithm())).append(": {\"knob\": ").append(string(t.knobName()));
      b.append(", \"calibration_seconds\": ").append(number(t.calibrationSeconds()));
      b.append(", \"calibration_queries\": ").append(t.calibrationQueries());
      b.append(", \"targets\": [");
      for (int i = 0; i < t.points().size(); i++) {
        TargetRecallResult.Point p = t.points().get(i);
        Optional<Measurement> best = r.fastestReaching(p.target());
        b.append(i == 0 ? "\n      " : ",\n      ");
        b.append("{\"target\": ").append(number(p.target()));
        b.append(", \"knob_value\": ").append(p.knobValue());
        b.append(", \"recall\": ").append(number(p.recall()));
        b.append(", \"qps\": ").append(number(p.qps()));
        b.append(", \"swept_best\": ").append(best.map(m -> "{\"knob_value\": " + m.knobValue() + ", \"recall\": "
            + number(m.recall()) + ", \"qps\": " + number(m.qps()) + "}").orElse("null"));
        b.append(", \"qps_ratio\": ").append(best.map(m -> number(p.qps() / m.qps())).orElse("null"));
        b.append('}');
      }
      b.append(t.points().isEmpty() ? "]}" : "\n    ]}");
    }
    return b.append(first ? "}" : "\n  }").toString();
  }

  private static String object(Map<String, Object> map) {
    StringBuilder b = new StringBuilder("{");
    Iterator<Map.Entry<String, Object>> it = map.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Object> e = it.next();
      b.append(string(e.getKey())).append(": ").append(value(e.getValue()));
      if (it.hasNext()) {
        b.append(", ");
      }
    }
    return b.append('}').toString();
  }

  private static String value(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Boolean) {
      return v.toString();
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return v.toString();
    }
    if (v instanceof Number n) {
      return number(n.doubleValue());
    }
    return string(v.toString());
  }

  static String number(double x) {
    if (!Double.isFinite(x)) {
      return "null";
    }
    if (x == Math.rint(x) && Math.abs(x) < 1e15) {
      return Long.toString((long) x);
    }
    return Double.toString(x);
  }

  static String string(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
