package io.vers.io;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.vers.api.Metric;
import java.util.Objects;

/**
 * What the header of a saved index says: format and algorithm versions, the index's shape, its build
 * parameters and the directory of the arrays that follow. Read by {@link IndexIO#readHeader} without
 * reading the arrays; its checksum has been verified. Immutable.
 *
 * @param formatVersion the vers index format version of the file
 * @param algorithm the provider name of the index's algorithm, for example {@code "hnsw"}
 * @param stateVersion the version of the algorithm's own state layout
 * @param dimension the number of components of every vector
 * @param metric the distance the index ranks by
 * @param size the number of vectors stored
 * @param parameters the build parameters as text, by canonical name
 * @param scalars the algorithm's named whole-number state
 * @param arrays the arrays that follow the header, in file order
 * @param fileBytes the length in bytes of the whole saved index, header to footer
 */
public record IndexFileHeader(
    int formatVersion,
    String algorithm,
    int stateVersion,
    int dimension,
    Metric metric,
    int size,
    ImmutableMap<String, String> parameters,
    ImmutableMap<String, Long> scalars,
    ImmutableList<ArrayInfo> arrays,
    long fileBytes) {

  public IndexFileHeader {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(metric, "metric");
    parameters = ImmutableMap.copyOf(parameters);
    scalars = ImmutableMap.copyOf(scalars);
    arrays = ImmutableList.copyOf(arrays);
  }

  /**
   * One array of the saved state.
   *
   * @param name the array's name in the snapshot, for example {@code "vectors"}
   * @param type {@code int[].class}, {@code long[].class}, {@code float[].class} or {@code byte[].class}
   * @param length the number of elements
   */
  public record ArrayInfo(String name, Class<?> type, int length) {
    public ArrayInfo {
      Objects.requireNonNull(name, "name");
      checkArgument(ArrayKind.of(type) != null, "type must be int[], long[], float[] or byte[], got %s", type);
      checkArgument(length >= 0, "length must be at least 0, got %s", length);
    }

    /** The bytes the array's elements occupy in the file. */
    public long bytes() {
      return (long) length * ArrayKind.of(type).elementBytes;
    }

    @Override
    public String toString() {
      return name + ": " + type.getComponentType().getName() + "[" + length + "]";
    }
  }
}
