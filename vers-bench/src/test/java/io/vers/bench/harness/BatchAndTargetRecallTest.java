package io.vers.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.Calibration;
import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import io.vers.api.ProgressListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** {@link Benchmark} with batched throughput and target-recall searches, on a contender whose recall is known. */
class BatchAndTargetRecallTest {
  private static final int K = 4;

  /** Query i is the vector {i}, so that a runner knows which row of the truth it answers. */
  private static final float[][] QUERIES = {{0}, {1}, {2}, {3}};

  private static final int[][] TRUTH = {{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}, {13, 14, 15, 16}};

  /** Recall grows with the knob: value / 32, capped at 1, in steps of a quarter (k = 4). */
  private static double recallAt(int value) {
    return Fake.hits(value) / (double) K;
  }

  /** What the calibration of the fake says: the same curve, measured at 8, 16, 24 and 32. */
  private static final Calibration CALIBRATION = new Calibration(Optional.of("ef"), K, 250, 100,
      List.of(new Calibration.Point(8, 0.25), new Calibration.Point(16, 0.5), new Calibration.Point(24, 0.75),
          new Calibration.Point(32, 1.0)));

  private static final ParameterSpec EF = ParameterSpec.ofInt("ef", null, 1, 1000, "knob");

  private static Benchmark.Settings settings(boolean batch, int batchThreads, List<Double> targetRecalls) {
    return new Benchmark.Settings(K, 2, 1, List.of(0.5), true, 0, batch, batchThreads, targetRecalls);
  }

  private static AlgorithmResult run(Fake fake, Benchmark.Settings settings) throws Exception {
    return Benchmark.run(fake, new float[100][1], QUERIES, TRUTH, Metric.L2, Map.of(), OptionalInt.empty(), settings,
        quiet());
  }

  @Test
  void batchesAreMeasuredForEveryConfigurationOnOneAndOnNThreads() throws Exception {
    Fake fake = new Fake(EF, true, false);
    AlgorithmResult r = run(fake, settings(true, 3, List.of()));
    // The ladder reaches 0.5 at 12; bisecting its crossing adds 10 and 11.
    assertEquals(List.of(4, 6, 8, 10, 11, 12), r.points().stream().map(Measurement::knobValue).toList());
    for (Measurement m : r.points()) {
      BatchMeasurement b = m.batch();
      assertNotNull(b, "every configuration has its batch figures");
      assertEquals(3, b.threads());
      assertEquals(m.recall(), b.recall(), 1e-12, "the batch answers are scored like single queries");
      assertEquals(recallAt(m.knobValue()), b.recall(), 1e-12);
      assertTrue(b.qpsOneThread() > 0 && b.qps() > 0);
    }
    for (int value : List.of(4, 6, 8, 12)) {
      List<Integer> threads = fake.batchThreads(value);
      int one = Collections.frequency(threads, 1);
      int three = Collections.frequency(threads, 3);
      assertEquals(threads.size(), one + three, "only 1 and --batch-threads: " + threads);
      assertTrue(one >= 2, "at least --passes timed calls on one thread: " + threads);
      assertTrue(three >= 3, "a recall call and at least --passes timed calls on 3 threads: " + threads);
    }
  }

  @Test
  void oneBatchThreadIsMeasuredOnce() throws Exception {
    Fake fake = new Fake(EF, true, false);
    AlgorithmResult r = run(fake, settings(true, 1, List.of()));
    for (Measurement m : r.points()) {
      assertEquals(m.batch().qpsOneThread(), m.batch().qps());
      assertEquals(List.of(1), fake.batchThreads(m.knobValue()).stream().distinct().toList());
    }
  }

  @Test
  void withoutBatchOrWithoutABatchCallThereAreNoBatchFigures() throws Exception {
    Fake fake = new Fake(EF, true, false);
    AlgorithmResult r = run(fake, settings(false, 2, List.of()));
    r.points().forEach(m -> assertNull(m.batch()));
    assertTrue(fake.batchCalls.isEmpty(), "the batch call is never made");

    AlgorithmResult peer = run(new Fake(EF, false, false), settings(true, 2, List.of()));
    peer.points().forEach(m -> assertNull(m.batch(), "a contender without a batch call"));
  }

  @Test
  void targetRecallsUseTheKnobTheCalibrationChoosesAndTimeTheCalibrationApart() throws Exception {
    Fake fake = new Fake(EF, false, true);
    AlgorithmResult r = run(fake, settings(false, 1, List.of(0.75, 0.5)));
    // The recall target 0.5 alone would stop the sweep at 12; the target recall 0.75 carries it to 24.
    // Bisecting the crossing of 0.5 adds 10 and 11 (target recalls are not recall targets: none for 0.75).
    assertEquals(List.of(4, 6, 8, 10, 11, 12, 16, 24), r.points().stream().map(Measurement::knobValue).toList());
    TargetRecallResult t = r.targetRecall();
    assertNotNull(t);
    assertEquals("ef", t.knobName());
    assertEquals(250, t.calibrationQueries());
    assertTrue(t.calibrationSeconds() >= Fake.CALIBRATION_MILLIS / 1000.0, "the first call calibrates: "
        + t.calibrationSeconds());
    assertEquals(2, t.points().size());
    TargetRecallResult.Point half = t.points().get(0);
    TargetRecallResult.Point threeQuarters = t.points().get(1);
    assertEquals(0.5, half.target());
    assertEquals(16, half.knobValue());
    assertEquals(0.5, half.recall(), 1e-12, "measured on the real queries");
    assertEquals(0.75, threeQuarters.target());
    assertEquals(24, threeQuarters.knobValue());
    assertEquals(0.75, threeQuarters.recall(), 1e-12);
    assertTrue(half.qps() > 0 && threeQuarters.qps() > 0);
    assertEquals(1, fake.calibrations, "calibrated once, on first use");
    assertEquals(24, r.fastestReaching(0.75).orElseThrow().knobValue(), "the swept configuration to compare with");
  }

  @Test
  void targetRecallsNeedAKnobAndTheAbilityToAsk() throws Exception {
    assertNull(run(new Fake(null, true, true), settings(false, 1, List.of(0.9))).targetRecall(), "exact search");
    assertNull(run(new Fake(EF, true, false), settings(false, 1, List.of(0.9))).targetRecall(), "a peer");
    assertNull(run(new Fake(EF, true, true), settings(false, 1, List.of())).targetRecall(), "not asked for");
  }

  @Test
  void settingsCheckTheirTargetsAndThreads() {
    Benchmark.Settings s = settings(true, 2, List.of(0.99, 0.9, 0.9));
    assertEquals(List.of(0.9, 0.99), s.targetRecalls());
    assertEquals(0.99, s.highestTarget());
    assertEquals(0.5, settings(false, 1, List.of()).highestTarget());
    assertThrowsIllegal(() -> settings(true, 0, List.of()));
    assertThrowsIllegal(() -> settings(false, 1, List.of(1.5)));
  }

  private static void assertThrowsIllegal(Runnable r) {
    try {
      r.run();
    } catch (IllegalArgumentException expected) {
      return;
    }
    throw new AssertionError("expected IllegalArgumentException");
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

  /**
   * Returns, for knob value v, the first {@code round(min(1, v / 32) * 4)} true ids of each query. Its batch
   * call records the threads it was given per knob value and pads rows with -1; its target-recall
   * searches take the knob {@link #CALIBRATION} picks, the first of them sleeping as a calibration would.
   */
  private static final class Fake implements Contender {
    static final int CALIBRATION_MILLIS = 40;

    final ParameterSpec knob;
    final boolean batch;
    final boolean targets;
    final Map<Integer, List<Integer>> batchCalls = new java.util.HashMap<>();
    int calibrations;

    Fake(ParameterSpec knob, boolean batch, boolean targets) {
      this.knob = knob;
      this.batch = batch;
      this.targets = targets;
    }

    List<Integer> batchThreads(int value) {
      return batchCalls.getOrDefault(value, List.of());
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
      return !targets;
    }

    @Override
    public List<ParameterSpec> parameters() {
      return List.of();
    }

    @Override
    public List<ParameterSpec> searchParameters() {
      return knob == null ? List.of() : List.of(knob);
    }

    static int hits(int value) {
      return (int) Math.round(Math.min(1.0, value / 32.0) * K);
    }

    private static QueryRunner runner(int value) {
      return (query, k, out) -> {
        int[] truth = TRUTH[(int) query[0]];
        for (int i = 0; i < k; i++) {
          out[i] = i < hits(value) ? truth[i] : 1000 + i;
        }
        return k;
      };
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
          return runner(knobName == null ? 1 : value);
        }

        @Override
        public Optional<BatchRunner> batchSearcher(String knobName, int value) {
          if (!batch) {
            return Optional.empty();
          }
          int v = knobName == null ? 1 : value;
          return Optional.of((queries, count, k, threads) -> {
            batchCalls.computeIfAbsent(v, x -> new ArrayList<>()).add(threads);
            long[] ids = new long[count * k];
            java.util.Arrays.fill(ids, -1);
            for (int q = 0; q < count; q++) {
              int[] truth = TRUTH[(int) queries[q]];
              for (int i = 0; i < hits(v); i++) {
                ids[q * k + i] = truth[i];
              }
            }
            return ids;
          });
        }

        @Override
        public Optional<QueryRunner> targetRecallSearcher(double targetRecall) {
          if (!targets) {
            return Optional.empty();
          }
          QueryRunner chosen = runner(CALIBRATION.valueFor(targetRecall).orElseThrow());
          return Optional.of((query, k, out) -> {
            if (calibrations == 0) {
              calibrations++;
              try {
                Thread.sleep(CALIBRATION_MILLIS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return chosen.search(query, k, out);
          });
        }

        @Override
        public Optional<Calibration> calibration(int k) {
          return targets ? Optional.of(CALIBRATION) : Optional.empty();
        }

        @Override
        public long bytes() {
          return 1;
        }
      };
    }
  }
}
