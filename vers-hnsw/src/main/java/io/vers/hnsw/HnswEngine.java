package io.vers.hnsw;

import io.vers.spi.IdMap;

/**
 * The graph components of one {@link HnswVectors} generation: the searchers, inserter and repair bound
 * to its distances. Immutable; an index swaps the whole engine when it trains its quantizer.
 */
final class HnswEngine {
  final HnswVectors vectors;
  /** Walks with the search distance (codes once trained). */
  final GraphSearcher searcher;
  /** Walks with the build distance: the floats while they are kept, which makes it exact. */
  final GraphSearcher builder;
  final GraphInserter inserter;
  final GraphRepair repair;

  HnswEngine(HnswVectors vectors, HnswGraph graph, IdMap ids, HnswConfig config) {
    this.vectors = vectors;
    NodeDistance build = vectors.build();
    this.builder = new GraphSearcher(graph, build, ids);
    this.searcher = vectors.search() == build ? builder : new GraphSearcher(graph, vectors.search(), ids);
    NeighborSelector selector = new NeighborSelector(build, config.keepPrunedConnections());
    this.inserter = new GraphInserter(graph, build, config, builder, selector);
    this.repair = new GraphRepair(graph, build, config, builder, selector);
  }
}
