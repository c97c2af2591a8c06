package io.vers.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.bench.harness.MiniJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vers bench --algorithms NAME,NAME:LABEL}: one algorithm in two configurations, side by side. */
class BenchVariantsTest {
  @TempDir Path dir;

  @Test
  @SuppressWarnings("unchecked")
  void aLabelledVariantIsBuiltWithItsOwnParametersAndReportedUnderItsName() throws Exception {
    Path file = dir.resolve("variants.json");
    Cli r = Cli.run("bench", "--dataset", "synthetic:1500x8", "--max-queries", "20", "--warmup", "0", "--passes",
        "1", "--no-progress", "--algorithms", "hnsw,hnsw:m8", "--param", "hnsw:m8.M=8", "--json", file.toString());
    assertEquals(0, r.exit(), r.err());
    Map<String, Object> root = (Map<String, Object>) MiniJson.parse(Files.readString(file));
    List<Map<String, Object>> results = (List<Map<String, Object>>) root.get("results");
    Map<String, Object> plain = results.stream().filter(m -> m.get("algorithm").equals("hnsw")).findFirst()
        .orElseThrow();
    Map<String, Object> variant = results.stream().filter(m -> m.get("algorithm").equals("hnsw:m8")).findFirst()
        .orElseThrow();
    assertEquals(16.0, ((Map<String, Object>) plain.get("params")).get("m"), plain.toString());
    assertEquals(8.0, ((Map<String, Object>) variant.get("params")).get("m"), variant.toString());
    assertTrue(r.out().contains("hnsw:m8"), r.out());
  }

  @Test
  void aBadLabelOrAParameterForAnUnselectedVariantIsOneLine() {
    Cli bad = Cli.run("bench", "--no-progress", "--algorithms", "hnsw:", "--dataset", "synthetic:100x4");
    assertTrue(bad.errorLine().contains("is not ALGORITHM:LABEL"), bad.err());
    Cli unselected = Cli.run("bench", "--no-progress", "--algorithms", "hnsw", "--param", "hnsw:x.M=8",
        "--dataset", "synthetic:100x4");
    assertTrue(unselected.errorLine().contains("--param names algorithm 'hnsw:x', which is not selected"),
        unselected.err());
  }

  @Test
  @SuppressWarnings("unchecked")
  void runsReportTheMedianAndEveryRunAndLatencyPercentiles() throws Exception {
    Path file = dir.resolve("runs.json");
    Cli r = Cli.run("bench", "--dataset", "synthetic:1500x8", "--max-queries", "20", "--warmup", "0", "--passes",
        "1", "--no-progress", "--algorithms", "flat", "--runs", "3", "--json", file.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("median QPS") && r.out().contains("QPS over runs") && r.out().contains("p99 ms"),
        r.out());
    Map<String, Object> row = ((List<Map<String, Object>>) ((Map<String, Object>) MiniJson.parse(
        Files.readString(file))).get("results")).get(0);
    List<Double> runs = (List<Double>) row.get("qps_runs");
    assertEquals(3, runs.size(), row.toString());
    List<Double> sorted = runs.stream().sorted().toList();
    assertEquals(sorted.get(1), (Double) row.get("qps"), 1e-6 * sorted.get(1), "the median run");
    double p50 = (Double) row.get("p50_ms");
    double p99 = (Double) row.get("p99_ms");
    assertTrue(p50 > 0 && p50 <= p99, row.toString());
    assertEquals("vers bench: --runs must be at least 1, got 0",
        Cli.run("bench", "--no-progress", "--algorithms", "flat", "--runs", "0").errorLine());
  }
}
