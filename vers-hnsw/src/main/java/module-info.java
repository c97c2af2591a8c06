/** The {@code hnsw} algorithm: hierarchical navigable small world graphs. */
module io.vers.hnsw {
  requires io.vers.api;
  requires com.google.common;
  requires static com.google.auto.service;

  exports io.vers.hnsw;

  provides io.vers.api.IndexProvider with io.vers.hnsw.HnswIndexProvider;
}
