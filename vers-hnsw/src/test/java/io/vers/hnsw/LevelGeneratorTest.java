package io.vers.hnsw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LevelGeneratorTest {
  @Test
  void levelsAreGeometricWithRatioOneOverM() {
    LevelGenerator levels = new LevelGenerator(7, 16, HnswGraph.MAX_LEVEL, 0);
    int n = 400_000;
    int[] counts = new int[HnswGraph.MAX_LEVEL + 1];
    for (int i = 0; i < n; i++) {
      counts[levels.next()]++;
    }
    // P(level >= l) = m^-l.
    assertEquals(n / 16.0, n - counts[0], 0.05 * n / 16.0);
    assertEquals(n / 256.0, n - counts[0] - counts[1], 0.15 * n / 256.0);
    assertEquals(n, levels.draws());
  }

  @Test
  void drawsAreAFunctionOfTheSeedAndTheDrawNumber() {
    LevelGenerator a = new LevelGenerator(3, 4, HnswGraph.MAX_LEVEL, 0);
    for (int i = 0; i < 500; i++) {
      a.next();
    }
    LevelGenerator resumed = new LevelGenerator(3, 4, HnswGraph.MAX_LEVEL, 500);
    for (int i = 0; i < 500; i++) {
      assertEquals(a.next(), resumed.next());
    }
  }

  @Test
  void theCapIsRespected() {
    LevelGenerator capped = new LevelGenerator(1, 2, 2, 0);
    int max = 0;
    for (int i = 0; i < 10_000; i++) {
      max = Math.max(max, capped.next());
    }
    assertEquals(2, max);
    assertTrue(new LevelGenerator(1, 2, 0, 0).next() == 0);
  }
}
