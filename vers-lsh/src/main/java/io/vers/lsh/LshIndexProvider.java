package io.vers.lsh;

import com.google.auto.service.AutoService;
import io.vers.api.AddOptions;
import io.vers.api.CorruptIndexException;
import io.vers.api.Index;
import io.vers.api.IndexParams;
import io.vers.api.IndexProvider;
import io.vers.api.IndexSnapshot;
import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import io.vers.spi.SearchKnobs;
import java.util.List;
import java.util.Map;

/**
 * Provider {@code lsh}: {@link LshIndex}, a forest of random-projection trees. Build parameters
 * {@code numTrees} ({@code num_trees}), {@code maxLeafSize} ({@code max_node_size}), {@code searchK}
 * ({@code search_k}) and {@code seed}; per-query knob {@code searchK}.
 */
@AutoService(IndexProvider.class)
public final class LshIndexProvider implements IndexProvider {
  static final List<ParameterSpec> PARAMETERS = List.of(
      ParameterSpec.ofInt("numTrees", LshIndex.DEFAULT_NUM_TREES, 1, LshIndex.MAX_NUM_TREES,
          "trees in the forest; more give higher recall at the same budget, and cost build time and memory",
          "num_trees", "n_trees"),
      ParameterSpec.ofInt("maxLeafSize", LshIndex.DEFAULT_MAX_LEAF_SIZE, 1, LshIndex.MAX_LEAF_SIZE,
          "most points in a leaf (identical points share a leaf regardless)", "max_node_size", "leaf_size"),
      ParameterSpec.ofInt("searchK", null, 1, Integer.MAX_VALUE,
          "candidate budget of queries that set none; unset: 10 * max(k, 10) * numTrees", "search_k"),
      ParameterSpec.ofLong("seed", LshIndex.DEFAULT_SEED, Long.MIN_VALUE, Long.MAX_VALUE,
          "seed of every random choice; the same seed and inserts build the same trees"));

  private static final List<ParameterSpec> SEARCH_PARAMETERS = List.of(
      ParameterSpec.ofInt("searchK", LshIndex.defaultSearchK(10, LshIndex.DEFAULT_NUM_TREES), 1, Integer.MAX_VALUE,
          "accepted candidates ranked exactly per query; default: the index's searchK, else 10 * max(k, 10) * numTrees"
              + " (the value shown: k = 10, default numTrees); at least size() makes the search exact",
          "search_k", "budget"));

  /**
   * Reads and checks the knobs of {@link LshIndex}'s searches. Kept here, after the specs it reads, and
   * not in {@link LshIndex}, whose initialisation this class's triggers.
   */
  static final SearchKnobs KNOBS = new SearchKnobs(LshIndex.NAME, SEARCH_PARAMETERS);

  @Override
  public String name() {
    return LshIndex.NAME;
  }

  @Override
  public String description() {
    return "random-projection forest (Annoy-style): fast to build and update, recall tuned per query by searchK";
  }

  @Override
  public List<ParameterSpec> parameters() {
    return PARAMETERS;
  }

  @Override
  public List<ParameterSpec> searchParameters() {
    return SEARCH_PARAMETERS;
  }

  /** {@code searchK}'s default: the index's {@code searchK}, else {@code 10 * max(k, 10) * numTrees}. */
  @Override
  public List<ParameterSpec> searchParameters(Map<String, ?> parameters, int k) {
    int numTrees = parameters.get("numTrees") instanceof Number n ? n.intValue() : LshIndex.DEFAULT_NUM_TREES;
    int searchK = parameters.get("searchK") instanceof Number n ? n.intValue() : 0;
    return List.of(SEARCH_PARAMETERS.get(0).withDefault(LshIndex.unsetSearchK(searchK, k, numTrees)));
  }

  @Override
  public Index create(int dimension, Metric metric, IndexParams params) {
    LshIndex.Builder builder = LshIndex.builder(dimension, metric)
        .numTrees(params.getInt("numTrees"))
        .maxLeafSize(params.getInt("maxLeafSize"))
        .seed(params.getLong("seed"));
    params.optionalInt("searchK").ifPresent(builder::searchK);
    return builder.build();
  }

  /** Builds every tree from the whole batch, one tree per task on {@code options.threads()} threads. */
  @Override
  public Index build(
      int dimension, Metric metric, IndexParams params, long[] ids, float[][] vectors, AddOptions options) {
    Index index = create(dimension, metric, params);
    index.addAll(ids, vectors, options);
    return index;
  }

  @Override
  public Index restore(IndexSnapshot snapshot) throws CorruptIndexException {
    return LshState.restore(snapshot);
  }
}
