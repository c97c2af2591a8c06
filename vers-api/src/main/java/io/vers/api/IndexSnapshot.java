package io.vers.api;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An index's complete state in a neutral form that persistence code can write without knowing the
 * algorithm: a header (algorithm, the algorithm's own state version, dimension, metric, vector count),
 * the build parameters as text, named whole-number scalars, and named primitive arrays ({@code int[]},
 * {@code long[]}, {@code float[]}, {@code byte[]}).
 *
 * <p>Produced by {@link Index#snapshot()} and turned back into an index by
 * {@link IndexProvider#restore(IndexSnapshot)}. The arrays are not copied: the index hands over fresh
 * arrays, and a provider may adopt the arrays of the snapshot it restores, which the restored index
 * then changes as it is written to. Treat them as read-only, and restore a snapshot once: two indexes
 * restored from one snapshot may share arrays.
 * A snapshot passed to {@link Index#withSnapshot} may instead hold {@linkplain SnapshotArray#isView()
 * views} of the index's own storage, valid only during that call; {@link #materialize()} makes a
 * snapshot that stays valid.
 *
 * <p>A snapshot may come from an untrusted file. Providers validate every length and every reference
 * (ordinals, offsets) before building an index from it and throw {@link CorruptIndexException}
 * otherwise.
 */
public final class IndexSnapshot {
  private final String algorithm;
  private final int stateVersion;
  private final int dimension;
  private final Metric metric;
  private final int size;
  private final ImmutableMap<String, String> parameters;
  private final ImmutableMap<String, Long> scalars;
  private final ImmutableMap<String, SnapshotArray> arrays;

  private IndexSnapshot(Builder b) {
    this(b.algorithm, b.stateVersion, b.dimension, b.metric, b.size, ImmutableMap.copyOf(b.parameters),
        ImmutableMap.copyOf(b.scalars), ImmutableMap.copyOf(b.arrays));
  }

  private IndexSnapshot(String algorithm, int stateVersion, int dimension, Metric metric, int size,
      ImmutableMap<String, String> parameters, ImmutableMap<String, Long> scalars,
      ImmutableMap<String, SnapshotArray> arrays) {
    this.algorithm = algorithm;
    this.stateVersion = stateVersion;
    this.dimension = dimension;
    this.metric = metric;
    this.size = size;
    this.parameters = parameters;
    this.scalars = scalars;
    this.arrays = arrays;
  }

  /**
   * Starts a snapshot.
   *
   * @param algorithm the provider name, for example {@code "hnsw"}
   * @param stateVersion the version of the algorithm's own layout of scalars and arrays
   * @param dimension the number of components of every vector, at least 1
   * @param metric the index's metric
   * @param size the number of live vectors
   * @return a builder with no parameters, scalars or arrays yet
   */
  public static Builder builder(String algorithm, int stateVersion, int dimension, Metric metric, int size) {
    return new Builder(algorithm, stateVersion, dimension, metric, size);
  }

  /**
   * {@return the provider name of the algorithm that took the snapshot, for example {@code "hnsw"}}
   */
  public String algorithm() {
    return algorithm;
  }

  /**
   * {@return the version of the algorithm's own layout of scalars and arrays, from 1}
   */
  public int stateVersion() {
    return stateVersion;
  }

  /**
   * {@return the number of components of every vector}
   */
  public int dimension() {
    return dimension;
  }

  /**
   * {@return the metric of the index}
   */
  public Metric metric() {
    return metric;
  }

  /**
   * {@return the number of live vectors}
   */
  public int size() {
    return size;
  }

  /** {@return build parameters as text, by canonical name; {@link IndexParams#resolve} accepts them back} */
  public Map<String, String> parameters() {
    return parameters;
  }

  /**
   * The build parameters checked against {@code specs}, as the provider of this snapshot's algorithm
   * reads them.
   *
   * @param specs the provider's build parameter specs
   * @return the resolved parameters, with defaults for those not stored
   * @throws CorruptIndexException naming an unknown, duplicate or out-of-range parameter
   */
  public IndexParams resolveParameters(List<ParameterSpec> specs) throws CorruptIndexException {
    try {
      return IndexParams.resolve(algorithm, specs, parameters);
    } catch (IllegalParameterException e) {
      throw new CorruptIndexException(algorithm + " snapshot has invalid parameters: " + e.getMessage(), e);
    }
  }

  /** {@return named scalars} */
  public Map<String, Long> scalars() {
    return scalars;
  }

  /** {@return named arrays, each an {@code int[]}, {@code long[]}, {@code float[]} or {@code byte[]}, in order} */
  public Map<String, SnapshotArray> arrays() {
    return arrays;
  }

  /**
   * This snapshot with every {@linkplain SnapshotArray#isView() view} read into an array of its own,
   * so that it stays valid after {@link Index#withSnapshot} returns; {@code this} if it holds no view.
   *
   * @return a snapshot that stays valid, possibly {@code this}
   */
  public IndexSnapshot materialize() {
    if (arrays.values().stream().noneMatch(SnapshotArray::isView)) {
      return this;
    }
    ImmutableMap.Builder<String, SnapshotArray> copies = ImmutableMap.builderWithExpectedSize(arrays.size());
    arrays.forEach((name, array) -> copies.put(name, array.materialize()));
    return new IndexSnapshot(algorithm, stateVersion, dimension, metric, size, parameters, scalars,
        copies.buildOrThrow());
  }

  /**
   * The scalar {@code name}, or a {@link CorruptIndexException} naming what is missing.
   *
   * @param name the scalar's name
   * @return its value
   * @throws CorruptIndexException if the snapshot has no scalar {@code name}
   */
  public long scalar(String name) throws CorruptIndexException {
    Long v = scalars.get(name);
    if (v == null) {
      throw missing("scalar", name);
    }
    return v;
  }

  /**
   * The array {@code name} as an {@code int[]}: the array the snapshot holds if it holds it whole, otherwise a
   * copy read from a view.
   *
   * @param name the array's name
   * @return the elements; treat them as read-only
   * @throws CorruptIndexException if there is no array {@code name} or it has another type
   */
  public int[] ints(String name) throws CorruptIndexException {
    return array(name, int[].class);
  }

  /**
   * The array {@code name} as a {@code long[]}: the array the snapshot holds if it holds it whole, otherwise a
   * copy read from a view.
   *
   * @param name the array's name
   * @return the elements; treat them as read-only
   * @throws CorruptIndexException if there is no array {@code name} or it has another type
   */
  public long[] longs(String name) throws CorruptIndexException {
    return array(name, long[].class);
  }

  /**
   * The array {@code name} as a {@code float[]}: the array the snapshot holds if it holds it whole, otherwise a
   * copy read from a view.
   *
   * @param name the array's name
   * @return the elements; treat them as read-only
   * @throws CorruptIndexException if there is no array {@code name} or it has another type
   */
  public float[] floats(String name) throws CorruptIndexException {
    return array(name, float[].class);
  }

  /**
   * The array {@code name} as a {@code byte[]}: the array the snapshot holds if it holds it whole, otherwise a
   * copy read from a view.
   *
   * @param name the array's name
   * @return the elements; treat them as read-only
   * @throws CorruptIndexException if there is no array {@code name} or it has another type
   */
  public byte[] bytes(String name) throws CorruptIndexException {
    return array(name, byte[].class);
  }

  /**
   * Checks that the snapshot is for {@code algorithm} and its state version is one this code reads.
   *
   * @param expectedAlgorithm the provider name the caller restores
   * @param maxStateVersion the newest state version the caller reads
   * @throws CorruptIndexException naming the mismatch
   * @throws CorruptIndexException also if the dimension is below 1 or the size negative
   */
  public void checkAlgorithm(String expectedAlgorithm, int maxStateVersion) throws CorruptIndexException {
    if (!algorithm.equals(expectedAlgorithm)) {
      throw new CorruptIndexException(
          "snapshot holds a '" + algorithm + "' index, not '" + expectedAlgorithm + "'");
    }
    if (stateVersion < 1 || stateVersion > maxStateVersion) {
      throw new CorruptIndexException(
          "'" + algorithm + "' state version " + stateVersion + " is not supported; this vers reads versions 1 to "
              + maxStateVersion + ": upgrade vers to read it");
    }
    if (dimension < 1 || size < 0) {
      throw new CorruptIndexException("invalid header: dimension " + dimension + ", size " + size);
    }
  }

  /**
   * The array {@code name} as a {@code type}: the array itself if the snapshot holds it whole, as one
   * read from a file does, otherwise a copy.
   */
  private <T> T array(String name, Class<T> type) throws CorruptIndexException {
    SnapshotArray v = arrays.get(name);
    if (v == null) {
      throw missing("array", name);
    }
    if (v.type() != type) {
      throw new CorruptIndexException(
          algorithm + " snapshot array '" + name + "' is a " + v.type().getSimpleName() + ", expected "
              + type.getSimpleName());
    }
    return type.cast(v.toArray());
  }

  private CorruptIndexException missing(String kind, String name) {
    return new CorruptIndexException(algorithm + " snapshot has no " + kind + " '" + name + "'");
  }

  @Override
  public String toString() {
    return "IndexSnapshot{" + algorithm + " v" + stateVersion + ", dim=" + dimension + ", " + metric + ", size=" + size
        + ", arrays=" + arrays.keySet() + "}";
  }

  /** Builds an {@link IndexSnapshot}. */
  public static final class Builder {
    private final String algorithm;
    private final int stateVersion;
    private final int dimension;
    private final Metric metric;
    private final int size;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final Map<String, Long> scalars = new LinkedHashMap<>();
    private final Map<String, SnapshotArray> arrays = new LinkedHashMap<>();

    private Builder(String algorithm, int stateVersion, int dimension, Metric metric, int size) {
      this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
      this.stateVersion = stateVersion;
      this.dimension = dimension;
      this.metric = Objects.requireNonNull(metric, "metric");
      this.size = size;
    }

    /**
     * Adds every resolved build parameter, as text.
     *
     * @param params the parameters the index was built with
     * @return this builder
     */
    public Builder parameters(IndexParams params) {
      params.asMap().forEach(this::parameter);
      return this;
    }

    /**
     * Adds one build parameter, stored as {@code String.valueOf(value)}; a later call with the same name
     * replaces it.
     *
     * @param name the parameter's canonical name
     * @param value its value
     * @return this builder
     */
    public Builder parameter(String name, Object value) {
      parameters.put(name, String.valueOf(value));
      return this;
    }

    /**
     * Adds a named scalar; a later call with the same name replaces it.
     *
     * @param name the scalar's name
     * @param value its value
     * @return this builder
     */
    public Builder scalar(String name, long value) {
      scalars.put(name, value);
      return this;
    }

    /**
     * Adds an {@code int[]}, held whole, not copied.
     *
     * @param name the array's name; a later array of the same name replaces it
     * @param values the elements
     * @return this builder
     */
    public Builder ints(String name, int[] values) {
      return put(name, values);
    }

    /**
     * Adds a {@code long[]}, held whole, not copied.
     *
     * @param name the array's name; a later array of the same name replaces it
     * @param values the elements
     * @return this builder
     */
    public Builder longs(String name, long[] values) {
      return put(name, values);
    }

    /**
     * Adds a {@code float[]}, held whole, not copied.
     *
     * @param name the array's name; a later array of the same name replaces it
     * @param values the elements
     * @return this builder
     */
    public Builder floats(String name, float[] values) {
      return put(name, values);
    }

    /**
     * Adds a {@code byte[]}, held whole, not copied.
     *
     * @param name the array's name; a later array of the same name replaces it
     * @param values the elements
     * @return this builder
     */
    public Builder bytes(String name, byte[] values) {
      return put(name, values);
    }

    /**
     * Adds an array of one of the four supported types, as read back by persistence code.
     *
     * @param name the array's name; a later array of the same name replaces it
     * @param values an {@code int[]}, {@code long[]}, {@code float[]} or {@code byte[]}, held whole, not copied
     * @return this builder
     * @throws IllegalArgumentException if {@code values} has another type
     */
    public Builder array(String name, Object values) {
      checkArgument(
          values instanceof int[] || values instanceof long[] || values instanceof float[] || values instanceof byte[],
          "array %s must be int[], long[], float[] or byte[], got %s", name, values == null ? null : values.getClass());
      return put(name, values);
    }

    /**
     * Adds an array held whole or a {@linkplain SnapshotArray#view view}.
     *
     * @param name the array's name; a later array of the same name replaces it
     * @param array the array or view
     * @return this builder
     */
    public Builder array(String name, SnapshotArray array) {
      arrays.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(array, name));
      return this;
    }

    private Builder put(String name, Object values) {
      Objects.requireNonNull(values, name);
      return array(name, SnapshotArray.of(values));
    }

    /**
     * {@return the snapshot}
     */
    public IndexSnapshot build() {
      return new IndexSnapshot(this);
    }
  }
}
