package io.vers.bench.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.Metric;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {
  @TempDir Path dir;

  static BenchResult sample() {
    Map<String, Object> build = new LinkedHashMap<>();
    build.put("M", 16);
    build.put("efConstruction", 200);
    AlgorithmResult graph = new AlgorithmResult("hnsw", false, build, "ef", 1.5, 2, 1000,
        List.of(new Measurement("ef", 10, 0.85, 9000), new Measurement(null, 40, 0.93, 7000.5),
            new Measurement("ef", 64, 0.97, 5000)));
    AlgorithmResult exact = new AlgorithmResult("flat", false, Map.of(), null, 0.1, 2, 500,
        List.of(new Measurement(null, 0, 1.0, 800)));
    Environment env = new Environment("JDK", 2, "scalar", Map.of());
    return new BenchResult("tiny \"set\"", 100, 4, 10, Metric.COSINE, 10, env, List.of(0.9, 0.95, 0.99),
        List.of(graph, exact));
  }

  @Test
  @SuppressWarnings("unchecked")
  void jsonFollowsTheDocumentedSchema() throws Exception {
    Path file = dir.resolve("sub/out.json");
    JsonReport.write(sample(), file);
    Map<String, Object> root = (Map<String, Object>) MiniJson.parse(Files.readString(file));
    assertEquals(List.of("dataset", "results", "best"), List.copyOf(root.keySet()));
    Map<String, Object> dataset = (Map<String, Object>) root.get("dataset");
    assertEquals(List.of("name", "n", "dim", "queries", "metric"), List.copyOf(dataset.keySet()));
    assertEquals("tiny \"set\"", dataset.get("name"));
    assertEquals(100.0, dataset.get("n"));
    assertEquals("cosine", dataset.get("metric"));
    List<Map<String, Object>> results = (List<Map<String, Object>>) root.get("results");
    assertEquals(4, results.size(), "one entry per configuration");
    for (Map<String, Object> r : results) {
      assertEquals(List.of("algorithm", "params", "build_seconds", "recall", "qps", "p50_ms", "p99_ms", "index_bytes"),
          List.copyOf(r.keySet()));
    }
    assertEquals(Map.of("M", 16.0, "efConstruction", 200.0, "ef", 40.0), results.get(1).get("params"));
    assertEquals(Map.of(), results.get(3).get("params"));
    assertEquals(0.93, results.get(1).get("recall"));
    Map<String, Map<String, Object>> best = (Map<String, Map<String, Object>>) root.get("best");
    assertEquals(List.of("0.9", "0.95", "0.99"), List.copyOf(best.get("hnsw").keySet()));
    assertEquals(7000.5, best.get("hnsw").get("0.9"));
    assertEquals(5000.0, best.get("hnsw").get("0.95"));
    assertNull(best.get("hnsw").get("0.99"), "a target not reached is null");
    assertEquals(800.0, best.get("flat").get("0.99"));
  }

  @Test
  void textReportShowsEveryConfigurationAndTheSummary() {
    StringWriter text = new StringWriter();
    TextReport report = new TextReport(new PrintWriter(text));
    BenchResult r = sample();
    report.algorithm(r.algorithms().get(0), 10);
    report.summary(r);
    String out = text.toString();
    assertTrue(out.contains("40 (default)"), out);
    assertTrue(out.contains("0.9700"), out);
    assertTrue(out.matches("(?s).*hnsw\\s+7,001\\s+5,000\\s+-\\s+1\\.50.*"), out);
  }

  /** The sample with batch figures (none for the peer) and target recalls for hnsw. */
  static BenchResult sampleWithBatchAndTargets() {
    Map<String, Object> build = new LinkedHashMap<>();
    build.put("M", 16);
    AlgorithmResult graph = new AlgorithmResult("hnsw", false, build, "ef", 1.5, 2, 1000,
        List.of(new Measurement("ef", 10, 0.85, 9000, new BatchMeasurement(4, 0.85, 9500, 30000)),
            new Measurement("ef", 64, 0.97, 5000, new BatchMeasurement(4, 0.97, 5200.5, 18000))),
        new TargetRecallResult("ef", 0.25, 250, List.of(new TargetRecallResult.Point(0.9, 40, 0.95, 6000),
            new TargetRecallResult.Point(0.99, 128, 0.985, 3000))));
    AlgorithmResult peer = new AlgorithmResult("lucene-hnsw", true, Map.of(), "ef", 2.0, 2, 900,
        List.of(new Measurement("ef", 10, 0.9, 8000)));
    Environment env = new Environment("JDK", 4, "scalar", Map.of());
    return new BenchResult("tiny", 100, 4, 10, Metric.L2, 10, env, List.of(0.9), List.of(graph, peer), 4,
        List.of(0.99, 0.9));
  }

  @Test
  @SuppressWarnings("unchecked")
  void jsonAddsBatchFiguresAndTargetRecallsAfterTheExistingFields() throws Exception {
    Map<String, Object> root = (Map<String, Object>) MiniJson.parse(JsonReport.toJson(sampleWithBatchAndTargets()));
    assertEquals(List.of("dataset", "results", "best", "target_recall"), List.copyOf(root.keySet()));
    List<Map<String, Object>> results = (List<Map<String, Object>>) root.get("results");
    for (Map<String, Object> r : results) {
      assertEquals(List.of("algorithm", "params", "build_seconds", "recall", "qps", "p50_ms", "p99_ms", "index_bytes",
          "batch"),
          List.copyOf(r.keySet()));
    }
    Map<String, Object> batch = (Map<String, Object>) results.get(1).get("batch");
    assertEquals(List.of("threads", "recall", "qps_1_thread", "qps"), List.copyOf(batch.keySet()));
    assertEquals(4.0, batch.get("threads"));
    assertEquals(0.97, batch.get("recall"));
    assertEquals(5200.5, batch.get("qps_1_thread"));
    assertEquals(18000.0, batch.get("qps"));
    assertNull(results.get(2).get("batch"), "a peer has no batch call");

    Map<String, Object> targets = (Map<String, Object>) root.get("target_recall");
    assertEquals(List.of("hnsw"), List.copyOf(targets.keySet()), "only algorithms that ran them");
    Map<String, Object> hnsw = (Map<String, Object>) targets.get("hnsw");
    assertEquals("ef", hnsw.get("knob"));
    assertEquals(0.25, hnsw.get("calibration_seconds"));
    assertEquals(250.0, hnsw.get("calibration_queries"));
    List<Map<String, Object>> points = (List<Map<String, Object>>) hnsw.get("targets");
    assertEquals(2, points.size());
    Map<String, Object> at90 = points.get(0);
    assertEquals(List.of("target", "knob_value", "recall", "qps", "swept_best", "qps_ratio"),
        List.copyOf(at90.keySet()));
    assertEquals(0.9, at90.get("target"));
    assertEquals(40.0, at90.get("knob_value"));
    assertEquals(Map.of("knob_value", 64.0, "recall", 0.97, "qps", 5000.0), at90.get("swept_best"),
        "ef=10 does not reach 0.9; ef=64 is the fastest that does");
    assertEquals(1.2, (Double) at90.get("qps_ratio"), 1e-12);
    assertNull(points.get(1).get("swept_best"), "no swept configuration reached 0.99");
    assertNull(points.get(1).get("qps_ratio"));
  }

  @Test
  void textShowsBatchColumnsAndTheTargetRecallTable() {
    StringWriter text = new StringWriter();
    TextReport report = new TextReport(new PrintWriter(text));
    BenchResult r = sampleWithBatchAndTargets();
    report.batchNote(4);
    report.algorithm(r.algorithms().get(0), 10, 4);
    report.algorithm(r.algorithms().get(1), 10, 4);
    report.targetRecall(r);
    String out = text.toString();
    assertTrue(out.contains("on 1 thread and on 4 threads"), out);
    assertTrue(out.contains("batch recall   batch QPS 1t   batch QPS 4t"), out);
    assertTrue(out.matches("(?s).*\\s64\\s+0\\.9700\\s+5,000\\s+0\\.2000\\s+-\\s+-\\s+0\\.9700\\s+5,201\\s+18,000\\n.*"), out);
    assertTrue(out.matches("(?s).*\\s10\\s+0\\.9000\\s+8,000\\s+0\\.1250\\s+-\\s+-\\s+-\\s+-\\s+-\\n.*"), "peer: " + out);
    assertTrue(out.contains("hnsw  calibrated in 0.25 s on first use (250 of its vectors as queries)"), out);
    assertTrue(out.matches("(?s).*\\s0\\.9\\s+ef=40\\s+0\\.9500\\s+6,000\\s+ef=64\\s+0\\.9700\\s+5,000\\s+1\\.20\\n.*"),
        out);
    assertTrue(out.matches("(?s).*\\s0\\.99\\s+ef=128\\s+0\\.9850\\s+3,000\\s+-\\s+-\\s+-\\s+-\\n.*"), out);

    StringWriter plain = new StringWriter();
    new TextReport(new PrintWriter(plain)).algorithm(r.algorithms().get(0), 10);
    assertTrue(!plain.toString().contains("batch"), "without --batch the table is as before: " + plain);
  }

  @Test
  void plotStartsBelowTheLowestTarget() {
    assertEquals(0.75, RecallPlot.floor(List.of(0.95, 0.9, 0.99)), 1e-12);
    assertEquals(0.8, RecallPlot.floor(List.of(0.95)), 1e-12);
    assertEquals(0.0, RecallPlot.floor(List.of(0.1)));
    assertEquals(0.0, RecallPlot.floor(List.of()));
  }

  @Test
  void plotIsAPng() throws Exception {
    Path file = dir.resolve("plot.png");
    RecallPlot.write(sample(), file);
    byte[] head = Arrays.copyOf(Files.readAllBytes(file), 8);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head);
    Path other = dir.resolve("plot-without-extension");
    RecallPlot.write(sample(), other);
    assertTrue(Files.size(other) > 1000, "the exact name asked for is written");
  }
}
