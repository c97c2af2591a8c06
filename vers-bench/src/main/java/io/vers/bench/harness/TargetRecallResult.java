package io.vers.bench.harness;

import java.util.List;

/**
 * Searching for a recall instead of a knob value ({@code SearchParams.Builder.targetRecall}): the index
 * picks its own knob value from a calibration it measures on its own vectors on first use.
 *
 * @param knobName the knob the index chooses
 * @param calibrationSeconds wall time of the first target-recall search, which measured the calibration
 * @param calibrationQueries the stored vectors the calibration used as queries
 * @param points one per target, ascending
 */
public record TargetRecallResult(String knobName, double calibrationSeconds, int calibrationQueries,
    List<Point> points) {
  public TargetRecallResult {
    points = List.copyOf(points);
  }

  /**
   * One target.
   *
   * @param target the recall@k asked for
   * @param knobValue the knob value the index chose for it
   * @param recall recall@k measured on the real queries
   * @param qps queries per second, one query per call on one thread, timed like every configuration
   */
  public record Point(double target, int knobValue, double recall, double qps) {}
}
