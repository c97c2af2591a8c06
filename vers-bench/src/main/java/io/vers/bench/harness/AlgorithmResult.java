package io.vers.bench.harness;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything measured for one algorithm: how it was built and every search configuration tried.
 *
 * @param algorithm the contender's name
 * @param peer whether it is another library
 * @param buildParameters the build parameters in effect
 * @param knobName the search knob's name, or {@code null} when it has none
 * @param buildSeconds wall time to build the index from the base vectors
 * @param buildThreads threads used to build
 * @param indexBytes heap bytes the index holds, vectors included
 * @param points the search configurations, by ascending knob value
 * @param targetRecall the searches by target recall, or {@code null} when they were not measured
 */
public record AlgorithmResult(
    String algorithm,
    boolean peer,
    Map<String, Object> buildParameters,
    String knobName,
    double buildSeconds,
    int buildThreads,
    long indexBytes,
    List<Measurement> points,
    TargetRecallResult targetRecall) {

  public AlgorithmResult {
    buildParameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(buildParameters));
    points = List.copyOf(points);
  }

  /** A result without target-recall searches. */
  public AlgorithmResult(String algorithm, boolean peer, Map<String, Object> buildParameters, String knobName,
      double buildSeconds, int buildThreads, long indexBytes, List<Measurement> points) {
    this(algorithm, peer, buildParameters, knobName, buildSeconds, buildThreads, indexBytes, points, null);
  }

  /** The fastest configuration whose recall reaches {@code target}, if any does. */
  public Optional<Measurement> fastestReaching(double target) {
    return points.stream().filter(m -> m.recall() >= target).max(Comparator.comparingDouble(Measurement::qps));
  }

  /** The build parameters plus the knob value of {@code point}, for reports. */
  public Map<String, Object> parameters(Measurement point) {
    Map<String, Object> out = new LinkedHashMap<>(buildParameters);
    if (knobName != null && point.knobValue() > 0) {
      out.put(knobName, point.knobValue());
    }
    return out;
  }
}
