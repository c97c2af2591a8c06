package io.vers.spark;

import io.vers.api.Metric;
import io.vers.api.SearchParams;
import java.io.Serializable;
import java.util.Map;

/** Everything the executors need to route, search and merge one {@code transform}. Broadcast once. */
final class QueryPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  /** ivf: the cells; hash: null (every partition is visited). */
  final Router router;
  final int partitions;
  final int probe;
  final int dimension;
  final Metric metric;
  final int k;
  final boolean excludeSelf;
  /** Whether the rows carry a query id (in their last column). */
  final boolean hasQueryId;
  /** Columns of the rows as they came in. */
  final int columns;
  final String featuresCol;
  final String queryIdCol;
  final String directory;
  final String buildId;
  final long[] sizes;
  final Map<String, String> knobs;
  final double targetRecall;
  final int threads;
  final int blockSize;

  QueryPlan(Router router, int partitions, int probe, int dimension, Metric metric, int k, boolean excludeSelf,
      boolean hasQueryId, int columns, String featuresCol, String queryIdCol, String directory, String buildId,
      long[] sizes, Map<String, String> knobs, double targetRecall, int threads, int blockSize) {
    this.router = router;
    this.partitions = partitions;
    this.probe = probe;
    this.dimension = dimension;
    this.metric = metric;
    this.k = k;
    this.excludeSelf = excludeSelf;
    this.hasQueryId = hasQueryId;
    this.columns = columns;
    this.featuresCol = featuresCol;
    this.queryIdCol = queryIdCol;
    this.directory = directory;
    this.buildId = buildId;
    this.sizes = sizes;
    this.knobs = knobs;
    this.targetRecall = targetRecall;
    this.threads = threads;
    this.blockSize = blockSize;
  }

  /** The search settings of every partition index. */
  SearchParams searchParams() {
    return searchParams(knobs, targetRecall);
  }

  /** Search settings from knobs given as text and a target recall (0: none). */
  static SearchParams searchParams(Map<String, String> knobs, double targetRecall) {
    SearchParams.Builder b = SearchParams.builder();
    for (Map.Entry<String, String> e : knobs.entrySet()) {
      double value;
      try {
        value = Double.parseDouble(e.getValue().trim());
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException("VersKnnModel: search knob " + e.getKey() + " must be a number, got '"
            + e.getValue() + "'", ex);
      }
      b.set(e.getKey(), value);
    }
    if (targetRecall > 0) {
      b.targetRecall(targetRecall);
    }
    return b.build();
  }
}
