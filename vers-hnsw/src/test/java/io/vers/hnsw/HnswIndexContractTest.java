package io.vers.hnsw;

import io.vers.api.Index;
import io.vers.api.SearchParams;
import io.vers.api.testkit.IndexContract;
import java.util.Map;

class HnswIndexContractTest extends IndexContract {
  @Override
  protected String algorithm() {
    return "hnsw";
  }

  /** A candidate list as large as the graph: the search compares the query with every node. */
  @Override
  protected SearchParams exhaustive(Index index) {
    return SearchParams.builder().ef(Math.max(1, ((HnswIndex) index).nodeCount())).build();
  }

  @Override
  protected double declaredRecall() {
    return 0.95;
  }

  @Override
  protected double sift5kRecall() {
    return 0.98;
  }

  /** Smaller construction lists keep the property tests quick; they check invariants, not recall. */
  @Override
  protected Map<String, Object> propertyParams() {
    return Map.of("efConstruction", 40);
  }
}
