package io.vers.bench.harness;

/** The timed passes of one way of running the queries: how many, their total and the fastest. Not thread-safe. */
final class PassTimer {
  private long bestNanos = Long.MAX_VALUE;
  private long timedNanos;
  private int passes;

  /** Whether fewer than {@code minPasses} passes, or less than {@code minNanos} in all, were timed. */
  boolean needsMore(int minPasses, long minNanos) {
    return passes < minPasses || timedNanos < minNanos;
  }

  /** Records a pass that took {@code nanos}. */
  void add(long nanos) {
    bestNanos = Math.min(bestNanos, nanos);
    timedNanos += nanos;
    passes++;
  }

  /** Queries per second of the fastest pass over {@code queries} queries. */
  double qps(int queries) {
    return queries * 1e9 / Math.max(1, bestNanos);
  }
}
