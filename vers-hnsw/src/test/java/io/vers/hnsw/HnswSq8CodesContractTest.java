package io.vers.hnsw;

import java.util.Map;

/**
 * The whole contract kit on {@code quantization=sq8}, {@code keepVectors=false}: this configuration
 * holds only the codes and returns distances to the vectors they stand for, so the kit checks distances
 * and measures recall against the vectors the index holds ({@link #distancesToHeldVectors()}). Recall
 * thresholds are declared a little below the measured 0.93 (synthetic, L2) and 0.95 (sift5k).
 */
class HnswSq8CodesContractTest extends HnswIndexContractTest {
  @Override
  protected Map<String, Object> configuration() {
    return Map.of("quantization", "sq8", "keepVectors", false);
  }

  @Override
  protected boolean distancesToHeldVectors() {
    return true;
  }

  @Override
  protected double declaredRecall() {
    return 0.9;
  }

  @Override
  protected double sift5kRecall() {
    return 0.93;
  }
}
