package io.vers.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.Metric;
import io.vers.bench.data.StreamedClusters;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code vers scale} end to end on a small set, and its streamed exact neighbours against a sort. */
class ScaleCommandTest {
  @Test
  void reportsBuildMemoryAndARecallThatGrowsWithTheKnob() {
    Cli r = Cli.run("scale", "--count", "4000", "--dimension", "16", "--queries", "30", "--knob", "8,128",
        "--chunk", "1500", "--threads", "2");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("build     hnsw"), r.out());
    assertTrue(r.out().contains("memory    heap"), r.out());
    List<String> rows = r.out().lines().filter(l -> l.startsWith("8 ") || l.startsWith("128 ")).toList();
    assertEquals(2, rows.size(), r.out());
    double low = Double.parseDouble(rows.get(0).trim().split("\\s+")[1]);
    double high = Double.parseDouble(rows.get(1).trim().split("\\s+")[1]);
    assertTrue(high >= 0.95 && high >= low, r.out());
  }

  @Test
  void anIndexThatReadsNoKnobIsSearchedOnce() {
    Cli r = Cli.run("scale", "--algorithm", "flat", "--count", "2000", "--dimension", "8", "--queries", "20",
        "--knob", "8,128");
    assertEquals(0, r.exit(), r.err());
    List<String> rows = r.out().lines().filter(l -> l.startsWith("default ")).toList();
    assertEquals(1, rows.size(), r.out());
    assertTrue(rows.get(0).contains("1.0000"), "flat is exact: " + r.out());
  }

  @Test
  void streamedTruthEqualsSortingEveryDistance() {
    StreamedClusters data = new StreamedClusters(12, 20, 7);
    int n = 3000;
    float[][] queries = new float[5][12];
    for (int q = 0; q < queries.length; q++) {
      data.query(q, queries[q], 0);
    }
    long[][] truth = StreamedTruth.compute(data, n, queries, Metric.COSINE, 10, 3);
    float[][] base = new float[n][12];
    for (int i = 0; i < n; i++) {
      data.vector(i, base[i], 0);
    }
    for (int q = 0; q < queries.length; q++) {
      float[] query = queries[q];
      long[] expected = IntStream.range(0, n).boxed()
          .sorted(Comparator.comparingDouble((Integer i) -> Metric.COSINE.exactDistance(query, base[i]))
              .thenComparing(i -> i))
          .limit(10).mapToLong(Integer::longValue).toArray();
      long overlap = Arrays.stream(truth[q]).filter(id -> Arrays.stream(expected).anyMatch(e -> e == id)).count();
      assertTrue(overlap >= 9, "query " + q + ": " + Arrays.toString(truth[q]) + " vs " + Arrays.toString(expected));
    }
  }
}
