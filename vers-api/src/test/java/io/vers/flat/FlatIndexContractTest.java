package io.vers.flat;

import io.vers.api.Index;
import io.vers.api.SearchParams;
import io.vers.api.testkit.IndexContract;
import java.util.Set;

class FlatIndexContractTest extends IndexContract {
  @Override
  protected String algorithm() {
    return "flat";
  }

  @Override
  protected Set<String> expectedAlgorithms() {
    return Set.of("flat");
  }

  @Override
  protected SearchParams exhaustive(Index index) {
    return SearchParams.DEFAULT;
  }

  @Override
  protected double declaredRecall() {
    return 1.0;
  }

  @Override
  protected double sift5kRecall() {
    return 1.0;
  }
}
