/** The {@code lsh} algorithm: a random-projection forest searched through one priority queue. */
module io.vers.lsh {
  requires io.vers.api;
  requires static com.google.auto.service;

  exports io.vers.lsh;

  provides io.vers.api.IndexProvider with io.vers.lsh.LshIndexProvider;
}
