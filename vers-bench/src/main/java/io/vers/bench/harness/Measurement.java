package io.vers.bench.harness;

import java.util.List;

/**
 * One measured search configuration.
 *
 * @param knob the search knob set for this configuration, or {@code null} when the index ran with its
 *     defaults
 * @param knobValue the knob's value (when {@code knob} is {@code null}: the declared default, or 0 when
 *     there is none)
 * @param recall recall@k: the share of the first k ground-truth ids among the k returned, averaged over
 *     queries
 * @param qps queries per second on one thread: the number of queries over the best timed pass
 * @param batch the batched throughput of the same configuration, or {@code null} when it was not measured
 *     (without {@code --batch}, or for a peer, which has no batch call)
 * @param p50Millis the median time of one query over every timed pass, in milliseconds; NaN if not timed
 *     query by query
 * @param p99Millis the 99th percentile of the same times
 * @param qpsRuns with {@code --runs N} above 1, the QPS of each run (then {@code qps} is their median);
 *     otherwise empty
 */
public record Measurement(String knob, int knobValue, double recall, double qps, BatchMeasurement batch,
    double p50Millis, double p99Millis, List<Double> qpsRuns) {
  /** Copies {@code qpsRuns}. */
  public Measurement {
    qpsRuns = List.copyOf(qpsRuns);
  }

  /** A configuration measured one query per call only, without latency percentiles. */
  public Measurement(String knob, int knobValue, double recall, double qps) {
    this(knob, knobValue, recall, qps, null);
  }

  /** A configuration without latency percentiles or runs. */
  public Measurement(String knob, int knobValue, double recall, double qps, BatchMeasurement batch) {
    this(knob, knobValue, recall, qps, batch, Double.NaN, Double.NaN, List.of());
  }

  /** Whether this configuration ran with the index's default search settings. */
  public boolean isDefault() {
    return knob == null;
  }

  /** Mean time per query in milliseconds. */
  public double latencyMillis() {
    return 1000.0 / qps;
  }
}
