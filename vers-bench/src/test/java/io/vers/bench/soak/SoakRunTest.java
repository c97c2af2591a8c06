package io.vers.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.Index;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The soak run finds nothing wrong with the real indexes, and does find what a broken index does wrong. */
class SoakRunTest {
  @TempDir Path dir;

  private SoakRun.Config config(String algorithm, Metric metric, long millis) {
    return new SoakRun.Config(algorithm, metric, 8, 300, 2, 2, millis, 100, dir, 7);
  }

  @Test
  void everyAlgorithmRunsAFewSecondsWithoutViolation() throws InterruptedException {
    for (String algorithm : Indexes.available()) {
      for (Metric metric : new Metric[] {Metric.L2, Metric.COSINE}) {
        Violations violations = new Violations(null, 10);
        SoakRun.Config config = config(algorithm, metric, 1500);
        SoakRun run = new SoakRun(config, () -> Indexes.create(algorithm, 8, metric), violations);
        run.run();
        String where = algorithm + " " + metric;
        assertEquals(0, violations.count(), where + ": " + violations.kept());
        Counters c = run.counters();
        for (Counters.Kind kind : Counters.Kind.values()) {
          assertTrue(c.count(kind) > 0, where + ": no " + kind);
        }
        assertEquals(c.count(Counters.Kind.SAVE), c.count(Counters.Kind.LOAD), where);
      }
    }
  }

  @Test
  void aRunShorterThanThePauseBetweenSavesStillChecksOneSave() throws InterruptedException {
    Violations violations = new Violations(null, 10);
    SoakRun.Config config = new SoakRun.Config("flat", Metric.L2, 8, 300, 1, 1, 300, 60_000, dir, 7);
    SoakRun run = new SoakRun(config, () -> Indexes.create("flat", 8, Metric.L2), violations);
    run.run();
    assertEquals(0, violations.count(), violations.kept().toString());
    assertEquals(1, run.counters().count(Counters.Kind.SAVE));
    assertEquals(1, run.counters().count(Counters.Kind.LOAD));
  }

  @Test
  void anIndexThatHidesAnIdFromItsListIsCaughtAtTheSave() throws InterruptedException {
    // ids() leaves out the smallest id, which the saved file still holds: the loaded copy then has an id
    // the live index did not list at the save.
    Violations violations = soak("flat", index -> proxy(index, (method, args, result) ->
        method.equals("ids") ? hideSmallest((LongStream) result) : result));
    assertTrue(violations.count() > 0, "no violation reported");
    assertTrue(violations.kept().stream().anyMatch(v -> v.contains("differs from the live index at the save")),
        violations.kept().toString());
  }

  @Test
  void anIndexWhoseResultsAreOutOfOrderIsCaught() throws InterruptedException {
    Violations violations = soak("hnsw", index -> proxy(index, (method, args, result) -> {
      if (method.equals("search") && result instanceof List<?> list && list.size() > 1) {
        List<Object> reversed = new ArrayList<>(list);
        Collections.reverse(reversed);
        return reversed;
      }
      return result;
    }));
    assertTrue(violations.kept().stream().anyMatch(v -> v.contains("out of order")), violations.kept().toString());
  }

  @Test
  void anIndexThatLosesAWriteIsCaughtByItsWriter() throws InterruptedException {
    // remove() reports success but keeps the vector.
    Violations violations = soak("lsh", index -> proxy(index, (method, args, result) ->
        method.equals("remove") ? Boolean.TRUE : result, "remove"));
    assertTrue(violations.kept().stream().anyMatch(v -> v.contains("still present after its remove")),
        violations.kept().toString());
  }

  private Violations soak(String algorithm, java.util.function.Function<Index, Index> wrap)
      throws InterruptedException {
    Violations violations = new Violations(null, 10);
    Supplier<Index> factory = () -> wrap.apply(Indexes.create(algorithm, 8, Metric.L2));
    new SoakRun(config(algorithm, Metric.L2, 1000), factory, violations).run();
    return violations;
  }

  private static LongStream hideSmallest(LongStream ids) {
    long[] all = ids.sorted().toArray();
    return all.length == 0 ? LongStream.empty() : LongStream.of(all).skip(1);
  }

  /** Rewrites the result of a call by method name. */
  @FunctionalInterface
  private interface Rewrite {
    Object apply(String method, Object[] args, Object result);
  }

  /**
   * {@code index} behind a proxy that rewrites results; a method named in {@code skipped} is not
   * called on {@code index} at all (its result is then what the rewrite returns for null).
   */
  private static Index proxy(Index index, Rewrite rewrite, String... skipped) {
    List<String> skip = List.of(skipped);
    return (Index) Proxy.newProxyInstance(Index.class.getClassLoader(), new Class<?>[] {Index.class},
        (p, method, args) -> {
          Object result = skip.contains(method.getName()) ? null : Capture.forward(index, method, args);
          return rewrite.apply(method.getName(), args, result);
        });
  }
}
