package io.vers.bench.harness;

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
 */
public record Measurement(String knob, int knobValue, double recall, double qps, BatchMeasurement batch) {
  /** A configuration measured one query per call only. */
  public Measurement(String knob, int knobValue, double recall, double qps) {
    this(knob, knobValue, recall, qps, null);
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
