package io.vers.flat;

import io.vers.api.Index;
import io.vers.api.Metric;
import io.vers.api.SearchParams;
import io.vers.api.testkit.IndexContract;
import java.util.Map;
import java.util.Set;

/**
 * The whole contract kit on {@code quantization=sq8, keepVectors=false}: only codes are kept once the
 * index holds 1,024 vectors, and searches return distances to the decoded vectors.
 *
 * <p>The kit checks every returned distance against the metric's formula on the vectors the test
 * added. An index without its float vectors returns distances to the vectors it holds, the decoded
 * ones, which {@link Index#vector} gives back. So {@link #build} replaces each vector of the test's
 * array by the one the index holds, after building: the kit's formula checks, exact answers and recall
 * figures are then computed on those (the floats themselves while fewer than 1,024 are stored, since
 * the index keeps them until then). The recall against the float vectors is checked by
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
  protected Index build(int dim, Metric metric, Map<String, ?> params, long[] ids, float[][] vectors) {
    Index index = super.build(dim, metric, params, ids, vectors);
    for (int i = 0; i < ids.length; i++) {
      vectors[i] = index.vector(ids[i]).orElseThrow();
    }
    return index;
  }

  /** The code scan compares the query with every stored code: nothing to widen. */
  @Override
  protected SearchParams exhaustive(Index index) {
    return SearchParams.DEFAULT;
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
