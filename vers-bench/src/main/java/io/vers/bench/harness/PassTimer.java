package io.vers.bench.harness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The timed passes of one way of running the queries: per run, how many passes, their total and the
 * fastest; the time of every single query (for latency percentiles); and the QPS of each finished run.
 * Not thread-safe.
 */
final class PassTimer {
  private long bestNanos = Long.MAX_VALUE;
  private long timedNanos;
  private int passes;
  private long[] latencies = new long[0];
  private int latencyCount;
  private final List<Double> runs = new ArrayList<>();

  /** Whether fewer than {@code minPasses} passes, or less than {@code minNanos} in all, were timed this run. */
  boolean needsMore(int minPasses, long minNanos) {
    return passes < minPasses || timedNanos < minNanos;
  }

  /** Records a pass that took {@code nanos}. */
  void add(long nanos) {
    bestNanos = Math.min(bestNanos, nanos);
    timedNanos += nanos;
    passes++;
  }

  /** Records one query that took {@code nanos}. */
  void addLatency(long nanos) {
    if (latencyCount == latencies.length) {
      latencies = Arrays.copyOf(latencies, Math.max(1024, latencyCount * 2));
    }
    latencies[latencyCount++] = nanos;
  }

  /** Ends a run: its QPS (fastest pass over {@code queries}) is kept, and the next run starts from nothing. */
  void endRun(int queries) {
    if (passes > 0) {
      runs.add(qpsOfThisRun(queries));
    }
    bestNanos = Long.MAX_VALUE;
    timedNanos = 0;
    passes = 0;
  }

  /** Queries per second: the median over finished runs, else the fastest pass of this run. */
  double qps(int queries) {
    if (runs.isEmpty()) {
      return qpsOfThisRun(queries);
    }
    double[] sorted = runs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /** {@return the QPS of each finished run, in order} */
  List<Double> runs() {
    return List.copyOf(runs);
  }

  /** The {@code p}-th percentile (0 to 100) of the single-query times, in milliseconds; NaN without any. */
  double percentileMillis(double p) {
    if (latencyCount == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(latencies, latencyCount);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100 * latencyCount) - 1;
    return sorted[Math.max(0, Math.min(latencyCount - 1, rank))] / 1e6;
  }

  private double qpsOfThisRun(int queries) {
    return queries * 1e9 / Math.max(1, bestNanos);
  }
}
