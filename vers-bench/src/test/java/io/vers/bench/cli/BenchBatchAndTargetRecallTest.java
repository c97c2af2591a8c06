package io.vers.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.bench.harness.MiniJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vers bench --batch} and {@code --target-recall} end to end, in-process. */
class BenchBatchAndTargetRecallTest {
  @TempDir Path dir;

  private static Cli bench(String... args) {
    List<String> all = new ArrayList<>(List.of("bench", "--dataset", "synthetic:2000x16", "--max-queries", "40",
        "--warmup", "0", "--passes", "1", "--no-progress"));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(new String[0]));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(Path file) throws Exception {
    return (Map<String, Object>) MiniJson.parse(Files.readString(file));
  }

  @Test
  @SuppressWarnings("unchecked")
  void batchAddsColumnsAndJsonFieldsForEveryConfiguration() throws Exception {
    Path file = dir.resolve("batch.json");
    Cli r = bench("--algorithms", "flat,lucene-hnsw", "--batch", "--batch-threads", "2", "--json", file.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("batch     also every query in one searchBatch call, on 1 thread and on 2 threads"),
        r.out());
    assertTrue(r.out().contains("batch recall   batch QPS 1t   batch QPS 2t"), r.out());
    Map<String, Object> root = json(file);
    assertEquals(List.of("dataset", "results", "best"), List.copyOf(root.keySet()), "no target recalls asked for");
    List<Map<String, Object>> results = (List<Map<String, Object>>) root.get("results");
    Map<String, Object> flat = results.get(0);
    assertEquals("flat", flat.get("algorithm"));
    Map<String, Object> batch = (Map<String, Object>) flat.get("batch");
    assertEquals(2.0, batch.get("threads"));
    assertEquals(1.0, batch.get("recall"), "one exact batch against exact ground truth");
    assertTrue((Double) batch.get("qps_1_thread") > 0 && (Double) batch.get("qps") > 0, batch.toString());
    List<Map<String, Object>> lucene = results.stream().filter(m -> m.get("algorithm").equals("lucene-hnsw")).toList();
    assertFalse(lucene.isEmpty());
    for (Map<String, Object> row : lucene) {
      assertTrue(row.containsKey("batch"));
      assertNull(row.get("batch"), "peers have no batch call");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void batchThreadsAloneImpliesBatch() throws Exception {
    Path file = dir.resolve("threads.json");
    Cli r = bench("--algorithms", "flat", "--batch-threads", "1", "--json", file.toString());
    assertEquals(0, r.exit(), r.err());
    Map<String, Object> flat = ((List<Map<String, Object>>) json(file).get("results")).get(0);
    Map<String, Object> batch = (Map<String, Object>) flat.get("batch");
    assertEquals(1.0, batch.get("threads"));
    assertEquals(batch.get("qps_1_thread"), batch.get("qps"), "one thread is measured once");
  }

  @Test
  void badBatchAndTargetOptionsAreOneLine() {
    assertEquals("vers bench: --batch-threads must be at least 1, got 0",
        bench("--algorithms", "flat", "--batch-threads", "0").errorLine());
    assertTrue(bench("--algorithms", "flat", "--target-recall", "0.9,1.5").errorLine()
        .contains("--target-recall must lie in (0, 1], got 1.5"));
    Cli typo = bench("--target-recal", "0.9");
    assertEquals(2, typo.exit());
    assertTrue(typo.errorLine().contains("did you mean --target-recall?"), typo.err());
  }

  @Test
  void targetRecallWithoutAKnobSaysSo() {
    Cli r = bench("--algorithms", "lucene-hnsw", "--target-recall", "0.9"); // peers have no targetRecall
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("(no selected vers algorithm has a search knob: nothing to choose)"), r.out());
  }

  @Test
  @SuppressWarnings("unchecked")
  void targetRecallAndBatchOnTheApproximateIndexes() throws Exception {
    Path file = dir.resolve("targets.json");
    Cli r = bench("--algorithms", "flat,hnsw,ivfflat", "--batch", "--target-recall", "0.9,0.95", "--json",
        file.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("target recall@10: SearchParams.targetRecall(t)"), r.out());
    assertTrue(r.out().contains("hnsw  calibrated in "), r.out());
    assertTrue(r.out().contains("ivfflat  calibrated in "), r.out());
    Map<String, Object> root = json(file);
    assertEquals(List.of("dataset", "results", "best", "target_recall"), List.copyOf(root.keySet()));

    for (Map<String, Object> row : (List<Map<String, Object>>) root.get("results")) {
      Map<String, Object> batch = (Map<String, Object>) row.get("batch");
      double recall = (Double) row.get("recall");
      assertEquals(recall, (Double) batch.get("recall"), 0.02,
          "a batch answers as one call per query does: " + row);
      assertTrue((Double) batch.get("qps") > 0, row.toString());
    }

    Map<String, Map<String, Object>> targets = (Map<String, Map<String, Object>>) root.get("target_recall");
    assertEquals(List.of("hnsw", "ivfflat"), List.copyOf(targets.keySet()),
        "flat without quantization reads no knob, so it has nothing to calibrate");
    assertEquals("ef", targets.get("hnsw").get("knob"));
    assertEquals("nprobe", targets.get("ivfflat").get("knob"));
    for (Map.Entry<String, Map<String, Object>> e : targets.entrySet()) {
      Map<String, Object> t = e.getValue();
      String name = e.getKey();
      assertTrue((Double) t.get("calibration_seconds") > 0, name);
      double sample = (Double) t.get("calibration_queries");
      assertTrue(sample >= 1 && sample <= 250, name + ": " + sample);
      List<Map<String, Object>> points = (List<Map<String, Object>>) t.get("targets");
      assertEquals(List.of(0.9, 0.95), points.stream().map(p -> p.get("target")).toList());
      double previousKnob = 0;
      for (Map<String, Object> p : points) {
        double knob = (Double) p.get("knob_value");
        assertTrue(knob >= 1 && knob >= previousKnob, name + ": a higher target never picks a lower knob: " + p);
        previousKnob = knob;
        double recall = (Double) p.get("recall");
        assertTrue(recall > 0.5 && recall <= 1, name + ": " + p);
        assertTrue((Double) p.get("qps") > 0, name + ": " + p);
        Map<String, Object> swept = (Map<String, Object>) p.get("swept_best");
        if (swept == null) {
          assertNull(p.get("qps_ratio"));
        } else {
          assertTrue((Double) swept.get("recall") >= (Double) p.get("target"), name + ": " + p);
          assertEquals((Double) p.get("qps") / (Double) swept.get("qps"), (Double) p.get("qps_ratio"), 1e-9);
        }
      }
    }
  }
}
