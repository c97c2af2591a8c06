package io.vers.bench.harness;

import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import io.vers.api.ProgressListener;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Something the benchmark builds and queries: a vers algorithm (reached by provider name) or a peer
 * library. Implementations are stateless and thread-safe.
 */
public interface Contender {
  /** The name users select it by, for example {@code "hnsw"} or {@code "lucene-hnsw"}. */
  String name();

  /**
   * The algorithm this contender runs: its {@link #name()}, or for a {@code NAME:LABEL} variant the part
   * before the colon.
   *
   * @return the algorithm's name
   */
  default String algorithm() {
    return name();
  }

  /** One line on what it is. */
  String description();

  /** Whether this is another library rather than vers. */
  boolean isPeer();

  /** The build parameters it accepts (names match ignoring case, {@code _} and {@code -}). */
  List<ParameterSpec> parameters();

  /** The per-query knob(s) it reads, the first of which is swept; empty for exact search. */
  List<ParameterSpec> searchParameters();

  /**
   * {@link #searchParameters()} with the defaults of a search for {@code k} in an index built with
   * {@code parameters} (its {@link BuiltIndex#parameters()}), where they depend on those.
   */
  default List<ParameterSpec> searchParameters(Map<String, ?> parameters, int k) {
    return searchParameters();
  }

  /**
   * For peers: whether the library's own SIMD code path is active in this JVM, in words
   * (for example {@code "yes (PanamaVectorizationProvider)"}); empty for vers.
   */
  default Optional<String> simdStatus() {
    return Optional.empty();
  }

  /**
   * Whether the built index accounts for its own heap use ({@link BuiltIndex#bytes()}); otherwise the
   * benchmark measures it.
   */
  default boolean reportsSize() {
    return true;
  }

  /**
   * Builds an index over {@code base}; vector {@code i} gets id {@code i}.
   *
   * @param params build parameters by name or alias, as given by the user (values as text or numbers)
   * @param threads worker threads for building
   * @param progress receives the number of vectors inserted so far
   */
  BuiltIndex build(float[][] base, Metric metric, Map<String, ?> params, int threads, ProgressListener progress)
      throws Exception;
}
