package io.vers.hnsw;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Draws node levels as the paper prescribes: {@code floor(-ln(U) * mL)} with {@code U} uniform in
 * (0, 1] and {@code mL = 1 / ln(m)}, capped at the configured number of levels. Draw {@code i} is a pure
 * function of the seed and {@code i} (a SplitMix64 hash), so the generator's whole state is the seed and
 * the number of draws made, and a single-threaded build is reproducible. Thread-safe.
 */
final class LevelGenerator {
  private final long seed;
  private final double levelMultiplier;
  private final int cap;
  private final AtomicLong draws;

  LevelGenerator(long seed, int m, int cap, long draws) {
    this.seed = seed;
    this.levelMultiplier = 1.0 / Math.log(m);
    this.cap = cap;
    this.draws = new AtomicLong(draws);
  }

  /** The level of the next inserted node. */
  int next() {
    long bits = mix(seed + draws.getAndIncrement() * 0x9E3779B97F4A7C15L);
    double u = ((bits >>> 11) + 1) * 0x1.0p-53;
    double level = Math.floor(-Math.log(u) * levelMultiplier);
    return (int) Math.min(level, cap);
  }

  /** The number of levels drawn so far, for snapshots. */
  long draws() {
    return draws.get();
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
