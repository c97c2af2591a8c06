/** The {@code ivfflat} algorithm: k-means partitions with an exact scan of the probed lists. */
module io.vers.ivfflat {
  requires io.vers.api;
  requires com.google.common;
  requires static com.google.auto.service;

  exports io.vers.ivfflat;

  provides io.vers.api.IndexProvider with io.vers.ivfflat.IvfFlatIndexProvider;
}
