package io.vers.lsh;

/**
 * A small, fast, reproducible random generator (Steele, Lea and Flood's SplitMix64) whose whole state
 * is one {@code long}, so an index can save it in a snapshot and continue the same sequence after a
 * restore. Not thread-safe.
 */
final class SplitMix {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private long state;

  SplitMix(long state) {
    this.state = state;
  }

  /** A generator for stream {@code stream} of {@code seed}: independent sequences per tree. */
  static SplitMix forStream(long seed, long stream) {
    return new SplitMix(mix(seed ^ mix(stream + GOLDEN)));
  }

  /** The state, to save and pass back to the constructor. */
  long state() {
    return state;
  }

  long nextLong() {
    state += GOLDEN;
    return mix(state);
  }

  /** Uniform in {@code [0, bound)}; {@code bound > 0}. */
  int nextInt(int bound) {
    // Lemire's multiply-shift reduction; the bias is below 2^-32 per draw, irrelevant for picking splits.
    return (int) (((nextLong() >>> 32) * bound) >>> 32);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
