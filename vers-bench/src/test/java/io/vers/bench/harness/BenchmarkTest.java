package io.vers.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import io.vers.api.ProgressListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class BenchmarkTest {
  private static final float[][] QUERIES = new float[4][1];
  private static final int[][] TRUTH = {{1, 2, 3, 4}, {5, 6, 7, 8}, {1, 2, 3, 4}, {5, 6, 7, 8}};

  @Test
  void recallIsTheShareOfTheFirstKTrueIdsReturned() {
    // Query q returns the first (q + 1) true ids of k = 4, then misses: (1 + 2 + 3 + 4) / 16.
    int[] next = {0};
    QueryRunner runner = (query, k, out) -> {
      int q = next[0]++ % QUERIES.length;
      for (int i = 0; i < k; i++) {
        out[i] = i <= q ? TRUTH[q][i] : 100 + i;
      }
      return k;
    };
    Measurement m = Benchmark.measure(runner, QUERIES, TRUTH, 4, 1);
    assertEquals(10.0 / 16, m.recall(), 1e-12);
    assertTrue(m.qps() > 0);
  }

  @Test
  void orderWithinTheTopKDoesNotMatterButDepthDoes() {
    assertEquals(3, Benchmark.overlap(new long[] {3, 1, 2, 9}, 4, new int[] {1, 2, 3, 4, 9}, 3));
    assertEquals(2, Benchmark.overlap(new long[] {3, 1, 2, 9}, 2, new int[] {1, 2, 3, 4, 9}, 4));
    assertEquals(0, Benchmark.overlap(new long[] {7}, 1, new int[] {1}, 1));
  }

  @Test
  void everyTimedPassRunsEveryQueryOnce() {
    int[] calls = {0};
    QueryRunner runner = (query, k, out) -> {
      calls[0]++;
      out[0] = 1;
      return 1;
    };
    Benchmark.measure(runner, QUERIES, TRUTH, 1, 3);
    assertEquals(0, calls[0] % QUERIES.length, "whole passes only");
    assertTrue(calls[0] >= 4 * QUERIES.length, "one warm-up pass and at least three timed passes");
  }

  @Test
  void sweepStopsOnceTheHighestTargetIsReached() throws Exception {
    // Recall grows with the knob: value / 32, capped at 1.
    FakeContender fake = new FakeContender(ParameterSpec.ofInt("ef", 12, 1, 1000, "knob"), v -> Math.min(1.0, v / 32.0));
    AlgorithmResult r = Benchmark.run(fake, new float[100][1], QUERIES, TRUTH, Metric.L2, Map.of(), OptionalInt.empty(),
        settings(List.of(0.5, 0.9)), quiet());
    List<Integer> values = r.points().stream().map(Measurement::knobValue).toList();
    // Default (12) first, then the grid from k = 4: 4, 6, 8, 12 (reused), 16, 24, 32 reaches 0.9 -> stop.
    // Then each target's crossing is bisected: 0.5 between 8 and 12 (10 and 11 miss it), 0.9 between 24
    // and 32 (28 reaches it, 26 misses it), until the values are within an eighth of each other.
    assertEquals(List.of(4, 6, 8, 10, 11, 12, 16, 24, 26, 28, 32), values);
    assertTrue(r.points().get(5).isDefault());
    assertEquals("ef", r.knobName());
    assertTrue(r.fastestReaching(0.5).orElseThrow().recall() >= 0.5);
    assertEquals(1.0, r.fastestReaching(0.99).orElseThrow().recall());
    assertTrue(r.fastestReaching(1.5).isEmpty());
  }

  @Test
  void sweepStopsOnAPlateau() throws Exception {
    FakeContender fake = new FakeContender(ParameterSpec.ofInt("nprobe", null, 1, 1000, "knob"), v -> Math.min(2, v) / 4.0);
    AlgorithmResult r = Benchmark.run(fake, new float[100][1], QUERIES, TRUTH, Metric.L2, Map.of(), OptionalInt.empty(),
        settings(List.of(0.9)), quiet());
    List<Integer> values = r.points().stream().map(Measurement::knobValue).toList();
    // nprobe starts at 1 (no declared default); recall reaches 0.5 at 2 and stays: three more steps, then stop.
    assertEquals(List.of(1, 2, 3, 4, 6), values);
    assertTrue(r.points().stream().noneMatch(Measurement::isDefault));
  }

  @Test
  void theDefaultRowShowsTheDefaultOfTheBuiltIndex() throws Exception {
    // The declared default is 12; for this index and k = 4 the contender says it is 4 * 5.
    FakeContender fake = new FakeContender(ParameterSpec.ofInt("ef", 12, 1, 1000, "knob"), v -> Math.min(1.0, v / 32.0));
    fake.defaultForK = k -> 5 * k;
    AlgorithmResult r = Benchmark.run(fake, new float[100][1], QUERIES, TRUTH, Metric.L2, Map.of(), OptionalInt.empty(),
        settings(List.of(0.5)), quiet());
    List<Measurement> defaults = r.points().stream().filter(Measurement::isDefault).toList();
    assertEquals(1, defaults.size());
    assertEquals(20, defaults.get(0).knobValue());
  }

  @Test
  void aFixedKnobIsMeasuredAlone() throws Exception {
    FakeContender fake = new FakeContender(ParameterSpec.ofInt("ef", 12, 1, 1000, "knob"), v -> 1.0);
    AlgorithmResult r = Benchmark.run(fake, new float[100][1], QUERIES, TRUTH, Metric.L2, Map.of(), OptionalInt.of(77),
        settings(List.of(0.9)), quiet());
    assertEquals(1, r.points().size());
    assertEquals(77, r.points().get(0).knobValue());
    assertEquals(Map.of("ef", 77), r.parameters(r.points().get(0)));
  }

  @Test
  void exactContendersHaveOneConfiguration() throws Exception {
    FakeContender fake = new FakeContender(null, v -> 1.0);
    AlgorithmResult r = Benchmark.run(fake, new float[100][1], QUERIES, TRUTH, Metric.L2, Map.of(), OptionalInt.empty(),
        settings(List.of(0.9)), quiet());
    assertEquals(1, r.points().size());
    assertNull(r.knobName());
    assertEquals(1.0, r.points().get(0).recall());
    assertEquals(123, r.indexBytes());
  }

  @Test
  void severalContendersAreMeasuredTogetherInOrder() throws Exception {
    Map<String, int[]> calls = new java.util.HashMap<>();
    List<Benchmark.Entry> entries = List.of(
        new Benchmark.Entry(new CountingContender("a", calls), Map.of(), OptionalInt.empty()),
        new Benchmark.Entry(new CountingContender("b", calls), Map.of(), OptionalInt.empty()));
    List<AlgorithmResult> results = Benchmark.run(entries, new float[10][1], QUERIES, TRUTH, Metric.L2,
        new Benchmark.Settings(4, 2, 1, List.of(0.9), true, 0), quiet());
    assertEquals(List.of("a", "b"), results.stream().map(AlgorithmResult::algorithm).toList());
    for (String name : List.of("a", "b")) {
      int n = calls.get(name)[0];
      assertEquals(0, n % QUERIES.length, "whole passes only");
      assertTrue(n >= 3 * QUERIES.length, "one recall pass and at least two timed passes, got " + n);
    }
  }

  /** An exact contender whose searches are counted by name. */
  private static final class CountingContender implements Contender {
    private final String name;
    private final Map<String, int[]> calls;

    CountingContender(String name, Map<String, int[]> calls) {
      this.name = name;
      this.calls = calls;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String description() {
      return name;
    }

    @Override
    public boolean isPeer() {
      return false;
    }

    @Override
    public List<ParameterSpec> parameters() {
      return List.of();
    }

    @Override
    public List<ParameterSpec> searchParameters() {
      return List.of();
    }

    @Override
    public BuiltIndex build(float[][] base, Metric metric, Map<String, ?> params, int threads,
        ProgressListener progress) {
      int[] counter = calls.computeIfAbsent(name, x -> new int[1]);
      return new BuiltIndex() {
        @Override
        public Map<String, Object> parameters() {
          return Map.of();
        }

        @Override
        public QueryRunner searcher(String knob, int value) {
          return (query, k, out) -> {
            counter[0]++;
            out[0] = 1;
            return 1;
          };
        }

        @Override
        public long bytes() {
          return 1;
        }
      };
    }
  }

  private static Benchmark.Settings settings(List<Double> targets) {
    return new Benchmark.Settings(4, 1, 1, targets, true, 0);
  }

  private static Benchmark.Listener quiet() {
    return new Benchmark.Listener() {
      @Override
      public ProgressListener building(String name, int vectors) {
        return ProgressListener.NONE;
      }

      @Override
      public ProgressListener sweeping(String name, int configurations) {
        return ProgressListener.NONE;
      }

      @Override
      public ProgressListener timing(int passes) {
        return ProgressListener.NONE;
      }

      @Override
      public void done() {}
    };
  }

  /** Returns, per query, a share of the true ids that depends on the knob. */
  private static final class FakeContender implements Contender {
    private final ParameterSpec knob;
    private final java.util.function.IntToDoubleFunction recall;
    /** The knob's default for a search of k in the built index, when it differs from the declared one. */
    java.util.function.IntUnaryOperator defaultForK;

    FakeContender(ParameterSpec knob, java.util.function.IntToDoubleFunction recall) {
      this.knob = knob;
      this.recall = recall;
    }

    @Override
    public String name() {
      return "fake";
    }

    @Override
    public String description() {
      return "fake";
    }

    @Override
    public boolean isPeer() {
      return false;
    }

    @Override
    public List<ParameterSpec> parameters() {
      return List.of();
    }

    @Override
    public List<ParameterSpec> searchParameters() {
      return knob == null ? List.of() : List.of(knob);
    }

    @Override
    public List<ParameterSpec> searchParameters(Map<String, ?> parameters, int k) {
      return defaultForK == null ? searchParameters() : List.of(knob.withDefault(defaultForK.applyAsInt(k)));
    }

    @Override
    public BuiltIndex build(float[][] base, Metric metric, Map<String, ?> params, int threads,
        ProgressListener progress) {
      return new BuiltIndex() {
        @Override
        public Map<String, Object> parameters() {
          return Map.of();
        }

        @Override
        public QueryRunner searcher(String knobName, int value) {
          int v = knobName == null ? (knob == null || knob.defaultValue() == null ? 1
              : ((Number) knob.defaultValue()).intValue()) : value;
          int hits = (int) Math.round(recall.applyAsDouble(v) * 4);
          List<int[]> rows = new ArrayList<>(List.of(TRUTH));
          int[] next = {0};
          return (query, k, out) -> {
            int[] truth = rows.get(next[0]++ % rows.size());
            for (int i = 0; i < k; i++) {
              out[i] = i < hits ? truth[i] : 1000 + i;
            }
            return k;
          };
        }

        @Override
        public long bytes() {
          return 123;
        }
      };
    }
  }
}
