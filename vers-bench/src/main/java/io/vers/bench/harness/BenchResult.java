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
 * @param batchThreads the threads of the batched measurement ({@code --batch-threads}), or 0 when batches
 *     were not measured
 * @param targetRecalls the recalls searched for with {@code targetRecall} (ascending), empty when none
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
    List<AlgorithmResult> algorithms,
    int batchThreads,
    List<Double> targetRecalls) {

  public BenchResult {
    recallTargets = List.copyOf(recallTargets);
    algorithms = List.copyOf(algorithms);
    targetRecalls = targetRecalls.stream().sorted().toList();
  }

  /** A result of one-query-per-call measurements only. */
  public BenchResult(String dataset, int size, int dimension, int queries, Metric metric, int k,
      Environment environment, List<Double> recallTargets, List<AlgorithmResult> algorithms) {
    this(dataset, size, dimension, queries, metric, k, environment, recallTargets, algorithms, 0, List.of());
  }
}
