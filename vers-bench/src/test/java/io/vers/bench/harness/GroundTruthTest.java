package io.vers.bench.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.Metric;
import io.vers.api.ProgressListener;
import io.vers.bench.data.Dataset;
import io.vers.bench.data.SyntheticDataset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GroundTruthTest {
  @Test
  void matchesBruteForce() {
    Dataset d = SyntheticDataset.generate(400, 6, 30, 3);
    for (Metric metric : Metric.values()) {
      int[][] truth = GroundTruth.compute(d.base(), d.queries(), metric, 5, 2, ProgressListener.NONE);
      for (int q = 0; q < d.queries().length; q++) {
        float[] query = d.queries()[q];
        int[] expected = IntStream.range(0, d.base().length).boxed()
            .sorted(Comparator.comparingDouble(i -> metric.exactDistance(query, d.base()[i])))
            .limit(5).mapToInt(Integer::intValue).toArray();
        assertArrayEquals(expected, truth[q], metric + " query " + q);
      }
    }
  }

  @Test
  void reportsProgressUpToTheLastQuery() {
    Dataset d = SyntheticDataset.generate(100, 3, 250, 3);
    long[] last = {0};
    GroundTruth.compute(d.base(), d.queries(), Metric.L2, 3, 2, (done, total) -> last[0] = done);
    assertEquals(250, last[0]);
  }

  @Test
  void checkRejectsShallowOrForeignTruth() {
    int[][] truth = {{0, 1, 2}, {2, 1, 0}};
    GroundTruth.check(truth, 2, 3, 3);
    IllegalArgumentException shallow = assertThrows(IllegalArgumentException.class,
        () -> GroundTruth.check(truth, 2, 10, 5));
    assertTrue(shallow.getMessage().contains("--k 3"), shallow.getMessage());
    IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
        () -> GroundTruth.check(new int[][] {{0, 7}}, 1, 5, 2));
    assertTrue(foreign.getMessage().contains("id 7"), foreign.getMessage());
    IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
        () -> GroundTruth.check(truth, 3, 3, 3));
    assertTrue(few.getMessage().contains("--max-queries 2"), few.getMessage());
    assertEquals(2, Arrays.stream(truth).count());
  }
}
