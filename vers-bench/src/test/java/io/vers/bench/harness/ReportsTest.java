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
      assertEquals(List.of("algorithm", "params", "build_seconds", "recall", "qps", "index_bytes"),
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
