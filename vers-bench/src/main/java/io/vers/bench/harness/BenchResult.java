package io.vers.bench.harness;

import io.vers.api.Metric;
import java.util.List;

/**
 * The outcome of a benchmark run.
 *
 * @param dataset the dataset's name
 * @param size the number of base vectors
 * @param dimension their dimension
 * @param queries the number of queries measured
 * @param metric the metric
 * @param k the number of neighbours searched for
 * @param environment where it ran
 * @param recallTargets the recall levels reported on (ascending)
 * @param algorithms one result per algorithm, in run order
 */
public record BenchResult(
    String dataset,
    int size,
    int dimension,
    int queries,
    Metric metric,
    int k,
    Environment environment,
    List<Double> recallTargets,
    List<AlgorithmResult> algorithms) {

  public BenchResult {
    recallTargets = List.copyOf(recallTargets);
    algorithms = List.copyOf(algorithms);
  }
}
