package io.vers.flat;

import io.vers.api.Index;
import io.vers.api.SearchParams;
import io.vers.api.testkit.IndexContract;
import java.util.Map;
import java.util.Set;

/**
 * The whole contract kit on {@code quantization=sq8, keepVectors=true}: codes are scanned, the best
 * {@code oversample x k} re-ranked with the float vectors, exact distances returned.
 */
class FlatSq8KeepContractTest extends IndexContract {
  @Override
  protected String algorithm() {
    return "flat";
  }

  @Override
  protected Set<String> expectedAlgorithms() {
    return Set.of("flat");
  }

  @Override
  protected Map<String, Object> configuration() {
    return Map.of("quantization", "sq8", "keepVectors", true);
  }

  /** The most candidates: exact for every index of the kit's property tests (below 1,024 vectors, exact anyway). */
  @Override
  protected SearchParams exhaustive(Index index) {
    return SearchParams.builder().set("oversample", 100).build();
  }

  @Override
  protected double declaredRecall() {
    return 0.99;
  }

  @Override
  protected double sift5kRecall() {
    return 0.99;
  }
}
