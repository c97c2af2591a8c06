package io.vers.hnsw;

import java.util.Map;

/** The whole contract kit on {@code quantization=sq8}, {@code keepVectors=true}. */
class HnswSq8KeepContractTest extends HnswIndexContractTest {
  @Override
  protected Map<String, Object> configuration() {
    return Map.of("quantization", "sq8", "keepVectors", true);
  }
}
