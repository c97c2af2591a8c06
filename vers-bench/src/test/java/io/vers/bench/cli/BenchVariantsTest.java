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
}
