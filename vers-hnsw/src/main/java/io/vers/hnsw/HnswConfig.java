package io.vers.hnsw;

import com.google.common.collect.ImmutableMap;
import io.vers.api.IndexParams;
import io.vers.api.ParameterSpec;
import io.vers.spi.storage.ScalarQuantizer;
import java.util.List;
import java.util.Map;

/**
 * The validated build parameters of an {@link HnswIndex}, and their specs. Immutable.
 *
 * @param m links per node on the upper levels; level 0 allows {@code 2 * m}
 * @param efConstruction candidate list size while inserting
 * @param efSearch default candidate list size while searching
 * @param maxLevels cap on the number of levels, or {@link #UNBOUNDED}
 * @param seed seed of the level generator
 * @param keepPrunedConnections whether neighbour selection tops lists up with candidates the heuristic
 *     discarded: a new node's list to {@code m}, a re-pruned list to {@code m / 2} below its capacity
 * @param sq8 whether vectors are quantized to 8 bits ({@code quantization=sq8}) once the index holds
 *     {@link ScalarQuantizer#TRAIN_AT} of them
 * @param keepVectors with {@code sq8}, whether the float vectors are kept for exact re-ranking
 */
record HnswConfig(int m, int efConstruction, int efSearch, int maxLevels, long seed, boolean keepPrunedConnections,
    boolean sq8, boolean keepVectors) {
  /** {@link #maxLevels} when levels are not capped. */
  static final int UNBOUNDED = 0;

  static final int DEFAULT_M = 16;
  static final int DEFAULT_EF_CONSTRUCTION = 200;
  static final int DEFAULT_EF_SEARCH = 80;
  static final long DEFAULT_SEED = 42L;
  static final int MAX_M = 1024;
  static final int MAX_EF = 1 << 20;

  /** Build parameters, in the order {@link HnswIndex#parameters()} lists them. */
  static final List<ParameterSpec> SPECS = List.of(
      ParameterSpec.ofInt("m", DEFAULT_M, 2, MAX_M,
          "links per node on the upper levels (level 0 keeps 2m): more links, better recall, more memory",
          "num_neighbours", "num_neighbors"),
      ParameterSpec.ofInt("efConstruction", DEFAULT_EF_CONSTRUCTION, 1, MAX_EF,
          "candidate list size while inserting: larger builds slower and finds better neighbours", "ef_construction"),
      ParameterSpec.ofInt("efSearch", DEFAULT_EF_SEARCH, 1, MAX_EF,
          "default candidate list size while searching (per query: SearchParams ef); max(ef, k) is used",
          "ef_search"),
      ParameterSpec.ofInt("maxLevels", null, 1, HnswGraph.MAX_LEVEL + 1,
          "optional cap on the number of levels (1 gives a flat navigable small world graph)", "num_layers"),
      ParameterSpec.ofLong("seed", DEFAULT_SEED, Long.MIN_VALUE, Long.MAX_VALUE,
          "seed of the level generator: the same seed and insertion order on one thread build the same graph"),
      ParameterSpec.ofBoolean("keepPrunedConnections", true,
          "top neighbour lists up with candidates the selection heuristic discarded: a new node's to m links, "
              + "an overflowing one re-pruned to m/2 below its capacity (level 0: 1.5m)"),
      ScalarQuantizer.QUANTIZATION,
      ScalarQuantizer.KEEP_VECTORS);

  /** Per-query knobs, with the value used when unset. */
  static final List<ParameterSpec> SEARCH_SPECS = List.of(
      ParameterSpec.ofInt("ef", DEFAULT_EF_SEARCH, 1, MAX_EF,
          "candidate list size for one query (default: the index's efSearch); max(ef, k) is used",
          "efSearch", "ef_search"),
      ScalarQuantizer.OVERSAMPLE);

  static HnswConfig from(IndexParams params) {
    return new HnswConfig(
        params.getInt("m"),
        params.getInt("efConstruction"),
        params.getInt("efSearch"),
        params.optionalInt("maxLevels").orElse(UNBOUNDED),
        params.getLong("seed"),
        params.getBoolean("keepPrunedConnections"),
        "sq8".equals(params.getString(ScalarQuantizer.QUANTIZATION.name())),
        params.getBoolean(ScalarQuantizer.KEEP_VECTORS.name()));
  }

  /** Links allowed at {@code level}: {@code 2m} on level 0, {@code m} above. */
  int maxConnections(int level) {
    return level == 0 ? 2 * m : m;
  }

  /** The highest level a node may get. */
  int topLevelCap() {
    return maxLevels == UNBOUNDED ? HnswGraph.MAX_LEVEL : maxLevels - 1;
  }

  /** This configuration with the level generator's seed {@code seed}. */
  HnswConfig withSeed(long seed) {
    return new HnswConfig(m, efConstruction, efSearch, maxLevels, seed, keepPrunedConnections, sq8, keepVectors);
  }

  /** Whether the floats stay once the vectors are quantized: always without {@code sq8}. */
  boolean keepsFloats() {
    return !sq8 || keepVectors;
  }

  /**
   * The parameters by canonical name, as {@link IndexParams#resolve} accepts them back; {@code quantization}
   * and {@code keepVectors} only with {@code sq8}.
   */
  Map<String, Object> asMap() {
    ImmutableMap.Builder<String, Object> map = ImmutableMap.builder();
    map.put("m", m).put("efConstruction", efConstruction).put("efSearch", efSearch);
    if (maxLevels != UNBOUNDED) {
      map.put("maxLevels", maxLevels);
    }
    map.put("seed", seed).put("keepPrunedConnections", keepPrunedConnections);
    if (sq8) {
      map.put(ScalarQuantizer.QUANTIZATION.name(), "sq8").put(ScalarQuantizer.KEEP_VECTORS.name(), keepVectors);
    }
    return map.buildOrThrow();
  }
}
