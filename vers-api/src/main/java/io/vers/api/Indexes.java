package io.vers.api;

import com.google.common.collect.ImmutableSortedMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.SortedSet;

/**
 * Entry point for choosing an algorithm by name at run time. Providers are discovered once, through
 * {@link ServiceLoader}, from the class path of this class's loader; names match ignoring case.
 *
 * <pre>{@code
 * Index index = Indexes.create("hnsw", 128, Metric.COSINE, Map.of("m", 16, "ef_construction", 200));
 * index.add(42L, vector);
 * List<SearchResult> hits = index.search(query, 10);
 * }</pre>
 */
public final class Indexes {
  /** Modules shipped with vers, by provider name, for the hint in error messages. */
  private static final Map<String, String> KNOWN_MODULES =
      Map.of("hnsw", "vers-hnsw", "ivfflat", "vers-ivfflat", "lsh", "vers-lsh", "flat", "vers-api");

  private Indexes() {}

  /** {@return the names of every algorithm on the class path, sorted; unmodifiable} */
  public static SortedSet<String> available() {
    return Holder.PROVIDERS.keySet();
  }

  /**
   * The provider named {@code name}, ignoring case.
   *
   * @param name the algorithm's name; case and surrounding blanks are ignored
   * @return the provider
   * @throws UnknownAlgorithmException listing what is available and which module provides the name
   */
  public static IndexProvider provider(String name) {
    IndexProvider provider = Holder.PROVIDERS.get(name.trim().toLowerCase(Locale.ROOT));
    if (provider == null) {
      String module = moduleFor(name).orElse(null);
      throw new UnknownAlgorithmException(
          name,
          "unknown index algorithm '" + name + "'; available: " + String.join(", ", available())
              + (module != null
                  ? "; add the " + module + " module (groupId io.vers) to the class path"
                  : "; the algorithms shipped with vers are flat, hnsw, ivfflat and lsh, each in its own module "
                      + "(vers-hnsw, vers-ivfflat, vers-lsh)"));
    }
    return provider;
  }

  /**
   * The vers module that provides {@code algorithm}, for the algorithms shipped with vers (for
   * example {@code "vers-hnsw"} for {@code "hnsw"}); empty for any other name.
   *
   * @param algorithm an algorithm name; case and surrounding blanks are ignored
   * @return the module's artifact id, or empty
   */
  public static Optional<String> moduleFor(String algorithm) {
    return Optional.ofNullable(KNOWN_MODULES.get(algorithm.trim().toLowerCase(Locale.ROOT)));
  }

  /**
   * An empty index of the named algorithm with default parameters.
   *
   * @param algorithm the algorithm's name, for example {@code "hnsw"}; case is ignored
   * @param dimension the number of components of every vector, at least 1
   * @param metric the distance to rank by
   * @return the new index
   * @throws UnknownAlgorithmException if no such algorithm is on the class path
   * @throws IllegalArgumentException if {@code dimension < 1}
   */
  public static Index create(String algorithm, int dimension, Metric metric) {
    return create(algorithm, dimension, metric, Map.of());
  }

  /**
   * An empty index of the named algorithm.
   *
   * @param algorithm the algorithm's name, for example {@code "hnsw"}; case is ignored
   * @param dimension the number of components of every vector, at least 1
   * @param metric the distance to rank by
   * @param params build parameters by name or alias; values may be numbers, booleans or strings
   * @return the new index
   * @throws UnknownAlgorithmException if no such algorithm is on the class path
   * @throws IllegalParameterException if a parameter is unknown or out of range
   * @throws IllegalArgumentException if {@code dimension < 1}
   */
  public static Index create(String algorithm, int dimension, Metric metric, Map<String, ?> params) {
    IndexProvider provider = provider(algorithm);
    checkDimension(dimension);
    return provider.create(dimension, metric, IndexParams.resolve(provider.name(), provider.parameters(), params));
  }

  /**
   * An index of the named algorithm built from a batch, with default {@link AddOptions}.
   *
   * @param algorithm the algorithm's name, for example {@code "hnsw"}; case is ignored
   * @param dimension the number of components of every vector, at least 1
   * @param metric the distance to rank by
   * @param params build parameters by name or alias; values may be numbers, booleans or strings
   * @param ids one id per vector
   * @param vectors the vectors to add, each of {@code dimension} components
   * @return the index holding the batch
   * @throws UnknownAlgorithmException if no such algorithm is on the class path
   * @throws IllegalParameterException if a parameter is unknown or out of range
   * @throws IllegalArgumentException if {@code dimension < 1}, the arrays differ in length, or a vector is
   *     invalid
   */
  public static Index build(
      String algorithm, int dimension, Metric metric, Map<String, ?> params, long[] ids, float[][] vectors) {
    return build(algorithm, dimension, metric, params, ids, vectors, AddOptions.defaults());
  }

  /**
   * An index of the named algorithm built from a batch; algorithms that train (IVF) learn from it.
   *
   * @param algorithm the algorithm's name, for example {@code "hnsw"}; case is ignored
   * @param dimension the number of components of every vector, at least 1
   * @param metric the distance to rank by
   * @param params build parameters by name or alias; values may be numbers, booleans or strings
   * @param ids one id per vector
   * @param vectors the vectors to add, each of {@code dimension} components
   * @param options threads and progress reporting for the build
   * @return the index holding the batch
   * @throws UnknownAlgorithmException if no such algorithm is on the class path
   * @throws IllegalParameterException if a parameter is unknown or out of range
   * @throws IllegalArgumentException if {@code dimension < 1}, the arrays differ in length, or a vector is
   *     invalid
   * @see IndexProvider#build
   */
  public static Index build(
      String algorithm,
      int dimension,
      Metric metric,
      Map<String, ?> params,
      long[] ids,
      float[][] vectors,
      AddOptions options) {
    IndexProvider provider = provider(algorithm);
    checkDimension(dimension);
    IndexParams resolved = IndexParams.resolve(provider.name(), provider.parameters(), params);
    return provider.build(dimension, metric, resolved, ids, vectors, options);
  }

  private static void checkDimension(int dimension) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be at least 1, got " + dimension);
    }
  }

  /** Lazily loads the providers once. */
  private static final class Holder {
    static final ImmutableSortedMap<String, IndexProvider> PROVIDERS = load();

    private static ImmutableSortedMap<String, IndexProvider> load() {
      ImmutableSortedMap.Builder<String, IndexProvider> builder = ImmutableSortedMap.naturalOrder();
      java.util.Set<String> seen = new java.util.HashSet<>();
      try {
        for (IndexProvider provider : ServiceLoader.load(IndexProvider.class, Indexes.class.getClassLoader())) {
          String key = provider.name().toLowerCase(Locale.ROOT);
          if (!seen.add(key)) {
            throw new IllegalStateException(
                "two index providers are named '" + key + "'; remove one of the modules from the class path");
          }
          builder.put(key, provider);
        }
      } catch (ServiceConfigurationError e) {
        throw new IllegalStateException("an index provider on the class path failed to load: " + e.getMessage(), e);
      }
      return builder.buildOrThrow();
    }
  }
}
