package io.vers.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.IllegalParameterException;
import io.vers.api.Metric;
import io.vers.api.ProgressListener;
import io.vers.bench.data.Dataset;
import io.vers.bench.data.SyntheticDataset;
import io.vers.bench.harness.Benchmark;
import io.vers.bench.harness.BuiltIndex;
import io.vers.bench.harness.Contender;
import io.vers.bench.harness.GroundTruth;
import io.vers.bench.harness.Measurement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each peer adapter, on a small dataset under each metric: with a generous ef its results must nearly
 * match exact search (so ids, metrics and the knob are wired correctly), and a small ef cannot do better.
 */
class PeersTest {
  private static final Dataset DATA = SyntheticDataset.generate(1500, 12, 40, 5);

  static List<Arguments> cases() {
    List<Arguments> out = new java.util.ArrayList<>();
    for (Contender peer : Peers.all()) {
      for (Metric metric : Metric.values()) {
        out.add(Arguments.of(peer.name(), metric));
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void findsTheExactNeighboursWithALargeEf(String name, Metric metric) throws Exception {
    Contender peer = Peers.find(name).orElseThrow();
    int[][] truth = GroundTruth.compute(DATA.base(), DATA.queries(), metric, 10, 2, ProgressListener.NONE);
    AtomicLong progress = new AtomicLong();
    try (BuiltIndex index = peer.build(DATA.base(), metric, Map.of("M", 8, "efConstruction", 64), 2,
        (done, total) -> progress.set(done))) {
      Measurement wide = Benchmark.measure(index.searcher("ef", 400), DATA.queries(), truth, 10, 1);
      // Inner-product graphs are harder to navigate (no triangle inequality): a lower bar for DOT, still far
      // above what a wrongly wired metric or id mapping would give.
      double bar = metric == Metric.DOT ? 0.9 : 0.97;
      assertTrue(wide.recall() >= bar, name + " " + metric + " recall " + wide.recall());
      Measurement narrow = Benchmark.measure(index.searcher(null, 0), DATA.queries(), truth, 10, 1);
      assertTrue(narrow.recall() <= wide.recall(), "ef=k cannot beat ef=400");
      assertEquals(Map.of("M", 8, "efConstruction", 64), Map.of("M", index.parameters().get("M"),
          "efConstruction", index.parameters().get("efConstruction")));
    }
    assertEquals(DATA.base().length, progress.get(), "progress reaches every vector");
  }

  @Test
  void peersValidateTheirParameters() {
    Contender lucene = Peers.find("Lucene-HNSW").orElseThrow();
    IllegalParameterException e = assertThrows(IllegalParameterException.class,
        () -> lucene.build(DATA.base(), Metric.L2, Map.of("m", "1"), 1, ProgressListener.NONE));
    assertTrue(e.getMessage().contains("[2, 512]"), e.getMessage());
    assertThrows(IllegalParameterException.class,
        () -> lucene.build(DATA.base(), Metric.L2, Map.of("nlist", 4), 1, ProgressListener.NONE));
  }

  @Test
  void jvectorDegreeDefaultsToTwiceM() throws Exception {
    Contender jvector = Peers.find("jvector").orElseThrow();
    try (BuiltIndex index = jvector.build(SyntheticDataset.generate(200, 4, 1, 1).base(), Metric.L2,
        Map.of("num_neighbours", 6), 1, ProgressListener.NONE)) {
      assertEquals(12, index.parameters().get("maxDegree"));
      assertEquals(6, index.parameters().get("M"));
    }
  }

  @Test
  void everyPeerReportsItsSimdPath() {
    for (Contender peer : Peers.all()) {
      String status = peer.simdStatus().orElseThrow();
      assertTrue(status.startsWith("yes") || status.startsWith("no"), peer.name() + ": " + status);
    }
  }
}
