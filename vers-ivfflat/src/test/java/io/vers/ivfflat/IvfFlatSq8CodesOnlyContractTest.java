package io.vers.ivfflat;

import io.vers.api.Index;
import io.vers.api.SearchParams;
import io.vers.api.testkit.IndexContract;
import java.util.Map;
import java.util.Set;

/**
 * The whole contract kit on ivfflat with quantization=sq8 and keepVectors=false: its distances are, by
 * design, the metric's distances to the decoded vectors, and its exact search and recall calibration are
 * over the decoded vectors, so the kit checks distances and recall against the vectors the index holds
 * ({@link #distancesToHeldVectors()}).
 */
class IvfFlatSq8CodesOnlyContractTest extends IndexContract {
  /** Contract checks that expect distances or recall measured on the original floats. */
  static final Set<String> AGAINST_FLOATS = Set.of(
      "resultsAreSortedUniqueBoundedAndTrue", // distance == formula on the original vector, within 1e-3
      "filterIsHonouredAndFillsK", // same check
      "targetRecallMeetsItsRecall", // calibrated on decoded vectors, checked against the original ones
      "recallMonitorEstimatesTheRecallOfLiveQueries"); // monitor checks against searchExact (decoded)

  @Override
  protected String algorithm() {
    return IvfFlatIndex.NAME;
  }

  @Override
  protected Map<String, Object> configuration() {
    return Map.of("quantization", "sq8", "keepVectors", false);
  }

  /** Every list probed: an exact scan. */
  @Override
  protected SearchParams exhaustive(Index index) {
    return SearchParams.builder().nprobe(Math.max(1, ((IvfFlatIndex) index).nlist())).build();
  }

  @Override
  protected double declaredRecall() {
    return 0.85;
  }

  @Override
  protected double sift5kRecall() {
    return 0.9;
  }

  @Override
  protected boolean distancesToHeldVectors() {
    return true;
  }
}
