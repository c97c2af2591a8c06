package io.vers.ivfflat;

import io.vers.api.Index;
import io.vers.api.SearchParams;
import io.vers.api.testkit.IndexContract;
import java.util.Map;

/** The whole contract kit on ivfflat with quantization=sq8 and keepVectors=true. */
class IvfFlatSq8KeepVectorsContractTest extends IndexContract {
  @Override
  protected String algorithm() {
    return IvfFlatIndex.NAME;
  }

  @Override
  protected Map<String, Object> configuration() {
    return Map.of("quantization", "sq8", "keepVectors", true);
  }

  /** Every list probed: an exact scan. */
  @Override
  protected SearchParams exhaustive(Index index) {
    return SearchParams.builder().nprobe(Math.max(1, ((IvfFlatIndex) index).nlist())).build();
  }

  @Override
  protected double declaredRecall() {
    return 0.9;
  }

  @Override
  protected double sift5kRecall() {
    return 0.95;
  }
}
