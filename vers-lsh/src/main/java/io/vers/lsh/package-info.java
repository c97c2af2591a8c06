/**
 * vers-lsh: {@link io.vers.lsh.LshIndex}, approximate nearest-neighbour search with a forest of
 * random-projection trees (provider name {@code lsh}).
 *
 * <pre>{@code
 * LshIndex index = LshIndex.builder(784, Metric.L2).numTrees(10).maxLeafSize(32).build();
 * index.addAll(ids, vectors, AddOptions.threads(4));      // builds the trees in parallel
 * List<SearchResult> hits = index.search(query, 10);        // budget 10 * max(k, 10) * numTrees
 * List<SearchResult> fast = index.search(query, 10, SearchParams.builder().searchK(400).build());
 * }</pre>
 *
 * <p>The same index by name: {@code Indexes.create("lsh", 784, Metric.L2, Map.of("num_trees", 10,
 * "max_node_size", 32))}. Recall rises with the per-query budget {@code searchK}; a budget of at least
 * the index size makes a search exact.
 */
package io.vers.lsh;
