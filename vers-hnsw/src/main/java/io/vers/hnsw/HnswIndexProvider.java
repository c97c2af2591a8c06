package io.vers.hnsw;

import com.google.auto.service.AutoService;
import io.vers.api.CorruptIndexException;
import io.vers.api.Index;
import io.vers.api.IndexParams;
import io.vers.api.IndexProvider;
import io.vers.api.IndexSnapshot;
import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import java.util.List;

/**
 * Provider {@value HnswIndex#NAME}: {@link HnswIndex}. Build parameters {@code m}
 * ({@code num_neighbours}), {@code efConstruction} ({@code ef_construction}), {@code efSearch}
 * ({@code ef_search}), {@code maxLevels} ({@code num_layers}), {@code seed},
 * {@code keepPrunedConnections}, {@code quantization} ({@code none} or {@code sq8}) and {@code keepVectors};
 * per-query knobs {@code ef} and {@code oversample} (read only with {@code sq8} and kept vectors; see
 * {@link HnswIndex}). Stateless.
 */
@AutoService(IndexProvider.class)
public final class HnswIndexProvider implements IndexProvider {
  @Override
  public String name() {
    return HnswIndex.NAME;
  }

  @Override
  public String description() {
    return "hierarchical navigable small world graph: fast, high-recall approximate search; memory about"
        + " 4 * dimension + 8 * m bytes per vector";
  }

  @Override
  public List<ParameterSpec> parameters() {
    return HnswConfig.SPECS;
  }

  @Override
  public List<ParameterSpec> searchParameters() {
    return HnswConfig.SEARCH_SPECS;
  }

  @Override
  public Index create(int dimension, Metric metric, IndexParams params) {
    return HnswIndex.create(dimension, metric, params);
  }

  @Override
  public Index restore(IndexSnapshot snapshot) throws CorruptIndexException {
    return HnswIndex.restore(snapshot);
  }
}
