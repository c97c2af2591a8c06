package io.vers.lsh;

import io.vers.api.Index;
import io.vers.api.SearchParams;
import io.vers.api.testkit.IndexContract;

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
