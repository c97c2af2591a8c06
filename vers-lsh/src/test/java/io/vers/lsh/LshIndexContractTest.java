package io.vers.lsh;

import io.vers.api.Index;
import io.vers.api.SearchParams;
import io.vers.api.testkit.IndexContract;
import java.util.Map;

class LshIndexContractTest extends IndexContract {
  @Override
  protected String algorithm() {
    return "lsh";
  }

  /** A budget of every stored point: the trees are walked until nothing is left or nothing can be nearer. */
  @Override
  protected SearchParams exhaustive(Index index) {
    return SearchParams.builder().searchK(Math.max(1, index.size())).build();
  }

  /** Small leaves and few trees, so that the properties exercise many splits, leaves and trees. */
  @Override
  protected Map<String, Object> propertyParams() {
    return Map.of("num_trees", 4, "max_node_size", 6);
  }

  /** The clustered data puts ~125 points per cluster in 32 dimensions, which random planes split often. */
  @Override
  protected double declaredRecall() {
    return 0.75;
  }

  @Override
  protected double sift5kRecall() {
    return 0.9;
  }
}
