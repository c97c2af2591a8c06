package io.vers.flat;

import io.vers.api.Index;
import io.vers.api.SearchParams;
import io.vers.api.testkit.IndexContract;
import java.util.Map;
import java.util.Set;

/**
 * The whole contract kit on {@code quantization=sq8, keepVectors=false}: only codes are kept once the
 * index holds 1,024 vectors, and searches return distances to the decoded vectors.
 *
 * <p>An index without its float vectors returns distances to the vectors it holds, the decoded ones,
 * which {@link Index#vector} gives back, so the kit checks distances and recall against those
 * ({@link #distancesToHeldVectors()}). The recall against the float vectors is checked by
 * {@link FlatSq8Test}.
 */
class FlatSq8NoKeepContractTest extends IndexContract {
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
    return Map.of("quantization", "sq8", "keepVectors", false);
  }

  @Override
  protected boolean distancesToHeldVectors() {
    return true;
  }

  /** The code scan compares the query with every stored code: nothing to widen. */
  @Override
  protected SearchParams exhaustive(Index index) {
    return SearchParams.DEFAULT;
  }

  /** Measured 0.944: an exact scan of the codes loses what quantization loses. */
  @Override
  protected double declaredRecall() {
    return 0.93;
  }

  /** Measured 0.952. */
  @Override
  protected double sift5kRecall() {
    return 0.94;
  }
}
